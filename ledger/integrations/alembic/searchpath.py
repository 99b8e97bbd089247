"""The names the hook reads the database by: those a new session gets.

A migration's SQL text may change its session's search path (PostgreSQL's ``SET search_path = app, public``,
as pypnusershub's initial revision does before it makes its tables), and the setting stays in force on
Alembic's connection for the rest of the run. Read through it, a table made in ``app`` would pass for one of
the default schema; so once a statement that names the setting leaves the session's value other than a new
session's, each of the hook's reads (:meth:`Captures._quiet`) runs under a new session's value, and the
session's own is set back after it (within the migration's transaction: nothing else of it changes).
"""

from __future__ import annotations

from typing import Any

__all__ = ["NamesReset", "names_reset"]


class NamesReset:
    """The session's value of the setting and a new session's; :meth:`enter` and :meth:`exit` nest."""

    __slots__ = ("session", "default", "depth")

    def __init__(self, session: str, default: str) -> None:
        self.session, self.default, self.depth = session, default, 0

    def enter(self, database: Any, conn: Any) -> None:
        if self.depth == 0:
            database.names_setting(conn, self.default)
        self.depth += 1

    def exit(self, database: Any, conn: Any) -> None:
        self.depth -= 1
        if self.depth == 0:
            database.names_setting(conn, self.session)


def names_reset(database: Any, conn: Any) -> NamesReset | None:
    """A :class:`NamesReset` when the session's value of the setting that decides what unqualified
    names mean differs now from a new session's (``Database.names_setting``), else None."""
    values = database.names_setting(conn)
    if values is None or values[0] == values[1]:
        return None
    return NamesReset(*values)
