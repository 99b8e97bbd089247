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

from ledger.project.config import ConfigError
from ledger.storage.store import LedgerStore

__all__ = ["GrantsError", "grants_sql"]


class GrantsError(ConfigError):
    """The privilege split cannot be written for these options."""


def _account(role: str, dialect: str, prep: sa.sql.compiler.IdentifierPreparer) -> str:
    if dialect == "mysql":
        if "@" in role:
            user, _, host = role.partition("@")
            return f"{_literal(user.strip(chr(39)))}@{_literal(host.strip(chr(39)))}"
        return f"{_literal(role)}@'%'"
    return prep.quote(role)


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def grants_sql(store: LedgerStore, sa_dialect: sa.Dialect, *, applier: str, owner: str | None = None) -> list[str]:
    """The statements that set up the privilege split for ``store``'s ledger on ``sa_dialect``."""
    dialect = "mysql" if sa_dialect.name in ("mysql", "mariadb") else sa_dialect.name
    if dialect == "sqlite":
        raise GrantsError("SQLite has no roles: whoever can write the file can change the ledger; "
                          "sign checkpoints and keep an anchor instead (docs/audit.md)")
    if dialect == "mysql" and store.schema is None:
        raise GrantsError("on MariaDB/MySQL the ledger needs a database of its own for the split: set "
                          "ledger_schema (e.g. \"audit\") in the config, so that the applier's rights on the "
                          "application's database do not reach the ledger")
    for role in (applier, owner):
        if role is not None and (not role or len(role.encode()) > 128 or any(ord(c) < 32 for c in role)):
            raise GrantsError(f"{role!r} is not a role name")
    prep = sa_dialect.identifier_preparer
    table = prep.format_table(store.table)
    statements = [str(sa.schema.CreateTable(store.table, if_not_exists=True).compile(dialect=sa_dialect)).strip()]
    statements += [str(sa.schema.CreateIndex(index, if_not_exists=True).compile(dialect=sa_dialect))
                   for index in sorted(store.table.indexes, key=lambda i: str(i.name))]
    statements += store.trigger_sql(dialect, sa_dialect)
    # The snapshot side table is a cache, never history: the applier writes and replaces its rows.
    from ledger.storage.snapshots import SnapshotStore

    snapshots_table = SnapshotStore(store).table
    statements.append(str(sa.schema.CreateTable(snapshots_table, if_not_exists=True).compile(dialect=sa_dialect)).strip())
    snapshots = prep.format_table(snapshots_table)
    app = _account(applier, dialect, prep)
    if dialect == "postgresql":
        if owner is not None:
            function = prep.quote(f"{store.table_name}_refuse_change")
            if store.schema:
                function = f"{prep.quote_schema(store.schema)}.{function}"
            statements += [f"ALTER TABLE {table} OWNER TO {prep.quote(owner)}",
                           f"ALTER FUNCTION {function}() OWNER TO {prep.quote(owner)}"]
        if owner is not None:
            statements.append(f"ALTER TABLE {snapshots} OWNER TO {prep.quote(owner)}")
        statements += [f"REVOKE ALL ON {table} FROM PUBLIC", f"REVOKE ALL ON {table} FROM {app}",
                       f"GRANT SELECT, INSERT ON {table} TO {app}",
                       f"GRANT SELECT, INSERT, DELETE ON {snapshots} TO {app}"]
        if store.schema:
            statements.append(f"GRANT USAGE ON SCHEMA {prep.quote_schema(store.schema)} TO {app}")
    else:
        statements += [f"GRANT SELECT, INSERT ON {table} TO {app}",
                       f"GRANT SELECT, INSERT, DELETE ON {snapshots} TO {app}"]
    return statements
