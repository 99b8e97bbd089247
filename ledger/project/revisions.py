"""Migration files -> revisions: id, parent, message, the ops ``upgrade(op)`` issues, checksum.

A migration file defines ``revision``, ``down_revision``, a docstring (the message) and
``def upgrade(op):``. Loading a file runs ``upgrade`` against a recording facade: ops are
collected, nothing touches a database. The files form one linear chain. Anything wrong with
a file -- a syntax error, an import error, an ``upgrade`` that raises, a broken chain -- is
a :class:`RevisionError` whose one-line message names the file and, where there is one, the
line.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import inspect
import itertools
import os
import re
import signal
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

from typing import TYPE_CHECKING

import attrs

from ledger.project.folders import alembic_script_folder
from ledger.project.revision_cache import RevisionCache, cacheable, file_digest
from ops.base import LedgerError
from ops.classes import frozen

if TYPE_CHECKING:
    from ops import BatchOperations, MigrateOperation

__all__ = [
    "LOAD_TIMEOUT",
    "LOAD_TIMEOUT_ENV",
    "Revision",
    "RevisionChain",
    "RevisionError",
    "Step",
    "checksum",
    "display_path",
    "load_revision",
    "load_revisions",
    "new_revision_file",
    "record_steps",
    "slug",
]


class RevisionError(LedgerError, ValueError):
    """A migration file cannot be loaded, or the files do not form one linear chain."""


#: Seconds that loading one migration file (its import and its upgrade()) may take; a file
#: that loops is stopped. ``SCHEMA_LEDGER_LOAD_TIMEOUT`` (or ``--load-timeout``) overrides it;
#: 0 means no limit.
LOAD_TIMEOUT = 30.0
LOAD_TIMEOUT_ENV = "SCHEMA_LEDGER_LOAD_TIMEOUT"


class _LoadTimeout(BaseException):
    """Raised by the alarm inside a file that takes too long (a BaseException: the file's own
    ``except Exception`` must not swallow it)."""


def _load_timeout(seconds: float | None) -> float:
    if seconds is not None:
        return seconds
    text = os.environ.get(LOAD_TIMEOUT_ENV)
    if not text:
        return LOAD_TIMEOUT
    try:
        return max(0.0, float(text))
    except ValueError:
        raise RevisionError(f"{LOAD_TIMEOUT_ENV}={text!r} is not a number of seconds") from None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _LoadTimeout in the block after ``seconds``.

    A SIGALRM timer: it interrupts a pure-Python loop, which a watchdog thread could not. Signals
    reach only the main thread, so elsewhere (a runner called from a worker thread) the block
    runs without a limit; a timer set by the caller is put back afterwards.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise _LoadTimeout()

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expired)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay > 0:
            left = max(outer_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)


@frozen
class Step:
    """Ops issued together: one plain op, or every op of one ``batch_alter_table`` block."""

    ops: tuple[MigrateOperation, ...]
    batch: bool = False
    table_name: str | None = None
    schema: str | None = None


@attrs.frozen(eq=False)
class Revision:
    """One migration file, loaded.

    ``steps`` may be given as a function that makes them: a revision read from the cache
    decodes its ops only when something asks for them (``status`` needs ids, checksums and op
    counts, never the ops).
    """

    id: str
    down_revision: str | None
    message: str
    path: Path
    _steps: tuple[Step, ...] | Callable[[], tuple[Step, ...]] = attrs.field(alias="steps", repr=False)
    checksum: str
    _op_count: int | None = attrs.field(default=None, alias="op_count", repr=False)

    @property
    def steps(self) -> tuple[Step, ...]:
        steps = self._steps
        if callable(steps):
            steps = steps()
            object.__setattr__(self, "_steps", steps)
        return steps

    @property
    def ops(self) -> tuple[MigrateOperation, ...]:
        return tuple(op for step in self.steps for op in step.ops)

    @property
    def op_count(self) -> int:
        """How many ops ``upgrade(op)`` issues (known without decoding them)."""
        return self._op_count if self._op_count is not None else sum(len(step.ops) for step in self.steps)

    @property
    def title(self) -> str:
        """The first line of the message."""
        return self.message.splitlines()[0] if self.message else ""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Revision):
            return NotImplemented
        return self is other or (
            (self.id, self.down_revision, self.message, self.path, self.checksum)
            == (other.id, other.down_revision, other.message, other.path, other.checksum)
            and self.steps == other.steps
        )

    def __hash__(self) -> int:
        return hash((self.id, self.path, self.checksum))


def checksum(ops: Sequence[MigrateOperation]) -> str:
    """sha256 of the canonical op list: formatting a file changes nothing, changing what it does does."""
    from ledger.format.codec import canonical, to_payload

    return hashlib.sha256(canonical([to_payload(op) for op in ops])).hexdigest()


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is under it: what error messages show."""
    cwd = os.getcwd()
    try:
        return str(_resolved(path, cwd).relative_to(_resolved_folder(cwd, cwd)))
    except ValueError:
        return str(path)


