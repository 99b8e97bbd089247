"""Convert an Alembic script folder into schema-ledger migration files.

Each revision's ``upgrade()`` runs, in Alembic's upgrade order, against a scratch database of
the chosen dialect with the Alembic hook attached (so dialect conditionals, inspections and
data migrations behave as they would for real); the ops the hook records become one migration
file per Alembic revision, with the same id and message, rendered as ``op.*`` calls. A
history with branches and merges is linearized in that order, and each file says so. Data
migrations become ``op.execute`` calls holding the SQL that ran on the scratch database. What
cannot be rendered, and revisions whose ``upgrade()`` fails, are reported with the file and
line; the import goes on with the rest.
"""

from __future__ import annotations

import configparser
import os
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.operations import Operations as AlembicOperations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ops import LedgerError, MigrateOperation

from . import dialects
from .alembic import Recorder
from .db import dialect_of
from .render import RenderError, python_source
from .revisions import _slug
from .store import LedgerStore

__all__ = ["ImportError_", "ImportProblem", "ImportResult", "ImportedRevision", "import_alembic"]

SCRATCH_URL_ENV = "SCHEMA_LEDGER_SCRATCH_URL"
_SCRATCH_LEDGER = "schema_ledger_import"


class ImportError_(LedgerError, ValueError):  # noqa: N801 - ImportError is a builtin
    """The Alembic folder or the scratch database cannot be used."""


@attrs.frozen
class ImportProblem:
    """Something the import could not carry over, where it is in the Alembic files."""

    revision: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@attrs.frozen
class ImportedRevision:
    id: str
    message: str
    path: Path
    ops: int
    linearized: str | None = None


@attrs.frozen
class ImportResult:
    into: Path
    dialect: str
    revisions: tuple[ImportedRevision, ...]
    problems: tuple[ImportProblem, ...]


def _script_directory(path: Path) -> ScriptDirectory:
    path = Path(path)
    if path.is_file():
        config = AlembicConfig(str(path))
        try:
            location = config.get_main_option("script_location")
        except (configparser.Error, UnicodeDecodeError) as exc:
            raise ImportError_(f"{path}: not an alembic.ini file: {' '.join(str(exc).split())[:200]}") from None
        if not location:
            raise ImportError_(f"{path}: no script_location in [alembic]")
        location = location.replace("%(here)s", str(path.parent))
        folder = Path(location)
        path = folder if folder.is_absolute() else path.parent / folder
    if not (path / "versions").is_dir():
        raise ImportError_(f"{path}: not an Alembic script folder (no versions/ folder)")
    return ScriptDirectory(str(path))


def _upgrade_order(script: ScriptDirectory) -> list[Any]:
    """The revisions in the order ``alembic upgrade heads`` runs them on an empty database."""
    return list(reversed(list(script.revision_map.iterate_revisions("heads", (), implicit_base=True))))


def _where_failed(exc: BaseException, path: Path) -> str:
    target = str(path)
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == target:
            line = frame.lineno
    return f"{path}:{line}" if line else str(path)


def _scratch_url(dialect: str, url: str | None, folder: Path) -> str:
    if url:
        return url
    if dialect == "sqlite":
        return f"sqlite:///{folder / 'scratch.db'}"
    from_env = os.environ.get(SCRATCH_URL_ENV)
    if from_env:
        return from_env
    raise ImportError_(f"importing for {dialect} needs an empty scratch database: pass its URL "
                       f"(--scratch-url) or set {SCRATCH_URL_ENV}")


def import_alembic(path: Path | str, dialect: str = "sqlite", into: Path | str | None = None, *,
                   url: str | None = None) -> ImportResult:
    """Write one schema-ledger migration file per Alembic revision of ``path`` into ``into``.

    ``path`` is an Alembic script folder (with ``versions/``) or its ``alembic.ini``.
    ``dialect`` is the database the revisions run on: ``sqlite`` uses a temporary file;
    ``postgresql`` and ``mysql`` need ``url``, an empty database that the import may write to.
    """
    try:
        dialect = dialects.database(dialect).name
    except dialects.UnsupportedDialectError:
        raise ImportError_(f"unsupported dialect {dialect!r} ({', '.join(dialects.choices())})") from None
    script = _script_directory(Path(path))
    target = Path(into) if into is not None else Path("migrations")
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sl-import-") as scratch:
        scratch_url = _scratch_url(dialect, url, Path(scratch))
        engine = sa.create_engine(scratch_url)
        try:
            if dialect_of(engine) != dialect:
                raise ImportError_(f"the scratch database {engine.url.render_as_string()} is not {dialect}")
            recorded, problems = _run(script, engine)
        finally:
            engine.dispose()
    return _write(recorded, problems, target, dialect)


