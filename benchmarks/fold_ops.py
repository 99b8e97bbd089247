"""The ops side of the fold: decoded ops of a big ledger folded into a SchemaState, nothing else.

``python -m benchmarks.fold_ops [EVENTS] [REPEAT]`` decodes the payloads of a generated ledger
(the ``fold`` case's: 1,000 tables, then cycles of changes) first, then times only
``SchemaState.fold`` over the ops, in CPU time. The decoded ops are moved out of the cyclic
collector's reach first, as a streamed fold never holds them all.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time

from benchmarks.generate import big_ledger_ops
from ledger.format.codec import decode
from ops import SchemaState


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 100_000
    repeat = int(argv[1]) if len(argv) > 1 else 5
    ops = [decode(payload) for _tag, _table, payload in big_ledger_ops(count, 1000)]
    gc.collect()
    gc.freeze()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        state = SchemaState.fold(ops)
        times.append(time.process_time() - start)
    print(f"fold of {count} decoded ops ({len(state.tables)} tables): CPU min {min(times):.3f} s, "
          f"median {statistics.median(times):.3f} s over {repeat} runs")


if __name__ == "__main__":
    main(sys.argv[1:])
