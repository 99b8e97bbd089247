"""Alembic's op dispatch and batch flush, wrapped once per process for the contexts a recorder is attached to."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from alembic.operations.base import AbstractOperations as AlembicAbstractOperations
from alembic.operations.batch import BatchOperationsImpl
from alembic.runtime.migration import MigrationContext

from ledger.support.quietwarn import silenced

if TYPE_CHECKING:
    from ledger.integrations.alembic.recorder import Recorder

#: the recorder of each attached migration context
RECORDERS: weakref.WeakKeyDictionary[MigrationContext, Recorder] = weakref.WeakKeyDictionary()


def attached_to(connection: Any) -> Recorder | None:
    """The recorder attached to a migration context on ``connection``, if any."""
    return next((recorder for recorder in list(RECORDERS.values()) if recorder.conn is connection), None)


#: Alembic's own methods, as they were before the wrapping
ORIGINAL: dict[str, Callable[..., Any]] = {}


def patch_alembic() -> None:
    """Wrap Alembic's op dispatch and batch flush once; unattached contexts run unchanged."""
    if ORIGINAL:
        return
    ORIGINAL["invoke"] = AlembicAbstractOperations.invoke
    ORIGINAL["flush"] = BatchOperationsImpl.flush

    def invoke(self: Any, operation: Any) -> Any:
        recorder = RECORDERS.get(self.migration_context)
        if recorder is None or not recorder.active:
            return ORIGINAL["invoke"](self, operation)
        with silenced():  # the hook's own work warns nothing; Alembic's (capture.py) as without the hook
            return recorder.invoke(self, operation)

    def flush(self: BatchOperationsImpl) -> None:
        recorder = RECORDERS.get(self.operations.migration_context)
        if recorder is None or not recorder.active:
            ORIGINAL["flush"](self)
            return
        with silenced():
            recorder.flush_batch(self)

    AlembicAbstractOperations.invoke = invoke  # type: ignore[method-assign]
    BatchOperationsImpl.flush = flush  # type: ignore[method-assign]
