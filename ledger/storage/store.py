"""The ledger table: creation with its refusal triggers, appends, streamed reads, and the applier lock."""

from __future__ import annotations

import contextlib
import functools
import operator
import enum
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa

from ops.base import LedgerError

from ledger import dialects
from ledger.dialects.ledger_table import REFUSAL, LockTimeout, rollback_if_open
from ledger.support import faults
from ledger.format.events import COLUMN_ATTRIBUTES, Actor, Event, fold_events, verify_chain

if TYPE_CHECKING:
    from ops import MigrateOperation

    from ledger.storage.seal import Seal

__all__ = ["REFUSAL", "LedgerStore", "LockTimeout", "fold_events", "verify_chain"]


class _Unread(enum.Enum):
    """Marks an argument the store reads from the database itself when the caller does not give it."""

    HEAD = "head"


def _text() -> sa.types.TypeEngine[Any]:
    return dialects.column_type(sa.Text(), "long_text_type")


def _literal_values(events: Sequence[Event], names: Sequence[str], literal: Callable[[Any], str]) -> str | None:
    """The rows of ``events``' columns ``names`` written as literals, ``a, b), (c, d`` (the first
    row's ``(`` and the last one's ``)`` are the caller's); None where a value has no literal (a
    NUL in a text)."""
    read = _row_reader(tuple(names))
    try:
        return "), (".join([", ".join(map(literal, read(event))) for event in events])
    except TypeError:
        return None


@functools.lru_cache(maxsize=8)
def _row_reader(names: tuple[str, ...]) -> Callable[[Event], tuple[Any, ...]]:
    """The values of an event's columns ``names``, in that order (what ``[event.to_row()[name] for
    name in names]`` gives, read in one call without the row's dict)."""
    getter = operator.attrgetter(*[COLUMN_ATTRIBUTES.get(name, name) for name in names])
    return getter if len(names) > 1 else lambda event: (getter(event),)


def _placeholder(dialect: sa.Dialect, name: str) -> str | None:
    """How SQL text names the value ``name`` for ``dialect``'s driver (None: its placeholders are positional)."""
    return {"pyformat": f"%({name})s", "named": f":{name}"}.get(dialect.paramstyle)


def _renumbered(row: str, order: tuple[str, ...], count: int) -> tuple[list[str], tuple[str, ...]] | None:
    """``count`` rows from the one row ``row`` whose ``$1`` to ``$n`` (asyncpg's positional
    placeholders) take the values ``order`` names (each ending ``_0``), the rows' placeholders
    numbered on, and the names of all their values in order; None where the statement binds more
    than the row's values or the row does not show ``$1`` to ``$n`` once each, in order."""
    width = len(order)
    if [int(found) for found in re.findall(r"\$(\d+)", row)] != list(range(1, width + 1)) \
            or not all(name.endswith("_0") for name in order):
        return None
    bases = [name[:-2] for name in order]
    rows = [re.sub(r"\$(\d+)", lambda found, shift=number * width: f"${int(found.group(1)) + shift}", row)
            for number in range(count)]
    return rows, tuple(f"{base}_{number}" for number in range(count) for base in bases)