@attrs.frozen
class _Recorded:
    revision: Any
    ops: tuple[tuple[MigrateOperation, str | None], ...]
    failed: bool


def _run(script: ScriptDirectory, engine: sa.Engine) -> tuple[list[_Recorded], list[ImportProblem]]:
    recorded: list[_Recorded] = []
    problems: list[ImportProblem] = []
    with engine.connect() as conn:
        if sa.inspect(conn).get_table_names():
            raise ImportError_(f"the scratch database {engine.url.render_as_string()} is not empty")
        conn.rollback()  # the inspection began a transaction; each revision runs in its own
        context = MigrationContext.configure(connection=conn, opts={"target_metadata": None})
        recorder = Recorder(context, LedgerStore(_SCRATCH_LEDGER))
        recorder.install()
        try:
            with AlembicOperations.context(context):
                for revision in _upgrade_order(script):
                    path = Path(revision.path)
                    before = len(recorder.events)
                    failed = False
                    try:
                        with conn.begin():
                            recorder.run_revision(revision.revision, revision.doc, revision.module.upgrade,
                                                  path=path)
                    except Exception as exc:  # noqa: BLE001 - any failure is reported, the import goes on
                        failed = True
                        recorder.state = None  # re-read from the scratch ledger: the revision rolled back
                        del recorder.events[before:]
                        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:400]
                        problems.append(ImportProblem(revision.revision, _where_failed(exc, path),
                                                      f"upgrade() failed on the scratch database, "
                                                      f"nothing of it is imported ({message})"))
                    ops = tuple((e.op, recorder.origins.get(e.seq)) for e in recorder.events[before:]
                                if e.op is not None)
                    recorded.append(_Recorded(revision, ops, failed))
        finally:
            recorder.uninstall()
    return recorded, problems


_FILE = '''"""{message}{notes}"""

{imports}

revision = {revision!r}
down_revision = {down_revision!r}


def upgrade(op):
{body}'''


def _docstring(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _down_revisions(revision: Any) -> tuple[str, ...]:
    down = revision.down_revision
    if down is None:
        return ()
    return (down,) if isinstance(down, str) else tuple(down)


def _write(recorded: Sequence[_Recorded], problems: list[ImportProblem], target: Path,
           dialect: str) -> ImportResult:
    written: list[ImportedRevision] = []
    previous: str | None = None
    for item in recorded:
        revision = item.revision
        path = Path(revision.path)
        statements: list[str] = []
        imports: set[str] = {"import sqlalchemy as sa"}
        rendered = 0
        for op, origin in item.ops:
            try:
                source = python_source([op])
            except (RenderError, LedgerError, TypeError, ValueError) as exc:
                where = origin or str(path)
                problems.append(ImportProblem(revision.revision, where, f"{op.describe()} cannot be rendered: {exc}"))
                statements.append(f"    # NOT IMPORTED ({where}): {' '.join(op.describe().split())}\n")
                continue
            imports.update(source.imports)
            statements.append(source.body)
            rendered += 1
        notes: list[str] = []
        downs = _down_revisions(revision)
        linearized = None
        if len(downs) > 1 or (downs and downs[0] != previous) or (not downs and previous is not None):
            linearized = (f"Alembic revision {revision.revision} follows "
                          f"{', '.join(downs) or 'base'}; linearized in Alembic's upgrade order after "
                          f"{previous or 'base'}.")
            notes.append(linearized)
        if len(downs) > 1:
            notes.insert(0, f"Merge of {', '.join(downs)}.")
        if item.failed:
            notes.append("Its upgrade() failed on the scratch database: nothing of it was imported.")
        notes.append(f"Imported from {path.name} (ran on {dialect}).")
        message = (revision.doc or "").strip() or revision.revision
        text = _FILE.format(
            message=_docstring(message),
            notes="\n\n" + _docstring("\n".join(notes)) + "\n",
            imports="\n".join(sorted(imports)),
            revision=revision.revision,
            down_revision=previous,
            body="".join(statements) or "    pass\n",
        )
        out = target / f"{revision.revision}_{_slug(message)}.py"
        out.write_text(text, encoding="utf-8")
        written.append(ImportedRevision(revision.revision, message, out, rendered, linearized))
        previous = revision.revision
    return ImportResult(target, dialect, tuple(written), tuple(problems))