def _resolved(path: Path, cwd: str) -> Path:
    # A file that is no link resolves within its resolved folder: one lstat instead of one per
    # component (status shows the path of every revision).
    if path.name in ("", ".", "..") or os.path.islink(path):
        return path.resolve()
    return _resolved_folder(str(path.parent), cwd) / path.name


@functools.lru_cache(maxsize=64)
def _resolved_folder(folder: str, cwd: str) -> Path:
    """``folder`` resolved (relative to ``cwd``, which is part of the key for that reason)."""
    return Path(cwd, folder).resolve()


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    name = type(exc).__name__
    if isinstance(exc, LedgerError):
        return text or name
    return f"{name}: {text}" if text else name


def _line_in(exc: BaseException, path: Path) -> int | None:
    """The deepest line of ``path`` in ``exc``'s traceback."""
    target = str(path.resolve())
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        with contextlib.suppress(OSError):
            if str(Path(frame.filename).resolve()) == target:
                line = frame.lineno
    return line


def _error(path: Path, message: str, line: int | None = None) -> RevisionError:
    where = display_path(path) + (f":{line}" if line else "")
    return RevisionError(f"{where}: {message}")


# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------


@functools.cache
def _recorder_class() -> type[Any]:
    """The recording facade's class, made when a file is first run: ``ops.Operations`` (and with
    it every op module) is loaded only then, not for a revision read from the cache."""
    from ops import Operations

    class Recorder(Operations):
        """The ``op`` a migration file sees while it is loaded: it collects ops and batch blocks."""

        def __init__(self, naming_convention: Mapping[str, str] | None) -> None:
            super().__init__(self._issue, naming_convention=naming_convention)
            self.steps: list[Step] = []
            self._batch: list[MigrateOperation] | None = None

        def get_bind(self) -> NoReturn:
            raise RevisionError("op.get_bind(): a migration file is loaded without a database (its ops are recorded, "
                                "then run by apply); change data with op.execute()")

        def get_context(self) -> NoReturn:
            raise RevisionError("op.get_context(): a migration file is loaded without a database (its ops are "
                                "recorded, then run by apply)")

        def _issue(self, op: MigrateOperation) -> None:
            if self._batch is not None:
                self._batch.append(op)
            else:
                self.steps.append(Step((op,)))

        @contextlib.contextmanager
        def batch_alter_table(
            self, table_name: str, schema: str | None = None, recreate: str = "auto", **kw: Any
        ) -> Iterator[BatchOperations]:
            if self._batch is not None:
                raise RevisionError("batch_alter_table blocks cannot nest")
            self._batch = []
            try:
                with super().batch_alter_table(table_name, schema, recreate, **kw) as batch_op:
                    yield batch_op
            finally:
                issued, self._batch = self._batch, None
            if issued:
                self.steps.append(Step(tuple(issued), batch=True, table_name=table_name, schema=schema))

    return Recorder


def record_steps(upgrade: Any, *, naming_convention: Mapping[str, str] | None = None) -> tuple[Step, ...]:
    """Call ``upgrade(op)`` with a recording facade; return what it issued, batch blocks kept together."""
    recorder = _recorder_class()(naming_convention)
    upgrade(recorder)
    return tuple(recorder.steps)


# ---------------------------------------------------------------------------------------------
# Loading one file
# ---------------------------------------------------------------------------------------------

_counter = itertools.count()


def _read(path: Path) -> bytes:
    # Through the file descriptor: ``Path.read_bytes`` makes a buffered file object for each file
    # (half of the instructions of reading a folder of small files).
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _error(path, f"cannot read: {exc}") from None
    return b"".join(chunks)


