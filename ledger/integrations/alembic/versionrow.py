"""A revision's events sent in the statement of Alembic's own version row (PostgreSQL).

At the end of a revision Alembic writes its version row (``HeadMaintainer``: an UPDATE of the
revision it leaves, a DELETE of a branch it merges or ends, an INSERT of a branch it starts),
in the revision's transaction. Where the database takes an INSERT in a ``WITH`` and the
events' values can be written as exact literals (PostgreSQL through psycopg or psycopg2), the
revision's events go in that statement: ``WITH sl_written AS (INSERT INTO <ledger> ...)``
before Alembic's UPDATE or DELETE, and the check of the version table (``lock.py``: no other
run moved it since this run read it) added to its ``WHERE``. One round trip instead of two;
the events commit with the DDL and the version row or not at all, as before. A row count
other than one is a version table another run moved: the hook's own error, its transaction
rolls back. The statement text Alembic compiled is kept as it is; only text is put around it.

Where Alembic's first statement of a step is an INSERT (a new branch), or nothing of this
applies, the events are written as before: at the end of the revision, or (the INSERT) right
after Alembic's statements, from ``on_version_apply``, still inside the transaction.
"""

from __future__ import annotations

from typing import Any

from ledger.storage import snapshots
from ledger.support import faults


class WritesWithVersion:
    """The recorder's part that puts a revision's events into Alembic's version statement."""

    #: the INSERT of the revision's events as a ``WITH``, waiting for Alembic's version statement
    _carry: str | None = None
    #: Alembic's first version statement of the step could not carry the events: written after them
    _late: bool = False
    #: Alembic's version statement carried the events and the check: its row count is to be read
    _carried: bool = False
    #: the last event that statement carried (its fault boundary's label)
    _boundary: Any = None
    #: the version table's name and its column's, quoted
    _version_names: tuple[str, str] | None = None

    def _end_revision(self) -> None:
        """At the end of a revision's ``upgrade()``: its events left for Alembic's version statement,
        or written now (with the version table's check where the database reads it in the same
        statement)."""
        if self._database.writes_in_with and self._unwritten and self._heads is not None and self._defers():
            events = [event for event, _state in self._unwritten]
            every = snapshots.EVERY  # a snapshot due with them is written by the journal, after its INSERT
            if not (every > 0 and any(event.seq % every == 0 for event in events)):
                self._carry = self.store.insert_before(self.conn, events)
                if self._carry is not None:
                    return
        self._write_events(check_heads=self._database.writes_in_with)

    def _before_version(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                        executemany: bool) -> tuple[str, Any]:
        """Alembic's UPDATE or DELETE of its version row, with the revision's events before it and the
        version table's check after its ``WHERE`` (``before_cursor_execute``, ``retval=True``)."""
        if self._carry is None:
            return statement, parameters
        dml = getattr(getattr(context, "compiled", None), "statement", None)
        if getattr(dml, "table", None) is not self.migration_context._version:
            return statement, parameters
        if executemany or not (getattr(dml, "is_update", False) or getattr(dml, "is_delete", False)) \
                or dml._returning or " WHERE " not in statement:  # type: ignore[union-attr]
            # (an INSERT of a new branch) the table no longer holds what this run read: the events
            # are written after Alembic's statements (_version_written), checked against what they left
            self._carry, self._late = None, True
            return statement, parameters
        around = (self._carry, self._heads_condition(conn))
        if not context.no_parameters and conn.dialect.paramstyle in ("format", "pyformat"):
            around = tuple(text.replace("%", "%%") for text in around)  # as SQLAlchemy wrote the statement's own
        self._carry, self._carried = None, True
        self._boundary = self._unwritten[-1][0]
        self._unwritten.clear()
        return around[0] + statement + around[1], parameters

    def _heads_condition(self, conn: Any) -> str:
        """`` AND`` the version table holds exactly the heads this run expects (``self._heads``)."""
        if self._version_names is None:
            prep = conn.dialect.identifier_preparer
            version = self.migration_context._version
            self._version_names = (prep.format_table(version), prep.quote(version.c.version_num.name))
        table, column = self._version_names
        heads = ", ".join("'" + head.replace("'", "''") + "'" for head in sorted(self._heads))  # type: ignore[arg-type]
        count = len(self._heads)  # type: ignore[arg-type]
        return (f" AND (SELECT count(*) FROM {table}) = {count}"
                f" AND (SELECT count(*) FROM {table} WHERE {column} IN ({heads})) = {count}")

    def _after_version(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                       executemany: bool) -> None:
        """After the statement that carried the events: a row count other than one is a version table
        another run moved (the hook's error; its transaction rolls back with the events)."""
        if not self._carried:
            return
        self._carried = False
        if cursor.rowcount != 1:
            raw = cursor.connection.cursor()
            try:
                raw.execute(str(self._heads_query().compile(dialect=conn.dialect)))
                found = frozenset(row[0] for row in raw.fetchall())
            finally:
                raw.close()
            self._check_heads(found, ran=True)  # equal: Alembic's own check says what it found
            return
        last, self._boundary = self._boundary, None
        faults.boundary(f"event {last.kind} {last.revision}")

    def _version_written(self) -> None:
        """After Alembic's version statements (``on_version_apply``): events none of them carried (an
        INSERT of a new branch) are written now, in the same transaction, with the version table's
        check against the heads Alembic just left."""
        if self._carry is not None or self._late:
            self._carry, self._late = None, False
            self._write_events(check_heads=True)
