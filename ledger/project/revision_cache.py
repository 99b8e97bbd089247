"""The cache of loaded migration files: what loading each file produced, keyed by its bytes.

Loading a file compiles it and runs its ``upgrade(op)``; a project with thousands of files
pays that on every command. The cache keeps, per file, the sha256 of its bytes and what
loading them gave (id, down revision, message, checksum, and each recorded op as its
canonical payload), in ``<migrations>/__pycache__/schema-ledger-revisions.json``. An entry is
used only when the file's bytes hash to the same digest and the whole cache was written under
the same key: the cache format, the Python, SQLAlchemy and schema-ledger versions, the code
that records ops (its files' sizes and modification times) and the naming convention. Only
files whose ops follow from their bytes are cached: a file that imports anything beyond
SQLAlchemy, schema-ledger and a few pure standard modules, or that reads files or evaluates
code, is loaded afresh every time.

The file is safe to delete. A cache that cannot be read, does not parse or was written under
another key is ignored (and rewritten); one that cannot be written (a read-only folder) is
simply not kept. It is replaced atomically (a temporary file, then ``os.replace``), so a reader
never sees half of it.
"""

from __future__ import annotations

import contextlib
import dis
import functools
import hashlib
import json
import os
import platform
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import CodeType
from typing import Any

__all__ = ["CACHE_ENV", "CACHE_FILE", "RevisionCache", "cacheable", "file_digest"]

#: Where the cache lives, inside the migrations folder.
CACHE_FILE = Path("__pycache__") / "schema-ledger-revisions.json"
#: ``SCHEMA_LEDGER_REVISION_CACHE=0`` turns the cache off (neither read nor written).
CACHE_ENV = "SCHEMA_LEDGER_REVISION_CACHE"
#: Bumped whenever what an entry holds, or what loading a file gives, changes.
FORMAT = 1

#: Modules (and their submodules) a cached file may import: their results follow from the
#: arguments, so the file's bytes decide its ops.
_PURE_MODULES = frozenset({"__future__", "sqlalchemy", "ops", "ledger", "typing", "decimal", "enum", "textwrap"})
#: Names that read the outside world or run other code: a file using them is not cached.
_IMPURE_NAMES = frozenset({"open", "__import__", "exec", "eval", "compile", "globals", "vars", "input",
                           "breakpoint", "__builtins__", "__loader__", "__spec__"})
#: The code that decides what loading a file records: the ``ops`` package and these modules.
_RECORDING_FILES = ("format/codec.py", "project/revisions.py", "project/revision_cache.py")


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cacheable(code: CodeType) -> bool:
    """Whether the ops of the module compiled as ``code`` follow from its source alone."""
    stack = [code]
    while stack:
        current = stack.pop()
        if not _IMPURE_NAMES.isdisjoint(current.co_names):
            return False
        instructions = list(dis.get_instructions(current))
        for at, instruction in enumerate(instructions):
            if instruction.opname == "IMPORT_NAME":
                # The level is pushed two instructions before the name: above 0 is a relative
                # import, of the project's own code, never pure.
                level = instructions[at - 2].argval if at >= 2 and instructions[at - 2].opname == "LOAD_CONST" else None
                name = str(instruction.argval)
                if level != 0 or name.split(".")[0] not in _PURE_MODULES:
                    return False
        stack.extend(const for const in current.co_consts if isinstance(const, CodeType))
    return True


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """Sizes and modification times of the recording code's files: an edit to it changes the key."""
    import sqlalchemy

    import ops

    from ledger import __version__

    parts = [f"python {platform.python_implementation()} {sys.version}", f"sqlalchemy {sqlalchemy.__version__}",
             f"schema-ledger {__version__}"]
    here = Path(__file__).parents[1]
    files = sorted(Path(ops.__file__).parent.rglob("*.py")) + [here / name for name in _RECORDING_FILES]
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name} {stat.st_size} {stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def cache_key(naming_convention: Mapping[str, str] | None) -> str:
    convention = json.dumps(dict(naming_convention) if naming_convention is not None else None, sort_keys=True)
    return hashlib.sha256(f"{FORMAT}\n{_code_fingerprint()}\n{convention}".encode()).hexdigest()


def _enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() not in ("0", "false", "no", "off")


class RevisionCache:
    """The entries of one migrations folder: file name -> what loading its bytes gave."""

    def __init__(self, folder: Path, key: str, entries: dict[str, dict[str, Any]], *, enabled: bool) -> None:
        self.path = folder / CACHE_FILE
        self.key = key
        self.enabled = enabled
        self._old = entries
        self._new: dict[str, dict[str, Any]] = {}
        self._changed = False

    @classmethod
    def open(cls, folder: Path, naming_convention: Mapping[str, str] | None) -> RevisionCache:
        """The folder's cache; empty when there is none, or it is unreadable, corrupt or of another key."""
        key = cache_key(naming_convention)
        if not _enabled():
            return cls(folder, key, {}, enabled=False)
        return cls(folder, key, _read(folder / CACHE_FILE, key), enabled=True)

    def get(self, name: str, digest: str) -> dict[str, Any] | None:
        """The entry of file ``name`` when it was made from bytes with sha256 ``digest``."""
        entry = self._old.get(name)
        if entry is None or entry.get("sha256") != digest:
            return None
        return entry

    def keep(self, name: str, entry: dict[str, Any]) -> None:
        """Keep ``entry`` (an entry from ``get``, or a new one) for the next save."""
        self._new[name] = entry
        if self._old.get(name) is not entry:
            self._changed = True

    def save(self, *, complete: bool = True) -> None:
        """Write the kept entries, when they differ from what was read; errors leave the cache as it was.

        ``complete``: every file of the folder was seen, so entries of files that are gone go too.
        """
        files = self._new if complete else {**self._old, **self._new}
        if not self.enabled or not (self._changed or set(self._old) != set(files)):
            return
        body = json.dumps(files, separators=(",", ":"))
        header = json.dumps({"format": FORMAT, "key": self.key, "sha256": file_digest(body.encode("utf-8"))})
        tmp = None
        try:
            self.path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".schema-ledger-revisions.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                os.fchmod(fh.fileno(), 0o644)  # mkstemp makes it private; it holds nothing the files do not
                fh.write(header + "\n" + body)
            os.replace(tmp, self.path)
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _read(path: Path, key: str) -> dict[str, dict[str, Any]]:
    """The entries of the cache file at ``path``: a header line (format, key, sha256 of the rest),
    then the entries as one JSON object. Anything else gives no entries."""
    try:
        header_text, _, body = path.read_bytes().partition(b"\n")
        header = json.loads(header_text)
        if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("key") != key \
                or header.get("sha256") != file_digest(body):
            return {}
        files = json.loads(body)
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(files, dict):
        return {}
    return {name: entry for name, entry in files.items() if isinstance(entry, dict)}