def _import(path: Path, data: bytes) -> tuple[ModuleType, bool]:
    """The module of the file whose bytes are ``data``, and whether its ops follow from them alone."""
    try:
        # As Python reads a source file: its PEP 263 coding declaration (UTF-8 without one), a BOM,
        # universal newlines.
        source = importlib.util.decode_source(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as exc:
        raise _error(path, f"cannot read: {_one_line(exc)}") from None
    try:
        code = compile(source, str(path), "exec")
    except SyntaxError as exc:
        raise _error(path, f"SyntaxError: {exc.msg}", exc.lineno) from None
    # A unique module name: two projects (or two loads of an edited file) never share a module.
    stem = re.sub(r"\W", "_", path.stem)
    name = f"_schema_ledger_migration_{next(_counter)}_{stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        # Compiled here rather than by the loader: no bytecode cache that could outlive an edit,
        # and a syntax error arrives with its line.
        exec(code, module.__dict__)  # noqa: S102 - running the project's own migration file is the point
    except Exception as exc:  # noqa: BLE001 - every way a file can fail to import is reported alike
        raise _error(path, _one_line(exc), _line_in(exc, path)) from None
    finally:
        sys.modules.pop(name, None)
    return module, cacheable(code)


def load_revision(
    path: Path, *, naming_convention: Mapping[str, str] | None = None, load_timeout: float | None = None,
) -> Revision:
    """Load one migration file: import it, check its header, record its ops.

    Importing and recording may take ``load_timeout`` seconds (default: ``LOAD_TIMEOUT`` or
    ``$SCHEMA_LEDGER_LOAD_TIMEOUT``); a file that takes longer is a RevisionError.
    """
    path = Path(path)
    return _load_timed(path, _read(path), naming_convention, _load_timeout(load_timeout))[0]


def _load_timed(
    path: Path, data: bytes, naming_convention: Mapping[str, str] | None, seconds: float,
) -> tuple[Revision, bool]:
    try:
        with _time_limit(seconds):
            return _load(path, data, naming_convention)
    except _LoadTimeout as exc:
        raise _error(path, f"loading took longer than {seconds:g} s (does the file or its upgrade() loop?); "
                     f"raise --load-timeout or {LOAD_TIMEOUT_ENV} if it really needs longer",
                     _line_in(exc, path)) from None


def _load(path: Path, data: bytes, naming_convention: Mapping[str, str] | None) -> tuple[Revision, bool]:
    """The revision in the file whose bytes are ``data``, and whether it may be cached."""
    module, pure = _import(path, data)
    revision = getattr(module, "revision", None)
    if not isinstance(revision, str) or not revision.strip() or revision != revision.strip():
        raise _error(path, f"`revision` must be a non-empty string without surrounding spaces, not {revision!r}")
    if not hasattr(module, "down_revision"):
        raise _error(path, "`down_revision` is missing (use None for the first revision)")
    down = module.down_revision
    if down is not None and (not isinstance(down, str) or not down.strip()):
        raise _error(path, f"`down_revision` must be a revision id or None, not {down!r}")
    if down == revision:
        raise _error(path, f"revision {revision} names itself as its parent")
    upgrade = getattr(module, "upgrade", None)
    if not callable(upgrade):
        raise _error(path, "no `def upgrade(op):` function")
    if callable(getattr(module, "downgrade", None)):
        raise _error(path, "defines downgrade(): remove it, the ledger derives every reverse")
    try:
        steps = record_steps(upgrade, naming_convention=naming_convention)
    except Exception as exc:  # noqa: BLE001 - an upgrade that raises is the file's error
        what = "upgrade():" if isinstance(exc, LedgerError) else "upgrade() raised"
        # A class defined in the file is named by the file, not by the module name it was loaded under.
        text = _one_line(exc).replace(f"class {module.__name__}.", f"class {display_path(path)}:")
        raise _error(path, f"{what} {text}", _line_in(exc, path)) from None
    ops = tuple(op for step in steps for op in step.ops)
    try:
        digest = checksum(ops)
    except LedgerError as exc:
        raise _error(path, f"upgrade() issued an op that cannot be recorded: {_one_line(exc)}") from None
    message = inspect.cleandoc(module.__doc__) if isinstance(module.__doc__, str) else ""
    return Revision(id=revision, down_revision=down, message=message, path=path, steps=steps, checksum=digest), pure


# ---------------------------------------------------------------------------------------------
# Cached revisions
# ---------------------------------------------------------------------------------------------


def _entry(revision: Revision, digest: str) -> dict[str, Any]:
    """What the cache keeps of ``revision``, loaded from bytes with sha256 ``digest``."""
    from ledger.format.codec import encode

    return {
        "sha256": digest, "revision": revision.id, "down_revision": revision.down_revision,
        "message": revision.message, "checksum": revision.checksum,
        "steps": [{"batch": step.batch, "table_name": step.table_name, "schema": step.schema,
                   "ops": [encode(op).decode("utf-8") for op in step.ops]} for step in revision.steps],
    }


def _optional_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _from_entry(
    path: Path, entry: Mapping[str, Any], naming_convention: Mapping[str, str] | None, load_timeout: float | None,
) -> Revision | None:
    """The revision a cache entry stands for; None when the entry is not well formed."""
    rid, down, message, digest, steps = (entry.get(k) for k in ("revision", "down_revision", "message", "checksum",
                                                                  "steps"))
    if not (isinstance(rid, str) and rid and _optional_str(down) and isinstance(message, str)
            and isinstance(digest, str) and isinstance(steps, list)):
        return None
    count = 0
    for step in steps:
        if not (isinstance(step, dict) and isinstance(step.get("batch"), bool) and _optional_str(step.get("table_name"))
                and _optional_str(step.get("schema")) and isinstance(step.get("ops"), list)
                and all(isinstance(text, str) for text in step["ops"])):
            return None
        count += len(step["ops"])

    def decoded() -> tuple[Step, ...]:
        from ledger.format.codec import decode

        try:
            return tuple(Step(tuple(decode(text) for text in step["ops"]), batch=step["batch"],
                              table_name=step["table_name"], schema=step["schema"]) for step in steps)
        except LedgerError:
            # Readable when cached, not now (an op type registered by a plugin that is not
            # loaded): what loading the file gives is the truth.
            fresh = load_revision(path, naming_convention=naming_convention, load_timeout=load_timeout)
            if fresh.checksum != digest:
                raise _error(path, "changed while it was being loaded; run the command again") from None
            return fresh.steps

    return Revision(id=rid, down_revision=down, message=message, path=path, steps=decoded, checksum=digest,
                    op_count=count)


# ---------------------------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------------------------


@frozen
class RevisionChain:
    """The revisions of a project in chain order, first (down_revision None) to head."""

    revisions: tuple[Revision, ...] = ()

    def __iter__(self) -> Iterator[Revision]:
        return iter(self.revisions)

    def __len__(self) -> int:
        return len(self.revisions)

    @property
    def head(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.revisions)

    def get(self, revision_id: str) -> Revision | None:
        for revision in self.revisions:
            if revision.id == revision_id:
                return revision
        return None

    def resolve(self, ref: str) -> Revision:
        """The revision ``ref`` names: its id, a unique prefix of it, or ``head``."""
        if ref == "head":
            if self.head is None:
                raise RevisionError("there are no revisions")
            return self.head
        exact = self.get(ref)
        if exact is not None:
            return exact
        matches = [r for r in self.revisions if r.id.startswith(ref)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise RevisionError(f"revision {ref!r} is ambiguous: {', '.join(r.id for r in matches)}")
        raise RevisionError(f"no revision {ref!r}")

    def upto(self, ref: str | None) -> tuple[Revision, ...]:
        """The revisions from the first up to and including ``ref`` (all when None)."""
        if ref is None:
            return self.revisions
        target = self.resolve(ref)
        return self.revisions[: self.revisions.index(target) + 1]

    @classmethod
    def from_revisions(cls, revisions: Sequence[Revision]) -> RevisionChain:
        """Order ``revisions`` into one chain; anything but one linear chain is an error naming a file."""
        by_id: dict[str, Revision] = {}
        for revision in sorted(revisions, key=lambda r: str(r.path)):
            if revision.id in by_id:
                raise _error(revision.path, f"duplicate revision id {revision.id} (also in {display_path(by_id[revision.id].path)})")
            by_id[revision.id] = revision
        children: dict[str | None, list[Revision]] = {}
        for revision in by_id.values():
            if revision.down_revision is not None and revision.down_revision not in by_id:
                raise _error(revision.path, f"down_revision {revision.down_revision} of {revision.id} does not exist")
            children.setdefault(revision.down_revision, []).append(revision)
        for parent, kids in children.items():
            if len(kids) > 1:
                first, second = sorted(kids, key=lambda r: str(r.path))[:2]
                what = "two first revisions (down_revision None)" if parent is None else f"two heads: both revise {parent}"
                raise _error(second.path, f"{what}: {second.id} and {first.id} in {display_path(first.path)}")
        ordered: list[Revision] = []
        current = children.get(None, [])
        while current:
            ordered.append(current[0])
            current = children.get(current[0].id, [])
        if len(ordered) != len(by_id):
            stray = sorted((r for r in by_id.values() if r not in ordered), key=lambda r: str(r.path))[0]
            cycle = [stray.id]
            parent = stray.down_revision
            while parent is not None and parent not in cycle:
                cycle.append(parent)
                parent = by_id[parent].down_revision
            raise _error(stray.path, f"revisions form a cycle: {' -> '.join(cycle + [cycle[0]])}")
        return cls(tuple(ordered))


def migration_files(folder: Path) -> list[Path]:
    """The migration files of ``folder``: ``*.py`` not starting with ``_`` or ``.``."""
    # By name: the order of paths in one folder, without comparing Path objects part by part.
    return sorted((p for p in folder.glob("*.py") if not p.name.startswith(("_", "."))), key=lambda p: p.name)


def load_revisions(
    folder: Path, *, naming_convention: Mapping[str, str] | None = None, load_timeout: float | None = None,
) -> RevisionChain:
    """Load every migration file of ``folder`` into one chain (each file within ``load_timeout`` seconds).

    A file whose bytes are unchanged since an earlier load is read from the folder's cache
    (``__pycache__/schema-ledger-revisions.json``, see ``ledger.project.revision_cache``) rather than run.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise RevisionError(f"{display_path(folder)}: migrations folder does not exist (run `schema-ledger init`)")
    if alembic_script_folder(folder):  # read as migration files, its env.py would run
        raise RevisionError(f"{display_path(folder)}: an Alembic script folder (it holds env.py), not schema-ledger's "
                            "migrations folder: give schema-ledger one of its own (`schema-ledger init --migrations "
                            "NAME`, or `migrations = \"NAME\"` in schema-ledger.toml)")
    seconds = _load_timeout(load_timeout)
    cache = RevisionCache.open(folder, naming_convention)
    revisions = []
    complete = False
    try:
        for path in migration_files(folder):
            data = _read(path)
            digest = file_digest(data)
            entry = cache.get(path.name, digest)
            revision = _from_entry(path, entry, naming_convention, load_timeout) if entry is not None else None
            if revision is None:
                revision, pure = _load_timed(path, data, naming_convention, seconds)
                entry = _entry(revision, digest) if pure else None
            if entry is not None:
                cache.keep(path.name, entry)
            revisions.append(revision)
        complete = True
    finally:
        cache.save(complete=complete)
    return RevisionChain.from_revisions(revisions)


# ---------------------------------------------------------------------------------------------
# New files
# ---------------------------------------------------------------------------------------------

_TEMPLATE = '''"""{message}"""

import sqlalchemy as sa

revision = {revision!r}
down_revision = {down_revision!r}


def upgrade(op):
    pass
'''


def slug(message: str) -> str:
    """The part of a revision's file name that comes from its message: ``add_orders``."""
    words = re.sub(r"[^a-z0-9]+", "_", message.lower()).strip("_")
    return words[:40].rstrip("_") or "revision"


#: What a revision id given to ``new --rev-id`` may hold: it becomes part of a file name.
REVISION_ID_RULE = "1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit"
_REVISION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def check_revision_id(revision: str) -> str:
    """``revision`` when it is a safe revision id (no path separators, no spaces); else a ValueError naming the rule."""
    if _REVISION_ID.fullmatch(revision) is None or ".." in revision:
        raise ValueError(f"{revision!r} is not a revision id: use {REVISION_ID_RULE} (no '..')")
    return revision


def new_revision_file(folder: Path, message: str, down_revision: str | None, *, revision: str | None = None) -> Path:
    """Write a new, empty revision on top of ``down_revision``; return its path."""
    if revision is not None:
        try:
            check_revision_id(revision)
        except ValueError as exc:
            raise RevisionError(str(exc)) from None
    revision = revision or uuid.uuid4().hex[:12]
    path = Path(folder) / f"{revision}_{slug(message)}.py"
    if path.exists():
        raise RevisionError(f"{display_path(path)} already exists")
    text = message.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    path.write_text(_TEMPLATE.format(message=text, revision=revision, down_revision=down_revision), encoding="utf-8")
    return path
