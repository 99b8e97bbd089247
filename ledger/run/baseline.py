"""Adopt a database that already has tables: record its live schema as ``baseline`` events.

The live schema is reflected and written as ops whose fold is that schema: one
``create_table`` per table (columns, primary key, unique and check constraints, comment), then
its indexes, then every foreign key once all tables exist, so tables that reference each
other or themselves need no particular order. Nothing runs on the database but the ledger
table's creation and the INSERTs of the events.

What a reflected schema needs before it can be recorded:

- a name for every constraint and index (SQLite keeps none for a constraint created without
  ``CONSTRAINT name``): the project's naming convention gives one; ``verify --live`` matches
  such a constraint to the fold's by what it is;
- PostgreSQL's ``nextval(...)`` defaults are dropped: they are the sequence of a SERIAL
  column, which the tool writes again from the column's autoincrement, and compare ignores;
- every column type must be one the codec knows (SQLAlchemy's and registered types);
- the sequences no column owns (``CREATE SEQUENCE``: flask_appbuilder's ids draw on them) are
  part of the schema: each is recorded first, as an ``execute`` op with its ``DROP SEQUENCE`` as
  the reverse (the fold holds tables only); a key column whose SERIAL sequence would be one of
  them is recorded without autoincrement, as the database holds it (no default draws on it).

The folded state is also written to ``baseline.json`` in the migrations folder (when there
is one and the file does not exist yet), its sequences under ``sequences``: ``new
--autogenerate`` starts from it, since it reads no database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from ops import (
    CreateForeignKeyOp,
    CreateIndexOp,
    CreateTableOp,
    ExecuteSQLOp,
    LedgerError,
    MigrateOperation,
    SchemaState,
)
from ops.specs import ColumnSpec, PrimaryKeySpec, TableSpec, held_unnamed

from ledger.schema.autogenerate import BASELINE_FILE
from ledger.project.config import Config
from ledger.storage.db import dialect_of
from ledger.format.events import Actor, Event, in_effect
from ledger.schema.render import render_json, state_from_json, state_to_json
from ledger import dialects
from ledger.dialects.sequences import SequenceSpec, sequence_op, sequences_from_json, sequences_to_json
from ledger.storage.journal import Journal
from ledger.storage.session import connect, db_user, missing_sqlite_file, safe_url, store_for, tx, wrap_db_errors
from ledger.storage.store import LedgerStore

__all__ = ["BASELINE_FILE", "Adoption", "BaselineError", "BaselineResult", "adopt", "adopted_alembic_revisions",
           "alembic_version", "baseline", "baseline_ops", "build_baseline", "prepare", "reflect_sequences",
           "replay_baseline", "snapshot_text", "starting_schema"]

DEFAULT_MESSAGE = "baseline: the schema as it was found"
#: how a baseline's message names the Alembic revisions its database was at
_ALEMBIC_NOTE = " (Alembic revision {})"
_ALEMBIC_NOTE_RE = re.compile(r" \(Alembic revision ([^()]+)\)$")


def adopted_alembic_revisions(events: Sequence[Event]) -> list[str]:
    """The Alembic revisions the database was at when it was baselined (its version table's rows).

    A rollback to the baseline puts them back in Alembic's version table, so that ``alembic
    upgrade heads`` runs from where the adopted database stood.
    """
    for event in in_effect(events):
        if event.kind == "baseline" and (found := _ALEMBIC_NOTE_RE.search(event.message or "")):
            return [r.strip() for r in found.group(1).split(",") if r.strip()]
    return []


class BaselineError(LedgerError, RuntimeError):
    """The database cannot be baselined: its ledger has events, or its schema cannot be recorded."""


@attrs.frozen
class BaselineResult:
    events: tuple[Event, ...]
    tables: int
    #: what the database's ``alembic_version`` table says (None when it has none)
    alembic_revision: str | None
    #: the snapshot written for autogenerate (None when none was written)
    snapshot: Path | None = None
    warnings: tuple[str, ...] = ()
    #: the sequences recorded (those no column owns)
    sequences: int = 0

    @property
    def head(self) -> Event | None:
        return self.events[-1] if self.events else None


def _sort_key(table: TableSpec) -> tuple[str, str]:
    return (table.schema or "", table.name)


def _check_types(table: TableSpec) -> None:
    for column in table.columns:
        try:
            column.type.to_sa()
        except LedgerError:
            raise BaselineError(
                f"column {table.fullname}.{column.name}: its type {column.type.name} is not one schema-ledger knows; "
                "register it with ops.register_type before the baseline"
            ) from None


def _recordable(column: ColumnSpec, primary_key: PrimaryKeySpec | None) -> ColumnSpec:
    if primary_key is not None and column.name in primary_key.columns and column.nullable:
        # SQLite reports a primary-key column declared without NOT NULL as nullable; a key
        # column is NOT NULL (compare sees it so too).
        column = attrs.evolve(column, nullable=False)
    # A SERIAL's ``nextval`` default, of the sequence its column owns, is not in what was
    # reflected (replaying SERIAL makes both again); one that draws on a sequence no column owns
    # is a default someone declared, recorded as the database holds it beside that sequence.
    return column


def _without_serial(table: TableSpec, dialect: str, sequences: Sequence[SequenceSpec]) -> TableSpec:
    """``table`` whose autoincrement column, replayed, would make a sequence the database holds on its
    own (PostgreSQL's SERIAL ``t_id_seq`` beside a ``CREATE SEQUENCE t_id_seq``): that column is
    recorded without autoincrement, as the database holds it (no default draws on the sequence)."""
    names = {s.name for s in sequences if s.schema == table.schema}
    if not names:
        return table
    column = table.to_table(with_indexes=False)._autoincrement_column
    spec = table.column(column.name) if column is not None else None
    if spec is None or spec.server_default is not None or spec.identity is not None:
        return table
    if dialects.database(dialect).serial_sequence_name(table.name, spec.name) not in names:
        return table
    columns = tuple(attrs.evolve(c, autoincrement=False) if c.name == spec.name else c for c in table.columns)
    return attrs.evolve(table, columns=columns)


def prepare(live: SchemaState, dialect: str, naming_convention: Mapping[str, str] | None = None,
            sequences: Sequence[SequenceSpec] = ()) -> SchemaState:
    """``live`` (reflected) made recordable: every item named, key columns NOT NULL, sequence
    defaults dropped, types checked; ``sequences``: those the database holds besides."""
    tables: dict[tuple[str | None, str], TableSpec] = {}
    used: set[tuple[str | None, str]] = set()
    for table in sorted(live.tables.values(), key=_sort_key):
        for item in table.constraints + table.indexes:
            if item.name is not None:
                used.add((table.schema, item.name))

    def name(item: object, table: TableSpec) -> object:
        if item.name is not None:  # type: ignore[attr-defined]
            return item
        first = held_unnamed(item, table.name, naming_convention)  # the database keeps no name for it
        candidate, n = first, 2
        while (table.schema, candidate.name) in used:
            candidate = attrs.evolve(first, name=f"{first.name}_{n}")
            n += 1
        used.add((table.schema, candidate.name))
        return candidate

    for table in sorted(live.tables.values(), key=_sort_key):
        _check_types(table)
        table = _without_serial(table, dialect, sequences)
        tables[table.key] = attrs.evolve(
            table,
            columns=tuple(_recordable(c, table.primary_key) for c in table.columns),
            primary_key=name(table.primary_key, table) if table.primary_key is not None else None,
            foreign_keys=tuple(name(i, table) for i in table.foreign_keys),
            uniques=tuple(name(i, table) for i in table.uniques),
            checks=tuple(name(i, table) for i in table.checks),
            indexes=tuple(name(i, table) for i in table.indexes),
        )
    return SchemaState(tables).with_rules_of(dialects.empty_state(dialect))


def baseline_ops(state: SchemaState, sequences: Sequence[SequenceSpec] = (), dialect: str | None = None,
                 conn: sa.Connection | None = None) -> list[MigrateOperation]:
    """Completed ops whose fold from nothing is ``state`` (every item named): the ``sequences`` first (as
    ``execute`` ops in the SQL of ``dialect``, compiled for ``conn``'s server when given: a column
    default may draw on one), then tables, indexes, foreign keys."""
    tables = sorted(state.tables.values(), key=_sort_key)
    planned: list[MigrateOperation] = []
    # the schemas other than the default one the tables live in, made first where a database has them
    # (PostgreSQL: reana's __reana), so that a replay, a materialized copy or an import makes them too
    schemas = sorted({t.schema for t in tables if t.schema is not None})
    create_schema = getattr(dialects.database(dialect), "create_schema_sql", None) if dialect and schemas else None
    if create_schema is not None:
        quote = dialects.compile_dialect(dialect, conn).identifier_preparer.quote  # type: ignore[arg-type]
        planned += [ExecuteSQLOp(create_schema(quote(name)), reverse_sql=f"DROP SCHEMA IF EXISTS {quote(name)}")
                    for name in schemas]
    if sequences:
        assert dialect is not None, "sequences are written in the SQL of a dialect"
        compiler = dialects.compile_dialect(dialect, conn)
        planned += [sequence_op(s, compiler) for s in sorted(sequences, key=lambda s: (s.schema or "", s.name))]
    planned += [CreateTableOp(attrs.evolve(t, foreign_keys=(), indexes=())) for t in tables]
    planned += [CreateIndexOp(t.name, index, schema=t.schema) for t in tables for index in t.indexes]
    planned += [CreateForeignKeyOp(t.name, fk, schema=t.schema) for t in tables for fk in t.foreign_keys]
    done: list[MigrateOperation] = []
    folded = state.emptied()
    for op in planned:
        try:
            op = op.complete(folded)
            folded = op.apply(folded)
        except LedgerError as exc:
            raise BaselineError(f"cannot record {op.describe()}: {exc}") from None
        done.append(op)
    return done


def reflect_sequences(conn: sa.Connection) -> tuple[SequenceSpec, ...]:
    """The sequences of the connection's default schema that no column owns, as the database stores them."""
    return tuple(dialects.database(dialect_of(conn)).reflect_sequences(conn, None))


def snapshot_text(state: SchemaState, sequences: Sequence[SequenceSpec] = ()) -> str:
    """``baseline.json``: the schema document of ``state`` (:func:`render_json`), with its ``sequences``
    when there are any (a file without them reads as before)."""
    if not sequences:
        return render_json(state)
    document = state_to_json(state)
    document["sequences"] = sequences_to_json(sequences)
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def starting_schema(folder: Path, dialect: str) -> tuple[SchemaState, tuple[SequenceSpec, ...]] | None:
    """The schema the migrations in ``folder`` start from: its ``baseline.json`` (tables, sequences) under
    the name rule of ``dialect``; None without one. A file that cannot be read is a BaselineError."""
    path = folder / BASELINE_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = state_from_json(data, dialects.empty_state(dialect))
        sequences = sequences_from_json(data.get("sequences"))
    except (OSError, ValueError, LedgerError) as exc:
        raise BaselineError(f"{path}: {exc}") from None
    return state, sequences


def alembic_version(conn: sa.Connection) -> str | None:
    """What the database's ``alembic_version`` table holds, its rows joined (None: no table, or empty)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    try:
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version ORDER BY version_num")).scalars().all()
    except sa.exc.DBAPIError:
        return None
    return ", ".join(str(r) for r in rows) or None


@attrs.frozen
class Adoption:
    """What an adopting command found and records: baseline events, one per op (an op-less one for an
    empty revision), each under its revision and checksum (None: a baseline of the live schema)."""

    #: (op, the schema after it, revision, revision checksum) per event, in order
    entries: tuple[tuple[MigrateOperation | None, SchemaState, str | None, str | None], ...]
    message: str
    state: SchemaState
    #: the sequences recorded besides the tables
    sequences: tuple[SequenceSpec, ...] = ()


def adopt(
    config: Config, examine: Callable[[sa.Connection, str], Adoption], *, who: str, nothing: str,
    by: str | None = None, lock_timeout: float = 60.0,
) -> tuple[Adoption, tuple[Event, ...]]:
    """Record what ``examine(conn, dialect)`` finds as baseline events, on a database whose ledger is empty.

    Everything is checked before the ledger table is created (the emptiness of the ledger, then
    ``examine``, which raises to refuse): a refusal changes nothing. ``who`` and ``nothing`` word
    the refusals: "a baseline only adopts ...", "... does not exist: there are no tables to adopt".
    """
    store = store_for(config)
    if missing_sqlite_file(config.url):
        # Connecting would create the file: a refused adoption leaves no trace.
        raise BaselineError(f"{safe_url(config.url)} does not exist: {nothing}")
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout):
        dialect = dialect_of(conn)
        actor = Actor.current(db_user=db_user(conn), by=by)
        with store.lock(conn, lock_timeout):
            with tx(conn):
                count = store.count(conn) if store.exists(conn) else 0
                if count:
                    raise BaselineError(
                        f"the ledger {store.fullname} already has {count} event{'s' if count != 1 else ''}: {who} adopts "
                        "a database whose ledger is empty"
                    )
                found = examine(conn, dialect)
            with tx(conn):
                store.create(conn)
            with tx(conn):
                journal = Journal(conn, store, actor)
                events = tuple(journal.record("baseline", op, state, revision=revision, message=found.message,
                                              revision_checksum=checksum)
                               for op, state, revision, checksum in found.entries)
    return found, events


def baseline(
    config: Config, *, why: str | None = None, by: str | None = None, lock_timeout: float = 60.0,
    snapshot: bool = True,
) -> BaselineResult:
    """Record ``config``'s live schema as baseline events; refused when the ledger has events."""
    from ledger.inspect.drift import reflect_live

    alembic: str | None = None

    def examine(conn: sa.Connection, dialect: str) -> Adoption:
        nonlocal alembic
        alembic = alembic_version(conn)
        sequences = reflect_sequences(conn)
        state = prepare(reflect_live(conn, config, every_schema=True, foreign_key_indexes=True), dialect,
                        config.naming_convention, sequences)
        if not state.tables:
            raise BaselineError("the database has no tables to adopt: start with `schema-ledger apply`")
        message = why or DEFAULT_MESSAGE
        if alembic:
            message += _ALEMBIC_NOTE.format(alembic)
        entries = []
        folded = state.emptied()
        for op in baseline_ops(state, sequences, dialect, conn):
            folded = op.apply(folded)
            entries.append((op, folded, None, None))
        return Adoption(tuple(entries), message, state, sequences)

    found, events = adopt(config, examine, who="a baseline only", nothing="there are no tables to adopt", by=by,
                          lock_timeout=lock_timeout)
    written, warnings = _write_snapshot(config, found.state, found.sequences) if snapshot else (None, [])
    return BaselineResult(events, len(found.state.tables), alembic, written, tuple(warnings), len(found.sequences))


def _write_snapshot(config: Config, state: SchemaState,
                    sequences: Sequence[SequenceSpec] = ()) -> tuple[Path | None, list[str]]:
    folder = config.migrations_dir
    if not folder.is_dir():
        return None, []
    path = folder / BASELINE_FILE
    text = snapshot_text(state, sequences)
    if path.exists():
        try:
            same = json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
        except (OSError, ValueError):
            same = False
        if not same:
            return None, [f"{path} exists and describes another schema; it was left as it is"]
        return None, []
    path.write_text(text, encoding="utf-8")
    return path, []


def replay_baseline(config: Config, url: str) -> int:
    """Replay ``config``'s baseline events into the empty database at ``url``; return how many.

    Each op's DDL runs and the same ``baseline`` event (op, message, actor) is recorded in
    that database's ledger, so it starts where ``config``'s ledger starts: what a rollback
    drill of a baselined project needs before its first revision.
    """
    store = store_for(config)
    file = dialects.database_file(config.url)
    if file is not None and not file.exists():
        return 0  # connecting would create the file: a drill must leave a missing target missing
    with connect(config.url) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return 0
        table = store.table
        rows = conn.execute(sa.select(table).where(table.c.kind == "baseline").order_by(table.c.seq))
        events = [Event.from_row(row) for row in rows]
    if not events:
        return 0
    with connect(url) as conn, wrap_db_errors():
        # A stamped baseline keeps its revisions: they are applied in the copy as in the original.
        build_baseline(conn, store, [(event.op, {"revision": event.revision, "message": event.message,
                                                  "actor": event.actor, "revision_checksum": event.revision_checksum})
                                     for event in events if event.op is not None or event.revision is not None])
    return len(events)


def build_baseline(conn: sa.Connection, store: LedgerStore,
                   entries: Sequence[tuple[MigrateOperation | None, Mapping[str, Any]]]) -> SchemaState:
    """Create the ledger table on the empty database of ``conn``, then run each op's DDL and record it
    as a ``baseline`` event (``entries``: the op and what ``Journal.record`` takes besides); the state
    the database then holds.

    How a ledger's baseline is replayed into a scratch database (drills), and how ``import-alembic``
    gives its scratch database the schema a history starts from.
    """
    dialect = dialect_of(conn)
    with tx(conn):
        store.create(conn)
    journal = Journal(conn, store, Actor.current())
    state = dialects.empty_state(dialect)
    for op, fields in entries:
        statements = dialects.ddl(op, state, dialect, conn=conn) if op is not None else []
        state = op.apply(state) if op is not None else state
        with tx(conn):
            dialects.execute(conn, list(statements))
            journal.record("baseline", op, state, **fields)
    return state