def _closing(text: str, start: int) -> int:
    """Where the parenthesis opened at ``text[start]`` closes (-1: it does not)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "(":
            depth += 1
        elif text[index] == ")":
            depth -= 1
            if depth == 0:
                return index
    return -1


#: SQL text run as written: no %-interpolation by the driver (literal values may hold a %)
_AS_WRITTEN = {"no_parameters": True}


class LedgerStore:
    """One ledger table (default ``schema_ledger``), optionally in a schema."""

    def __init__(self, table_name: str = "schema_ledger", schema: str | None = None, *,
                 seal: Seal | None = None) -> None:
        self.table_name = table_name
        self.schema = schema
        #: what a run that moved the head does at its end: sign it, anchor it (None: nothing)
        self.seal = seal
        metadata = sa.MetaData()
        self.table = sa.Table(
            table_name, metadata,
            sa.Column("seq", dialects.column_type(sa.BigInteger(), "row_key_type"), primary_key=True,
                      autoincrement=False),
            sa.Column("event_id", sa.String(36), nullable=False, unique=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("revision", sa.String(255)),
            sa.Column("op_type", sa.String(64)),
            sa.Column("table_name", sa.String(255)),
            sa.Column("payload", _text()),
            sa.Column("payload_version", sa.Integer()),
            sa.Column("reverses", sa.BigInteger()),
            sa.Column("actor_os_user", sa.String(255)),
            sa.Column("actor_db_user", sa.String(255)),
            sa.Column("actor_host", sa.String(255)),
            sa.Column("actor_by", sa.String(255)),
            sa.Column("tool_version", sa.String(32)),
            sa.Column("recorded_at", sa.String(32), nullable=False),
            sa.Column("message", _text()),
            sa.Column("revision_checksum", sa.String(64)),
            sa.Column("prev_hash", sa.String(64), nullable=False),
            sa.Column("hash", sa.String(64), nullable=False),
            sa.Index(f"ix_{table_name}_revision", "revision", "seq"),
            sa.Index(f"ix_{table_name}_table_name", "table_name", "seq"),
            sa.Index(f"ix_{table_name}_recorded_at", "recorded_at"),
            sa.Index(f"ix_{table_name}_kind", "kind", "seq"),
            schema=schema,
        )
        #: one INSERT construct, so that SQLAlchemy compiles it once per dialect
        self._insert = self.table.insert()
        #: the statements of :meth:`insert_reading` (text, names of its positional values), by query
        #: and number of events
        self._inserts_reading: dict[tuple[Any, int, str], tuple[str, tuple[str, ...]]] = {}
        #: the same statement's text around its rows of literal values, per (query, driver)
        self._literal_inserts_reading: dict[tuple[Any, str], tuple[str, str] | None] = {}
        #: insert_before's text up to its rows, per driver
        self._written_before: dict[str, str] = {}
        #: the INSERT of :meth:`insert` as the driver's SQL text, by dialect and driver: (text, the
        #: names of its positional values, or None where its values are named); None where a value
        #: needs SQLAlchemy's conversion (then it runs as the construct)
        self._insert_texts: dict[tuple[str, str], tuple[str, tuple[str, ...] | None] | None] = {}
        #: one SELECT of the events after a seq, likewise (its cache key is worked out once, not per
        #: read: a run on SQLite reads the ledger in every revision's transaction)
        seq = self.table.c.seq
        self._after = sa.select(self.table).where(seq > sa.bindparam("after")).order_by(seq).limit(
            sa.bindparam("batch"))
        #: that SELECT as the driver's SQL text, by dialect and driver, as :attr:`_insert_texts`; None
        #: where a column's value is converted by SQLAlchemy on its way back (then it runs as the construct)
        self._after_texts: dict[tuple[str, str], tuple[str, tuple[str, ...] | None, dict[str, Any]] | None] = {}

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.table_name}" if self.schema else self.table_name

    # -- creation ------------------------------------------------------------------------------

    def exists(self, conn: sa.Connection) -> bool:
        return sa.inspect(conn).has_table(self.table_name, schema=self.schema)

    def create(self, conn: sa.Connection) -> bool:
        """Create the table, its indexes and the triggers that refuse UPDATE and DELETE (idempotent).

        Whether this call made the table, in the current transaction (it then holds no event);
        False where it was there already, and where each DDL statement commits on its own
        (MySQL/MariaDB). Where DDL is transactional the statements that make it go together
        (:meth:`ledger.dialects.database.Database.run_together`: one round trip on PostgreSQL)."""
        database = dialects.database(conn.dialect.name)
        if not database.transactional_ddl:
            self._create_piecewise(conn)
            database.add_ledger_triggers(conn, self.table, created=False)
            return False
        created = not self.exists(conn)
        if created:
            database.run_together(conn, self.creation_sql(conn.dialect))
        else:
            database.add_ledger_triggers(conn, self.table, created=False)
        return created

    def creation_sql(self, sa_dialect: sa.Dialect) -> list[str]:
        """The statements that make the table: CREATE TABLE, its indexes, its refusal triggers."""
        statements = [str(sa.schema.CreateTable(self.table).compile(dialect=sa_dialect)).strip()]
        statements += [str(sa.schema.CreateIndex(index).compile(dialect=sa_dialect))
                       for index in sorted(self.table.indexes, key=lambda i: str(i.name))]
        return statements + self.trigger_sql(sa_dialect.name, sa_dialect)

    def _create_piecewise(self, conn: sa.Connection) -> None:
        """Where each DDL statement commits on its own (MySQL/MariaDB), a run stopped while the
        table was being created leaves it without some indexes, so each is checked and made."""
        inspector = sa.inspect(conn)
        if not inspector.has_table(self.table_name, schema=self.schema):
            conn.execute(sa.schema.CreateTable(self.table))
            faults.boundary("ddl ledger table")
            inspector = sa.inspect(conn)
        present = {ix["name"] for ix in inspector.get_indexes(self.table_name, schema=self.schema)}
        for index in sorted(self.table.indexes, key=lambda i: str(i.name)):
            if index.name not in present:
                conn.execute(sa.schema.CreateIndex(index))
                faults.boundary("ddl ledger index")

    def trigger_sql(self, dialect: str, sa_dialect: sa.Dialect) -> list[str]:
        """The statements that create the refusal triggers on ``dialect`` (``apply --sql``, ``grants``)."""
        return dialects.database(dialect).ledger_triggers(self.table, sa_dialect)

    # -- reading -------------------------------------------------------------------------------

    def head(self, conn: sa.Connection, *, table_exists: bool | None = None) -> Event | None:
        """The newest event (None: none). ``table_exists``: what the caller already knows (None: look)."""
        if not (self.exists(conn) if table_exists is None else table_exists):
            return None
        row = conn.execute(sa.select(self.table).order_by(self.table.c.seq.desc()).limit(1)).first()
        return Event.from_row(row) if row is not None else None

    def events(
        self, conn: sa.Connection, *, after_seq: int = 0, upto_seq: int | None = None, batch: int = 5000,
        table_exists: bool | None = None, op_type: str | None = None,
    ) -> Iterator[Event]:
        """Events with ``after_seq < seq <= upto_seq`` in seq order, read in batches (memory stays flat).

        ``table_exists``: what a caller that created or found the table already knows (None: look).
        ``op_type``: only the events of that op type (the indexed column; others are not decoded).
        """
        if not (self.exists(conn) if table_exists is None else table_exists):
            return
        last = after_seq
        while True:
            if op_type is not None:
                query = sa.select(self.table).where(self.table.c.seq > last, self.table.c.op_type == op_type)
                if upto_seq is not None:
                    query = query.where(self.table.c.seq <= upto_seq)
                rows = conn.execute(query.order_by(self.table.c.seq).limit(batch)).all()
            elif upto_seq is None:
                rows = self._rows_after(conn, last, batch)
            else:
                query = sa.select(self.table).where(self.table.c.seq > last, self.table.c.seq <= upto_seq)
                rows = conn.execute(query.order_by(self.table.c.seq).limit(batch)).all()
            for row in rows:
                event = Event.from_row(row)
                last = event.seq
                yield event
            if len(rows) < batch:
                return

    def _rows_after(self, conn: sa.Connection, after: int, batch: int) -> list[Any]:
        """The rows of :attr:`_after`: as the driver's SQL text where no value needs SQLAlchemy's
        conversion (no cache key worked out, no statement compiled per read)."""
        key = (conn.dialect.name, conn.dialect.driver)
        if key not in self._after_texts:
            self._after_texts[key] = self._after_text(conn.dialect)
        found = self._after_texts[key]
        if found is None:
            return conn.execute(self._after, {"after": after, "batch": batch}).all()
        text, order, fixed = found
        values = {**fixed, "after": after, "batch": batch}  # (SQLite's OFFSET 0 is a value too)
        return conn.exec_driver_sql(text, tuple(values[name] for name in order) if order is not None else values).all()

    def _after_text(self, dialect: sa.Dialect) -> tuple[str, tuple[str, ...] | None, dict[str, Any]] | None:
        compiled = self._after.compile(dialect=dialect)
        try:
            if any(column.type.dialect_impl(dialect).result_processor(dialect, None) is not None
                   for column in self.table.c):
                return None
        except Exception:  # noqa: BLE001 - a type that needs the driver's column type: as the construct
            return None
        fixed = {name: value for name, value in compiled.params.items() if name not in ("after", "batch")}
        if compiled.positiontup is not None:
            return str(compiled), tuple(compiled.positiontup), fixed
        return str(compiled), None, fixed

    def count(self, conn: sa.Connection) -> int:
        if not self.exists(conn):
            return 0
        return int(conn.execute(sa.select(sa.func.count()).select_from(self.table)).scalar_one())

    # -- writing -------------------------------------------------------------------------------

    def append(
        self, conn: sa.Connection, *, kind: str, op: MigrateOperation | None, revision: str | None,
        message: str | None, actor: Actor, revision_checksum: str | None = None, reverses: int | None = None,
        after: Event | None | Literal[_Unread.HEAD] = _Unread.HEAD,
    ) -> Event:
        """Append one event after the current head, through the journal (:mod:`ledger.storage.journal`,
        the one event writer): a shortcut for one event. Call under the lock; a racing append fails on
        the seq key.

        ``after``: the head as the caller read it under the lock (None: the ledger is empty), which
        spares a read per event; left out, the head is read here.
        """
        from ledger.storage.journal import Journal

        journal = Journal(conn, self, actor) if after is _Unread.HEAD else Journal(conn, self, actor, head=after)
        return journal.record(kind, op, revision=revision, message=message, revision_checksum=revision_checksum,
                              reverses=reverses)

    def insert(self, conn: sa.Connection, events: Sequence[Event]) -> None:
        """INSERT ``events`` (already chained, in seq order) in one round trip: one ``executemany``.

        As the driver's SQL text, compiled once per dialect: a run on SQLite INSERTs the events
        of each revision on their own, and SQLAlchemy's execution of the construct costs more
        than SQLite's of the row."""
        if not events:
            return
        key = (conn.dialect.name, conn.dialect.driver)
        if key not in self._insert_texts:
            self._insert_texts[key] = self._insert_text(conn.dialect)
        compiled = self._insert_texts[key]
        if compiled is None:
            conn.execute(self._insert, [event.to_row() for event in events])
            return
        text, order = compiled
        if order is None:
            conn.exec_driver_sql(text, [event.to_row() for event in events])
            return
        # Each row's values in the statement's order, read from the event in one call.
        read = _row_reader(order)
        conn.exec_driver_sql(text, [read(event) for event in events])

    def _insert_text(self, dialect: sa.Dialect) -> tuple[str, tuple[str, ...] | None] | None:
        """:meth:`insert`'s SQL text for ``dialect`` and the order of its positional values; None
        where a column's value is converted by SQLAlchemy on its way to the driver."""
        compiled = self._insert.compile(dialect=dialect, column_keys=[column.name for column in self.table.c])
        if any(column.type.dialect_impl(dialect).bind_processor(dialect) is not None for column in self.table.c):
            return None
        if compiled.positiontup is not None:
            return str(compiled), tuple(compiled.positiontup)
        if list(compiled.bind_names.values()) != [column.name for column in self.table.c]:
            return None
        return str(compiled), None

    def insert_reading(self, conn: sa.Connection, events: Sequence[Event], query: sa.Select[Any]) -> list[Any] | None:
        """INSERT ``events`` and run ``query`` as one statement, the INSERT in its ``WITH`` (one round
        trip; the query reads the tables as they were before the statement): the query's rows. None
        where the database takes no INSERT in a ``WITH`` (then nothing was INSERTed)."""
        database = dialects.database(conn.dialect.name)
        if not events or not database.writes_in_with:
            return None
        literal = database.literal_writer(conn)
        values = None if literal is None else _literal_values(events, [column.name for column in self.table.c], literal)
        if values is not None:
            # The values written into the text (where the database reads literals exactly): the
            # driver binds no parameters, which cost more than the text (19 a row)
            texts = self._literal_inserts_reading.get((query, conn.dialect.driver))
            if texts is None:
                texts = self._literal_inserts_reading[(query, conn.dialect.driver)] = self._literal_insert_reading_sql(conn, query)
            if texts is not None:
                return list(conn.exec_driver_sql(texts[0] + values + texts[1], execution_options=_AS_WRITTEN))
        # One SQL text per (query, number of events, driver), its values bound by name: SQLAlchemy
        # does not cache a statement with an INSERT in its WITH, and compiled it each time.
        key = (query, len(events), conn.dialect.driver)
        compiled = self._inserts_reading.get(key)
        if compiled is None:
            compiled = self._inserts_reading[key] = self._insert_reading_sql(conn, query, len(events))
        text, order = compiled
        values = {f"{name}_{number}": value for number, event in enumerate(events) for name, value in event.to_row().items()}
        return list(conn.exec_driver_sql(text, tuple(values[name] for name in order) if order else values))

    def insert_before(self, conn: sa.Connection, events: Sequence[Event]) -> str | None:
        """``WITH sl_written AS (INSERT ...)`` of ``events``, their values written as literals, to be
        put before another statement of the same transaction: one statement, one round trip, and the
        row count the driver gives is the other statement's. None where the database takes no INSERT
        in a ``WITH`` or its driver's literals are not exact (:meth:`insert_reading` then)."""
        database = dialects.database(conn.dialect.name)
        literal = database.literal_writer(conn) if events and database.writes_in_with else None
        values = None if literal is None else _literal_values(events, [column.name for column in self.table.c], literal)
        if values is None:
            return None
        head = self._written_before.get(conn.dialect.driver)
        if head is None:
            prep = conn.dialect.identifier_preparer
            names = ", ".join(prep.quote(column.name) for column in self.table.c)
            head = self._written_before[conn.dialect.driver] = (
                f"WITH sl_written AS (INSERT INTO {prep.format_table(self.table)} ({names}) VALUES (")
        return f"{head}{values})) "

    def _literal_insert_reading_sql(self, conn: sa.Connection, query: sa.Select[Any]) -> tuple[str, str] | None:
        """:meth:`insert_reading`'s SQL text around its rows of literal values (``VALUES (`` ends the
        first part, the second begins with the row's ``)``); None where ``query`` binds parameters."""
        compiled = query.compile(dialect=conn.dialect)
        if compiled.params:
            return None
        prep = conn.dialect.identifier_preparer
        names = ", ".join(prep.quote(column.name) for column in self.table.c)
        return (f"WITH sl_written AS (INSERT INTO {prep.format_table(self.table)} ({names}) VALUES (",
                f")) {compiled}")

    def _insert_reading_sql(self, conn: sa.Connection, query: sa.Select[Any], count: int) -> tuple[str, tuple[str, ...]]:
        """The SQL text of :meth:`insert_reading` for ``count`` events, and the order of its values'
        names where the driver's placeholders are positional.

        Compiled once per query with one row; the other rows are that row's text with the values'
        names numbered on (SQLAlchemy compiles a statement of many rows in time that grows with
        them, about 0.3 ms a row); asyncpg's positional ``$n`` numbered on from row to row where the
        statement binds only the rows' values. Other positional placeholders, or a row whose names
        do not show as expected, are compiled whole."""
        def compiled(rows: int) -> Any:
            values = [{column.name: sa.bindparam(f"{column.name}_{number}", type_=column.type) for column in self.table.c}
                      for number in range(rows)]
            return query.add_cte(self.table.insert().values(values).cte("sl_written")).compile(dialect=conn.dialect)

        one = self._inserts_reading.get((query, 1, conn.dialect.driver))
        if one is None or count == 1:
            done = compiled(1)
            one = (str(done), tuple(done.positiontup or ()))
            if count == 1:
                return one
            self._inserts_reading[(query, 1, conn.dialect.driver)] = one
        text, order = one
        marks = {column.name: _placeholder(conn.dialect, f"{column.name}_0") for column in self.table.c}
        start = text.find(" VALUES (")
        end = _closing(text, start + len(" VALUES ")) if start >= 0 else -1
        row = text[start + len(" VALUES "):end + 1] if end > 0 else ""
        if order and conn.dialect.paramstyle == "numeric_dollar" and row:
            numbered = _renumbered(row, order, count)
            if numbered is not None:
                rows, names = numbered
                return text[:start + len(" VALUES ")] + ", ".join(rows) + text[end + 1:], names
        if order or None in marks.values() \
                or any(row.count(mark) != 1 for mark in marks.values()):  # type: ignore[arg-type]
            done = compiled(count)  # a driver with positional placeholders ($1 for asyncpg) takes the values in their order
            return str(done), tuple(done.positiontup or ())
        rows = [row]
        for number in range(1, count):
            numbered = row
            for name, mark in marks.items():
                numbered = numbered.replace(mark, _placeholder(conn.dialect, f"{name}_{number}"))  # type: ignore[arg-type]
            rows.append(numbered)
        return text[:start + len(" VALUES ")] + ", ".join(rows) + text[end + 1:], ()

    def insert_and_commit_sql(self, conn: sa.Connection, events: Sequence[Event]) -> str | None:
        """One SQL text that INSERTs ``events`` and commits, to be sent in one round trip; None where
        the database or its driver cannot take it (the caller INSERTs and commits apart)."""
        literal = dialects.database(conn.dialect.name).commit_in_statement(conn)
        if literal is None or not events:
            return None
        prep = conn.dialect.identifier_preparer
        names = [column.name for column in self.table.c]
        values = _literal_values(events, names, literal)
        if values is None:
            return None
        return (f"INSERT INTO {prep.format_table(self.table)} ({', '.join(prep.quote(n) for n in names)}) "
                f"VALUES ({values}); COMMIT")

    def insert_sql(self, event: Event, sa_dialect: sa.Dialect) -> str:
        """The INSERT that records ``event``, as SQL text (for ``apply --sql``)."""
        statement = self.table.insert().values(**event.to_row())
        return str(statement.compile(dialect=sa_dialect, compile_kwargs={"literal_binds": True}))

    # -- the applier lock ----------------------------------------------------------------------

    def lock_key(self) -> str:
        return f"schema-ledger:{self.fullname}"

    @contextlib.contextmanager
    def lock(self, conn: sa.Connection, timeout: float = 60.0) -> Iterator[None]:
        """Hold the applier lock for the block; with a :attr:`seal`, a block that moved the head
        ends by signing and anchoring the new head (also when it failed after recording events)."""
        with self._held(conn, timeout):
            if self.seal is None:
                yield
                return
            start = self.seal.start(conn, self)
            try:
                yield
            except BaseException:
                if not (conn.invalidated or conn.closed):
                    with contextlib.suppress(sa.exc.SQLAlchemyError, LedgerError):
                        rollback_if_open(conn)
                        self.seal.finish(conn, self, start)
                raise
            self.seal.finish(conn, self, start)

    @contextlib.contextmanager
    def _held(self, conn: sa.Connection, timeout: float = 60.0) -> Iterator[None]:
        """Hold the applier lock for the block: the database object's (PostgreSQL: a session
        advisory lock; MySQL/MariaDB: GET_LOCK; SQLite: the write lock each transaction takes)."""
        with dialects.database(conn.dialect.name).applier_lock(conn, self.lock_key(), timeout, self.fullname):
            yield
