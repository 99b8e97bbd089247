"""Warnings dropped or blamed elsewhere without touching Python's warning filters and registries."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap


def _run(code: str) -> list[str]:
    ran = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    return [line for line in ran.stderr.splitlines() if "Warning" in line]


def test_a_silenced_block_drops_its_warnings_and_python_still_remembers_what_it_showed() -> None:
    shown = _run("""
        import warnings
        from ledger.support.quietwarn import silenced
        def here():
            warnings.warn("shown once", UserWarning)
        here()
        with silenced():
            warnings.warn("never shown", UserWarning)
        with silenced("keep me not"):
            warnings.warn("Keep me not, please", UserWarning)
            warnings.warn("kept", UserWarning)
        here()  # the same place: not shown again (a catch_warnings block would have reset the registry)
    """)
    assert [line.split(": ", 1)[1] for line in shown] == ["UserWarning: shown once", "UserWarning: kept"]


def test_warnings_blaming_the_wrapper_are_shown_as_without_it() -> None:
    code = '''
import re, sys, types, warnings
from ledger.support.quietwarn import blamed_outside

hook = types.ModuleType("hookish")
exec(compile("""
import re
from ledger.support.quietwarn import blamed_outside
def wrapper(fn):
    with blamed_outside(re.compile(r"^hookish"), re.compile(r"^libish")):
        fn()
""", "hookish.py", "exec"), hook.__dict__)
lib = types.ModuleType("libish")
exec(compile("""
import warnings
def work():
    warnings.warn("from the library", UserWarning, stacklevel=3)
""", "libish.py", "exec"), lib.__dict__)

def caller():
    hook.wrapper(lib.work)  # blamed here: stacklevel 3 reaches the wrapper, the first frame outside it is this one

caller()
caller()  # the same place: not shown again
with warnings.catch_warnings():
    pass
caller()  # shown again: the filters changed
'''
    shown = _run(code)
    assert len(shown) == 2 and all(re.search(r"<string>:21: UserWarning: from the library", s) for s in shown), shown
