"""The ledger table: creation with its refusal triggers, appends, streamed reads, and the applier lock."""

from __future__ import annotations

import contextlib
import enum
import hashlib
import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from ops import MigrateOperation
from ops.base import LedgerError

from ledger.support import faults
from ledger.storage.db import dialect_of
from ledger.format.events import Actor, Event, fold_events, verify_chain

if TYPE_CHECKING:
    from ledger.storage.seal import Seal

__all__ = ["LedgerStore", "LockTimeout", "fold_events", "verify_chain"]

REFUSAL = "schema-ledger: the ledger table is append-only; rows cannot be changed or deleted"


class LockTimeout(LedgerError, TimeoutError):
    """Another applier holds the lock for longer than the timeout allows."""


class _Unread(enum.Enum):
    """Marks an argument the store reads from the database itself when the caller does not give it."""

    HEAD = "head"


def _text() -> sa.types.TypeEngine[Any]:
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


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
            sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
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

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.table_name}" if self.schema else self.table_name

    # -- creation ------------------------------------------------------------------------------

    def exists(self, conn: sa.Connection) -> bool:
        return sa.inspect(conn).has_table(self.table_name, schema=self.schema)

    def create(self, conn: sa.Connection) -> None:
        """Create the table, its indexes and the triggers that refuse UPDATE and DELETE (idempotent)."""
        dialect = dialect_of(conn)
        if dialect == "mysql":
            self._create_piecewise(conn)
            return
        if self.exists(conn):
            if dialect == "sqlite":
                self._add_replace_trigger(conn)
            return
        self.table.create(conn)
        for statement in self.trigger_sql(dialect, conn.dialect):
            conn.exec_driver_sql(statement)

    def _add_replace_trigger(self, conn: sa.Connection) -> None:
        """SQLite: a ledger made by an earlier version gets the trigger that refuses INSERT OR REPLACE."""
        master = f"{conn.dialect.identifier_preparer.quote_schema(self.schema)}.sqlite_master" if self.schema \
            else "sqlite_master"
        name = f"{self.table_name}_no_replace"
        if conn.execute(sa.text(f"SELECT 1 FROM {master} WHERE type = 'trigger' AND name = :n"), {"n": name}).first():
            return
        conn.exec_driver_sql(self.trigger_sql("sqlite", conn.dialect)[-1])

    def _create_piecewise(self, conn: sa.Connection) -> None:
        """MySQL/MariaDB commit each DDL statement on its own: a run stopped while the table was
        being created leaves it without some indexes or triggers, so each is checked and made."""
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
        schema = self.schema if self.schema is not None else conn.exec_driver_sql("SELECT DATABASE()").scalar()
        triggers = {row[0] for row in conn.execute(
            sa.text("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                    "WHERE EVENT_OBJECT_SCHEMA = :s AND EVENT_OBJECT_TABLE = :t"),
            {"s": schema, "t": self.table_name})}
        for what, statement in zip(("update", "delete"), self.trigger_sql("mysql", conn.dialect), strict=True):
            if f"{self.table_name}_no_{what}" not in triggers:
                conn.exec_driver_sql(statement)
                faults.boundary("ddl ledger trigger")

    def trigger_sql(self, dialect: str, sa_dialect: sa.Dialect) -> list[str]:
        prep = sa_dialect.identifier_preparer
        table = prep.format_table(self.table)

        def name(suffix: str) -> str:
            trigger = prep.quote(f"{self.table_name}_{suffix}")
            return f"{prep.quote_schema(self.schema)}.{trigger}" if self.schema else trigger

        message = REFUSAL.replace("'", "''")
        if dialect == "sqlite":
            # INSERT OR REPLACE deletes the row it replaces without firing the DELETE trigger.
            return [
                f"CREATE TRIGGER {name(what)} BEFORE {what.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
                for what in ("update", "delete")
            ] + [
                f"CREATE TRIGGER {name('no_replace')} BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE seq = NEW.seq OR event_id = NEW.event_id) "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            ]
        if dialect == "postgresql":
            function = name("refuse_change")
            return [
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$sl$ BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; END $sl$",
                f"CREATE TRIGGER {prep.quote(self.table_name + '_no_change')} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
                f"CREATE TRIGGER {prep.quote(self.table_name + '_no_truncate')} BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()",
                # Fire in every session_replication_role (replica would skip an ordinary trigger).
                f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {prep.quote(self.table_name + '_no_change')}",
                f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {prep.quote(self.table_name + '_no_truncate')}",
            ]
        if dialect == "mysql":
            return [
                f"CREATE TRIGGER {name('no_' + what)} BEFORE {what.upper()} ON {table} FOR EACH ROW "
                f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{message}'"
                for what in ("update", "delete")
            ]
        raise LedgerError(f"unsupported database {dialect}")

    # -- reading -------------------------------------------------------------------------------

    def head(self, conn: sa.Connection, *, table_exists: bool | None = None) -> Event | None:
        """The newest event (None: none). ``table_exists``: what the caller already knows (None: look)."""
        if not (self.exists(conn) if table_exists is None else table_exists):
            return None
        row = conn.execute(sa.select(self.table).order_by(self.table.c.seq.desc()).limit(1)).first()
        return Event.from_row(row) if row is not None else None

    def events(
        self, conn: sa.Connection, *, after_seq: int = 0, upto_seq: int | None = None, batch: int = 5000,
        table_exists: bool | None = None,
    ) -> Iterator[Event]:
        """Events with ``after_seq < seq <= upto_seq`` in seq order, read in batches (memory stays flat).

        ``table_exists``: what a caller that created or found the table already knows (None: look).
        """
        if not (self.exists(conn) if table_exists is None else table_exists):
            return
        last = after_seq
        while True:
            query = sa.select(self.table).where(self.table.c.seq > last).order_by(self.table.c.seq).limit(batch)
            if upto_seq is not None:
                query = query.where(self.table.c.seq <= upto_seq)
            rows = conn.execute(query).all()
            for row in rows:
                event = Event.from_row(row)
                last = event.seq
                yield event
            if len(rows) < batch:
                return

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
        """Append one event after the current head. Call under the lock; a racing append fails on the seq key.

        ``after``: the head as the caller read it under the lock (None: the ledger is empty), which
        spares a read per event; left out, the head is read here.
        """
        head = self.head(conn) if after is _Unread.HEAD else after
        event = Event.following(
            head, kind=kind, op=op,
            revision=revision, message=message, actor=actor, revision_checksum=revision_checksum,
            reverses=reverses,
        )
        self.insert(conn, [event])
        return event

    def insert(self, conn: sa.Connection, events: Sequence[Event]) -> None:
        """INSERT ``events`` (already chained, in seq order) in one round trip: one ``executemany``."""
        if events:
            conn.execute(self._insert, [event.to_row() for event in events])

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
                        _rollback(conn)
                        self.seal.finish(conn, self, start)
                raise
            self.seal.finish(conn, self, start)

    @contextlib.contextmanager
    def _held(self, conn: sa.Connection, timeout: float = 60.0) -> Iterator[None]:
        """Hold the applier lock for the block.

        PostgreSQL: a session advisory lock; MySQL/MariaDB: GET_LOCK. Both are released when the
        connection ends, so a killed runner leaves nothing behind. SQLite has no session lock: its
        write lock is taken by each transaction's BEGIN IMMEDIATE, waiting up to ``timeout``.
        """
        dialect = dialect_of(conn)
        key = self.lock_key()
        if dialect == "sqlite":
            # Through the driver: a statement through SQLAlchemy would open a transaction (and take the lock).
            conn.connection.driver_connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")  # type: ignore[union-attr]
            yield
            return
        if dialect == "postgresql":
            number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            deadline = time.monotonic() + timeout
            while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": number}).scalar():
                if conn.in_transaction():
                    conn.commit()
                if time.monotonic() >= deadline:
                    raise LockTimeout(f"another schema-ledger run holds the lock on {self.fullname} "
                                      f"(waited {timeout:g} s; raise --lock-timeout to wait longer)")
                time.sleep(0.05)
            _commit(conn)
            with _released(conn, sa.text("SELECT pg_advisory_unlock(:k)"), {"k": number}):
                yield
            return
        # GET_LOCK names are server-wide: the database's name keeps two databases' appliers apart.
        database = conn.execute(sa.text("SELECT DATABASE()")).scalar()
        name = hashlib.sha256(f"{database}:{key}".encode()).hexdigest()[:40]
        got = conn.execute(sa.text("SELECT GET_LOCK(:n, :t)"), {"n": f"sl_{name}", "t": max(0, int(timeout))}).scalar()
        _commit(conn)
        if got != 1:
            raise LockTimeout(f"another schema-ledger run holds the lock on {self.fullname} "
                              f"(waited {timeout:g} s; raise --lock-timeout to wait longer)")
        with _released(conn, sa.text("SELECT RELEASE_LOCK(:n)"), {"n": f"sl_{name}"}):
            yield


@contextlib.contextmanager
def _released(conn: sa.Connection, unlock: sa.TextClause, params: dict[str, Any]) -> Iterator[None]:
    """Run the block, then release the session lock with ``unlock``.

    A connection that was lost took its session, and the lock, with it: there is nothing to
    release, and the error that ended the block is the one to report.
    """
    def release() -> None:
        if conn.invalidated or conn.closed:
            return
        _rollback(conn)
        conn.execute(unlock, params)
        _commit(conn)

    try:
        yield
    except BaseException:
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            release()
        raise
    release()


def _commit(conn: sa.Connection) -> None:
    if conn.in_transaction():
        conn.commit()


def _rollback(conn: sa.Connection) -> None:
    if conn.in_transaction():
        conn.rollback()
