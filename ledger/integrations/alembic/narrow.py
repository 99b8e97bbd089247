"""Read-backs of SQL text that read less than a table, where the statement settles the rest: a
``DROP INDEX`` recorded as the fold's index dropped, an ``ALTER INDEX ... RENAME TO`` as that index
read alone by its new name, an ``ALTER TYPE ... ADD VALUE`` as the labels of the fold's columns of
that type (``fallback.FollowsLive._follow_live``). Functions of the hook
(its fold, connection and database), not methods: a base class more on the recorder lengthens
every attribute look-up that misses its instance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ops as lops
from ops import LedgerError, MigrateOperation, SchemaState
from ops.specs import PARTITION_OPTIONS, TableSpec

from ledger import dialects
from ledger.integrations.alembic_sql import statements_in
from ops import classes as oc


def dropped_index(hook: Any, held: TableSpec, written: str,
                  kept: Mapping[tuple[str | None, str], TableSpec]) -> list[MigrateOperation] | None:
    """The drop of the one index of ``held`` (the fold's table) named ``written`` (case-blind) where
    the database no longer holds it by the fold's name (``postgresql_read.holds_index``): a ``DROP INDEX``
    that names one index drops it alone, so the rest of the table is the fold's, and the ops are
    the diff of the fold's table less that index (as the whole comparison finds them). None where
    that is not so (no such index, several, still there, a partitioned table or a partition)."""
    from ledger.integrations.alembic.fallback import _near as near
    from ledger.schema.diff import diff

    assert hook.state is not None
    name = written.strip('"').casefold()
    found = [i for i in held.indexes if i.name is not None and i.name.casefold() == name]
    holds = _holds_index(hook._database)
    if len(found) != 1 or holds is None:
        return None
    with hook._quiet():
        if holds(hook.conn, held.schema, held.name, found[0].name) is not False:
            return None
    fold, key = hook.state, held.key
    less = oc.evolve(held, indexes=tuple(i for i in held.indexes if i is not found[0]))
    try:
        ops = diff(*near(fold, fold.derived({**kept, key: less}, key), {key}))
        SchemaState.fold(ops, start=fold)
    except LedgerError:
        return None
    if len(ops) != 1 or not isinstance(ops[0], lops.DropIndexOp) or ops[0].index_name != found[0].name:
        return None
    return ops


def renames_alone(hook: Any, op: MigrateOperation) -> bool:
    """Whether ``op``, the fold's op for an ``ALTER TABLE a RENAME TO b`` run as SQL text (the fold
    already renamed: ``hook.state``), is what the database did, with nothing to read back: a table
    rename on a database that renames a table alone (its ``renames_tables_alone``: PostgreSQL), both
    names as the database keeps them written bare (lower case), of a table neither partitioned nor a
    partition, as ``op.rename_table`` is recorded without a read-back."""
    if not isinstance(op, lops.RenameTableOp) or not getattr(hook._database, "renames_tables_alone", False) \
            or op.old_table_name != op.old_table_name.lower() or op.new_table_name != op.new_table_name.lower():
        return False
    table = hook.state.tables.get((op.schema, op.new_table_name))
    return table is not None and not any(key in PARTITION_OPTIONS for key, _ in table.dialect_options)


def renamed_index(hook: Any, statement: str, held: TableSpec,
                  kept: Mapping[tuple[str | None, str], TableSpec]) -> list[MigrateOperation] | None:
    """After an ``ALTER INDEX [IF EXISTS] old RENAME TO new`` alone, of an index (not a constraint's)
    of ``held`` (the fold's table, the one the catalog digest shows changed): where the database no
    longer holds ``old`` on it (``postgresql_read.holds_index``), the index read alone by its new name
    (``reflect``'s ``index``, as after a ``CREATE INDEX``), the rest of the table the fold's: the ops
    are the diff of the fold's table with that index for ``old`` (its drop and the new one's
    creation, as the whole comparison finds them). None where that is not so."""
    from ledger.integrations.alembic.fallback import _made_index, _near as near
    from ledger.schema.diff import diff
    from ledger.schema.reflect import reflect

    assert hook.state is not None
    found = _renamed_index(statement)
    holds = _holds_index(hook._database)
    if found is None or holds is None:
        return None
    old, written = found
    olds = [i for i in held.indexes if i.name == old]
    if len(olds) != 1:
        return None
    less = oc.evolve(held, indexes=tuple(i for i in held.indexes if i is not olds[0]))
    with hook._quiet():
        if holds(hook.conn, held.schema, held.name, old) is not False:
            return None
        live = reflect(hook.conn, schema=held.schema, held={held.name: less}, parts={"indexes"}, index=written)
    made = _made_index(less, live)
    if made is None:
        return None
    fold = hook.state
    try:
        ops = diff(*near(fold, fold.derived({**kept, **live.tables}, held.key), {held.key}))
        SchemaState.fold(ops, start=fold)
    except LedgerError:
        return None
    if sorted(type(op).__name__ for op in ops) != ["CreateIndexOp", "DropIndexOp"] or not any(
            isinstance(op, lops.CreateIndexOp) and op.index is made for op in ops) or not any(
            isinstance(op, lops.DropIndexOp) and op.index_name == old for op in ops):
        return None
    return ops


def added_labels(hook: Any, statement: str, held: list[TableSpec], live: SchemaState,
                 kept: Mapping[tuple[str | None, str], TableSpec]) -> list[MigrateOperation] | None:
    """After an ``ALTER TYPE name ADD VALUE ...`` alone, with ``held`` (the fold's tables whose
    columns the catalog shows changed) read back as ``live`` (their columns): the fold's tables
    with each column of that type given the type as read, the rest the fold's very specs (the
    statement changes nothing else), diffed as the whole comparison diffs them. None where that
    is not so: another statement, a column of a type made over it (an array, a domain), one with
    a default or a CHECK of its type, a type read that is not the fold's with labels added."""
    from ledger.integrations.alembic.fallback import _near as near
    from ledger.schema.diff import diff

    assert hook.state is not None
    name = _added_to(statement)
    if name is None:
        return None
    fold, tables = hook.state, {}
    for spec in held:
        read = live.tables.get(spec.key)
        if read is None:
            return None
        columns = []
        for column in spec.columns:
            got = read.column(column.name)
            if got is None:
                return None
            was, now = column.type, got.type
            if not any(e.kw.get("name") == name for e in (*dialects.enums_in(was), *dialects.enums_in(now))):
                columns.append(column)  # neither the fold nor the database gives it the type
                continue
            if was.name not in _ENUMS or now.name not in _ENUMS or was.kw.get("name") != name \
                    or now.kw.get("name") != name or was.kw.get("schema") or now.kw.get("schema") \
                    or was.kw.get("create_constraint") or column.server_default is not None \
                    or [label for label in now.args if label in was.args] != list(was.args):
                return None
            columns.append(column if now.args == was.args else oc.evolve(column, type=now))
        tables[spec.key] = oc.evolve(spec, columns=tuple(columns))
    try:
        ops = diff(*near(fold, fold.derived({**kept, **tables}, *tables), set(tables)))
        SchemaState.fold(ops, start=fold)
    except LedgerError:
        return None
    if not ops or not all(isinstance(op, lops.AlterColumnOp) and op.modify_type is not None
                          and oc.evolve(op, modify_type=None).has_changes() is False for op in ops):
        return None
    return ops


#: the names of a named ENUM's type spec
_ENUMS = ("Enum", "postgresql.ENUM")


def _added_to(statement: str) -> str | None:
    """The type (its name as PostgreSQL keeps it: a bare one folded to lower case) of one
    ``ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' [BEFORE | AFTER 'label']`` naming no schema;
    None for anything else."""
    from ledger.support.sqltext import skip_leading

    if len(statements_in(statement)) != 1:
        return None
    words = statement[skip_leading(statement):].split(None, 5)
    if len(words) < 5 or [w.upper() for w in (words[0], words[1], words[3], words[4])] != ["ALTER", "TYPE", "ADD", "VALUE"]:
        return None
    name = words[2]
    if name[:1] == '"':
        return name[1:-1] if len(name) > 2 and name[-1] == '"' and '"' not in name[1:-1] else None
    return name.lower() if name.isascii() and name.replace("_", "a").isalnum() else None


def _renamed_index(statement: str) -> tuple[str, str] | None:
    """``(old, new)`` of one ``ALTER INDEX [IF EXISTS] old RENAME TO new`` naming no schema: ``old``
    as PostgreSQL keeps it (a bare name folded to lower case), ``new`` as written; else None."""
    from ledger.support.sqltext import skip_leading

    if len(statements_in(statement)) != 1:
        return None
    words = statement[skip_leading(statement):].strip().rstrip(";").split()
    if len(words) == 8 and [w.upper() for w in words[2:4]] == ["IF", "EXISTS"]:
        words = words[:2] + words[4:]
    if len(words) != 6 or [w.upper() for w in (*words[:2], *words[3:5])] != ["ALTER", "INDEX", "RENAME", "TO"]:
        return None
    old, new = words[2], words[5]
    if old[:1] == '"':
        old = old[1:-1] if len(old) > 2 and old[-1] == '"' and '"' not in old[1:-1] else ""
    else:
        old = old.lower() if old.isascii() and old.replace("_", "a").isalnum() else ""
    plain = new.replace("_", "a").isalnum() or (new[:1] == new[-1:] == '"' and '"' not in new[1:-1] and len(new) > 2)
    return (old, new) if old and plain and new.isascii() else None


def _holds_index(database: Any) -> Any:
    """The read of whether a table holds an index by name, in one catalog query, where the database
    reads one index alone (PostgreSQL's ``read_index``: ``postgresql_read.holds_index``); else None."""
    if getattr(database, "read_index", None) is None:
        return None
    from ledger.dialects.postgresql_read import holds_index

    return holds_index
