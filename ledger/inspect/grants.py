"""The privilege split: the ledger table and its triggers owned by a role the applier is not.

``schema-ledger grants --applier ROLE [--owner ROLE]`` prints the SQL that an administrator
runs once, as the owner (or a superuser): it creates the ledger table, its indexes and its
refusal triggers, hands them to the owner, and lets the applier only read the ledger and
INSERT into it. An applier that does not own the table cannot drop or disable its triggers,
nor UPDATE, DELETE or TRUNCATE it: the database refuses, whatever the triggers do.

MariaDB/MySQL grant privileges per database, additively: an applier with ``ALL`` on the
application's database would have ``DELETE``, ``DROP`` and ``TRIGGER`` on a ledger kept there.
The ledger therefore lives in a database of its own (``ledger_schema = "audit"``), where the
applier gets ``SELECT, INSERT`` on the ledger table and nothing else.
"""

from __future__ import annotations

import sqlalchemy as sa

from ledger import dialects
from ledger.project.config import ConfigError
from ledger.storage.store import LedgerStore

__all__ = ["GrantsError", "grants_sql"]


class GrantsError(ConfigError):
    """The privilege split cannot be written for these options."""


def grants_sql(store: LedgerStore, sa_dialect: sa.Dialect, *, applier: str, owner: str | None = None) -> list[str]:
    """The statements that set up the privilege split for ``store``'s ledger on ``sa_dialect``."""
    database = dialects.database(sa_dialect.name)
    problem = database.privilege_split_problem(store.schema)
    if problem is not None:
        raise GrantsError(problem)
    for role in (applier, owner):
        if role is not None and (not role or len(role.encode()) > 128 or any(ord(c) < 32 for c in role)):
            raise GrantsError(f"{role!r} is not a role name")
    statements = [str(sa.schema.CreateTable(store.table, if_not_exists=True).compile(dialect=sa_dialect)).strip()]
    statements += [str(sa.schema.CreateIndex(index, if_not_exists=True).compile(dialect=sa_dialect))
                   for index in sorted(store.table.indexes, key=lambda i: str(i.name))]
    statements += database.ledger_triggers(store.table, sa_dialect)
    # The snapshot side table is a cache, never history: the applier writes and replaces its rows.
    from ledger.storage.snapshots import SnapshotStore

    snapshots_table = SnapshotStore(store).table
    statements.append(str(sa.schema.CreateTable(snapshots_table, if_not_exists=True).compile(dialect=sa_dialect)).strip())
    statements += database.ledger_grants(store.table, snapshots_table, sa_dialect, applier=applier, owner=owner)
    return statements
