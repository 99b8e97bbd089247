"""The lazy patterns' compiled code written out (``ledger/support/recode.py``): what the ledger's
modules make, and each the very pattern ``re.compile`` makes (docs/performance.md, "The hook,
thirteenth round")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ledger.support import lazyre, recode

ROOT = Path(__file__).resolve().parents[1]

#: every module of the ledger imported (each lazy pattern made), then the file's text as written now
_WRITE = """
import importlib, pkgutil, sys
import ledger
for found in pkgutil.walk_packages(ledger.__path__, "ledger."):
    if found.name == "ledger.support.recode":
        continue
    try:
        importlib.import_module(found.name)
    except ImportError:
        pass  # a module of an extra that is not installed
from ledger.support import lazyre
sys.stdout.write(lazyre.recode_text(lazyre._MADE))
"""


def test_the_written_code_is_what_the_modules_make() -> None:
    ran = subprocess.run([sys.executable, "-c", _WRITE], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert Path(recode.__file__).read_text() == ran.stdout, (
        "ledger/support/recode.py is out of date: write it again with lazyre.recode_text (see this test)")
    assert len(recode.CODES) >= 40


@pytest.mark.skipif(recode.ENGINE != lazyre._engine(), reason="written for another interpreter: compiled as before")
def test_each_written_code_is_the_pattern_re_compiles() -> None:
    for (pattern, flags) in recode.CODES:
        written, compiled = lazyre._written(pattern, flags), re.compile(pattern, flags)
        assert written is not None
        assert written == compiled  # the same flags and code
        assert (written.pattern, written.flags, written.groups, written.groupindex) == \
            (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)


def test_a_pattern_not_written_is_compiled_by_re() -> None:
    assert lazyre._written(r"(?P<not_written>x+)y", 0) is None
    pattern = lazyre.lazy(r"(?P<not_written>x+)y", re.I)
    assert pattern.match("XXy").group("not_written") == "XX"
    assert pattern.flags == re.compile(r"(?P<not_written>x+)y", re.I).flags

