"""The applier lock an Alembic run takes, and the checks it makes under it."""

from __future__ import annotations

import contextlib
import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from ops import LedgerError

from ledger import dialects
from ledger.storage.store import LockTimeout
from ledger.format.alembic_record import ALEMBIC_KIND, AlembicDowngrade
from ledger.integrations.alembic.base import AlembicHookError, log
from ledger.integrations.alembic.heads import revision_record

#: SQL text that controls the transaction (SQLite's forms, which PostgreSQL's include)
_TRANSACTION_SQL = r"\s*(BEGIN|END|COMMIT)(\s+(DEFERRED|IMMEDIATE|EXCLUSIVE))?(\s+(TRANSACTION|WORK))?\s*;?\s*"


#: the applier locks runs hold for a migration connection until it goes back to its pool, by (the id of
#: its driver connection, the lock's key), each with that driver connection (kept, so the id stays its
#: own): a later run on the same connection (an env.py that migrates one schema after another on it,
#: each with its own ``attach``) is under the lock already, where taking it again would wait for itself
_HELD: dict[tuple[int, str], Any] = {}


class AppliesLock:
    """A recorder's applier lock: taken before Alembic reads its version table, held for the run."""

    def lock(self, timeout: float) -> None:
        """Take the applier lock for this run (see :func:`attach`).

        PostgreSQL and MySQL/MariaDB: the session lock of ``LedgerStore.lock``, on a connection
        of its own (the migration connection's transactions are Alembic's), released when the
        migration connection is returned to its pool. SQLite: each of the run's transactions
        starts with ``BEGIN IMMEDIATE``, waiting up to ``timeout`` for the write lock; this one
        starts now, so that Alembic reads its version table under it.
        """
        what = f"the applier lock on {self.store.fullname}"
        if dialects.database(self.dialect).locks_per_transaction:
            with self.store.lock(self.conn, timeout):
                pass  # sets busy_timeout: BEGIN IMMEDIATE waits that long
            self._begin_sqlite(now=True)
            if self.seal is not None:
                self._seal_at_checkin()
            return
        driver = self.conn.connection.dbapi_connection
        key = (id(driver), self.store.lock_key())
        if key in _HELD:  # an earlier run on this connection holds it until the connection is returned
            if self.seal is not None:
                self._seal_at_checkin()
            return
        lock_conn = self.conn.engine.connect()
        held = contextlib.ExitStack()
        held.callback(lock_conn.close)
        try:
            held.enter_context(self.store.lock(lock_conn, timeout))
        except LockTimeout as exc:
            held.close()
            raise AlembicHookError(f"schema-ledger: {exc}") from None
        except BaseException:
            held.close()
            raise
        engine = self.conn.engine
        _HELD[key] = driver

        def release(dbapi_connection: Any, record: Any) -> None:
            # The listener stays (no listener may be removed while its event runs) and does nothing after.
            if dbapi_connection is not driver or not held_open:
                return
            held_open.clear()
            _HELD.pop(key, None)
            if self.seal is not None and self.events:
                self._sealed(lock_conn)
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                held.close()
            log.debug("schema-ledger: released %s", what)

        held_open = [True]

        sa_event.listen(engine, "checkin", release)

    def lock_at_start(self, timeout: float) -> None:
        """Take the applier lock (:meth:`lock`) when Alembic's run begins, before it reads its version
        table: an async env.py that attaches outside ``connection.run_sync(...)`` runs the migrations
        inside it, where a statement can run (``MigrationContext.run_migrations`` starts with
        ``impl.start_migrations()``)."""
        impl = self.migration_context.impl
        start = impl.start_migrations

        def start_migrations() -> None:
            del impl.start_migrations  # Alembic's own again
            self.lock(timeout)
            start()

        impl.start_migrations = start_migrations

    def _sealed(self, conn: sa.Connection) -> None:
        """Sign and anchor the head this run left (its events are committed); a failure is logged."""
        try:
            self.seal.finish(conn, self.store, None)
        except (sa.exc.SQLAlchemyError, LedgerError) as exc:
            log.error("schema-ledger: the head was not signed or anchored: %s", " ".join(str(exc).split())[:500])

    def _seal_at_checkin(self) -> None:
        """SQLite: sign and anchor on a connection of its own once the migration connection is returned."""
        driver = self.conn.connection.dbapi_connection
        engine = self.conn.engine
        pending = [True]

        def seal(dbapi_connection: Any, record: Any) -> None:
            if dbapi_connection is not driver or not pending or not self.events:
                return
            pending.clear()
            with contextlib.closing(engine.connect()) as conn:
                self._sealed(conn)

        sa_event.listen(engine, "checkin", seal)

    def _check_heads(self, found: frozenset[str] | None = None, *, ran: bool = False) -> None:
        """Stop when another run moved Alembic's version table since this run read it (``found``:
        the heads read with the revision's events; ``ran``: checked at the end of the revision,
        before Alembic writes its version row: its transaction then rolls back)."""
        if self._heads is None:
            return
        if found is None:
            with self._quiet():
                # The version table is there once a run began (Alembic makes it first): read it
                # directly, without get_current_heads' look in the catalog for it each revision.
                # Its SELECT is compiled once per run (a select built and compiled per revision cost more
                # than its round trip).
                if self._heads_sql is None:
                    self._heads_sql = str(self._heads_query().compile(dialect=self.conn.dialect))
                found = frozenset(row[0] for row in self.conn.exec_driver_sql(self._heads_sql))
        if found != self._heads:
            outcome = "its transaction rolls back" if ran else "this revision did not run"
            raise AlembicHookError(
                f"alembic revision {self.revision}: another run migrated this database meanwhile (its version "
                f"table holds {_show_heads(found)}, this run expected {_show_heads(self._heads)}); {outcome}: "
                f"run the command again")

    def _unadopted(self) -> None:
        """The ledger is empty at the run's first revision: where Alembic's version table already holds a
        revision, Alembic built tables before the hook that the ledger does not hold (a database to adopt
        with ``schema-ledger baseline`` first); said once, in one line, and the run goes on."""
        if self._heads:
            log.warning("schema-ledger: the ledger of this database is empty, but Alembic's version table holds "
                        "%s: the tables made before the hook are not in the ledger, and changes to them are "
                        "recorded as SQL marked [needs re-sync]; adopt such a database with `schema-ledger "
                        "baseline` before its first hooked run", _show_heads(self._heads))

    def _heads_query(self) -> sa.Select[Any]:
        """The SELECT of the heads in Alembic's version table (one object per run)."""
        if self._heads_select is None:
            self._heads_select = sa.select(self.migration_context._version.c.version_num)
        return self._heads_select

    def _others_committed(self) -> bool:
        """Whether another connection may have changed the database since this run's last revision:
        then the version table and the ledger are read again before the next one runs.

        Where the lock is held for the whole run (PostgreSQL, MariaDB) nobody else could; on
        SQLite ``PRAGMA data_version``, read under the write lock (``BEGIN IMMEDIATE``), changes
        exactly when another connection committed in between (this connection's own commits
        leave it alone): one PRAGMA per revision instead of two SELECTs through SQLAlchemy.
        """
        if not self._database.locks_per_transaction:
            return True  # _load returns at once there; _check_heads still guards the version table
        raw = self.conn.connection.dbapi_connection
        try:
            if raw is None or not _in_transaction(self.conn):
                self._data_version = None
                return True  # no write lock held: anything may have changed, and may change
            version = raw.execute("PRAGMA data_version").fetchone()[0]
        except Exception:  # noqa: BLE001 - another driver: read the tables as before
            self._data_version = None
            return True
        seen, self._data_version = self._data_version, version
        return seen is None or seen != version

    def _version_applied(self, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
        if self._heads is not None:
            self._heads = frozenset(heads)
        self._version_written()  # events no version statement carried (versionrow.py)

    def _note_revision(self, before: int) -> None:
        """After an upgrade's own events, in their transaction: what Alembic knows of the revision
        (its down revisions, ``depends_on``, branch labels, version table) as an ``alembic`` event,
        so that a rollback leaves the version rows as Alembic's downgrade would with no revision
        files at hand (heads.py). After a downgrade's: which events it recorded (``self.events``
        from ``before`` on), so that status, history and rollback take it and the upgrade it undid
        out of effect (``points.net_in_effect``)."""
        if self._direction != "upgrade":
            if self.revision is not None and len(self.events) > before:
                record = AlembicDowngrade(self.revision, self.events[before].seq, self.events[-1].seq)
                self._append(None, self._message(), ddl=False, kind=ALEMBIC_KIND, payload=record.payload())
            return
        payload = revision_record(self.migration_context, self.revision)
        if payload is not None:
            self._append(None, self._message(), ddl=False, kind=ALEMBIC_KIND, payload=payload)

    def _begin_sqlite(self, *, now: bool = False) -> None:
        """Open the SQLite transaction before the first DDL, so DDL, version row and events commit together.

        Python's sqlite3 module (in its default mode) opens a transaction only before DML, so
        a revision's first DDL would otherwise commit on its own and a failed revision would
        leave it behind without its event. ``BEGIN IMMEDIATE`` takes the write lock now: it is
        the applier lock on SQLite.
        """
        if not dialects.database(self.dialect).locks_per_transaction:
            return
        raw = self.conn.connection.dbapi_connection
        if raw is None or getattr(raw, "isolation_level", None) is None or _in_transaction(self.conn):
            return
        if not now and not self.conn.in_transaction():
            return  # Alembic runs this revision outside a transaction
        try:
            raw.execute("BEGIN IMMEDIATE")
        except Exception as exc:  # sqlite3.OperationalError: database is locked
            where = f"alembic revision {self.revision}: " if self.revision else ""
            raise AlembicHookError(
                f"{where}another run holds the write lock on this SQLite database (applier lock on "
                f"{self.store.fullname}): {exc}") from None


    def _own_transaction_sql(self, operation: Any) -> bool:
        """SQLite: a revision that opens and ends its transaction itself in SQL text (galaxy's
        ``op.execute("BEGIN")`` ... ``op.execute("END")``, written for Python's sqlite3, which opens
        none before DDL). Its BEGIN is the transaction :meth:`_begin_sqlite` opened for the revision,
        not sent again (SQLite refuses a transaction within a transaction): True, the statement is
        done. Its END or COMMIT commits that transaction: the events of what ran so far are written
        first, so they commit with it (as before ``op.get_bind().commit()``), and it runs (False)."""
        sql = operation.sqltext if isinstance(operation.sqltext, str) else getattr(operation.sqltext, "text", None)
        # compiled at the first use (re's cache keeps it), not when the hook is imported
        match = re.fullmatch(_TRANSACTION_SQL, sql, re.IGNORECASE) if isinstance(sql, str) else None
        if match is None or not dialects.database(self.dialect).locks_per_transaction:
            return False
        if match.group(1).upper() == "BEGIN":
            return _in_transaction(self.conn)
        if self.active and self._unwritten:
            self._write_events()
        return False

    def _yield_write_lock(self) -> None:
        """SQLite, before another connection of the migration's engine writes: the migration's
        connection commits what it holds, so that write does not wait for the lock the hook took.
        Alembic alone holds none there (Python's sqlite3 commits DDL as it runs), so the revision's
        changes so far commit without its version row, as they do without the hook; its events
        are written first, so the ledger holds them too. The rest of the revision runs as Alembic
        runs it alone."""
        if not dialects.database(self.dialect).locks_per_transaction or not _in_transaction(self.conn):
            return
        with self._quiet():
            self._write_events()
        self.conn.connection.dbapi_connection.commit()  # type: ignore[union-attr]


def _in_transaction(conn: sa.Connection) -> bool:
    """Whether SQLite's connection is inside a transaction it began (``sqlite3``'s ``in_transaction``;
    through aiosqlite, its connection's property of that name, which SQLAlchemy's adapter lacks).

    The driver is reached through the DBAPI connection (``dbapi_connection``: for an async driver,
    SQLAlchemy's synchronous adapter), never by calling the driver's own connection, whose methods
    are coroutines under an async driver.
    """
    raw = conn.connection.dbapi_connection
    found = getattr(raw, "in_transaction", None)
    if found is None:
        found = getattr(conn.connection.driver_connection, "in_transaction", False)
    return bool(found)


def _show_heads(heads: frozenset[str]) -> str:
    return ", ".join(sorted(heads)) if heads else "no revision"
