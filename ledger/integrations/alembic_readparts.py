"""What a DDL statement run as SQL text can have changed of its table, so that only that is read back.

:func:`dropped_constraint` names the constraint an ``ALTER TABLE t DROP CONSTRAINT [IF EXISTS] c``
drops (the hook tells by that name what it dropped, where the fold settles it); :func:`drops_if_exists`
tells a ``DROP TABLE IF EXISTS t``, which can change only ``t``; :func:`read_parts`
is :func:`~ledger.integrations.alembic_sql.changed_parts` and, for a statement read right after it
ran, the parts of its table an ``ALTER COLUMN ... TYPE`` can change.
"""

from __future__ import annotations

import re

from ops.classes import frozen

from ledger.integrations.alembic_sql import (
    _CONSTRAINT_ONLY,
    _NAME,
    _PARENTHESES,
    _QUALIFIED,
    _SKIP,
    _skip_leading,
    _unquote,
    changed_parts,
    created_index,
    dropped_index,
    statements_in,
    touched_tables,
)
from ledger.support.lazyre import lazy, mentions

__all__ = ["COLUMN_TYPE", "DroppedConstraint", "dropped_constraint", "drops_if_exists", "named_index", "read_parts"]


@frozen
class DroppedConstraint:
    """The constraint an ``ALTER TABLE t DROP CONSTRAINT [IF EXISTS] c`` names (:func:`dropped_constraint`)."""

    #: its name as written, unquoted
    name: str
    #: whether it is written quoted (kept as written) rather than folded by the database
    quoted: bool
    #: ``IF EXISTS``: the statement drops nothing when the table holds no constraint of that name
    if_exists: bool


def dropped_constraint(statement: str) -> DroppedConstraint | None:
    """The constraint an ``ALTER TABLE t DROP CONSTRAINT [IF EXISTS] c`` with no other action (and no
    ``CASCADE``; :func:`changed_parts` gives ``CONSTRAINTS``) drops, the only one of its table it can
    drop (it changes nothing else); None for any other statement."""
    if touched_tables(statement) is None:
        return None
    match = _CONSTRAINT_ONLY.match(statement[_skip_leading(statement):])
    if match is None or match.group("dropped") is None:
        return None
    name = match.group("dropped")
    return DroppedConstraint(_unquote(name), name[:1] in "\"`[", match.group("exists") is not None)


def named_index(statement: str) -> str | None:
    """The name of the one index a ``CREATE INDEX`` makes (as written: :func:`created_index`) or a
    ``DROP INDEX`` that names no table drops (unquoted: :func:`dropped_index`); None for anything else."""
    dropped = dropped_index(statement)
    return created_index(statement) if dropped is None else dropped[1]


#: what of its table an ``ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE ...`` can change: the column
#: (its default is cast too), the indexes and CHECKs over it (rebuilt, their text as the database
#: now writes it), read with the keys
COLUMN_TYPE = frozenset({"columns", "indexes", "checks"})
_ALTER_TYPE = lazy(rf"ALTER\s+TABLE\s+(?:ONLY\s+)?{_QUALIFIED}\s+ALTER\s+(?:COLUMN\s+)?{_NAME}\s+"
                   r"(?:SET\s+DATA\s+)?TYPE\s(?P<rest>.*)$", re.I | re.S)


def read_parts(statement: str) -> frozenset[str] | None:
    """What of its one table to read back right after a DDL statement ran: :func:`changed_parts`,
    and :data:`COLUMN_TYPE` for an ``ALTER TABLE t ALTER [COLUMN] c [SET DATA] TYPE ... [USING ...]``
    with no other action (no comma outside parentheses and quotes). None: the whole table."""
    parts = changed_parts(statement)
    if parts is not None or len(statements_in(statement)) != 1 or touched_tables(statement) is None:
        return parts
    match = _ALTER_TYPE.match(statement[_skip_leading(statement):]) if mentions(statement, "type") else None
    if match is None:
        return None
    rest = _SKIP.sub(" ", match.group("rest"))
    while True:
        shorter = _PARENTHESES.sub(" ", rest)
        if shorter == rest:
            break
        rest = shorter
    return None if re.search(r"[,()]|\bCASCADE\b", rest, re.I) else COLUMN_TYPE


_RENAME_COLUMN = lazy(rf"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?{_QUALIFIED}\s+RENAME\s+(?:COLUMN\s+)?"
                      rf"(?P<old>{_NAME})\s+TO\s+(?P<new>{_NAME})\s*;?\s*$", re.I | re.S)


def renamed_column(statement: str) -> tuple[str | None, str, str, str] | None:
    """``(schema, table, old, new)`` of a plain ``ALTER TABLE t RENAME [COLUMN] old TO new``; else None."""
    match = _RENAME_COLUMN.match(statement[_skip_leading(statement):]) if mentions(statement, "rename") else None
    parts = [_unquote(part.strip()) for part in re.findall(_NAME, match.group("table"))] if match else []
    return None if match is None else (parts[0] if len(parts) == 2 else None, parts[-1],
                                        _unquote(match.group("old").strip()), _unquote(match.group("new").strip()))


def drops_if_exists(statement: str) -> bool:
    """True for one ``DROP TABLE IF EXISTS t`` of one table without ``CASCADE`` (:func:`touched_tables`): it
    can change nothing but ``t``, so when neither the fold nor the database read back after it holds ``t``
    it dropped nothing the ledger holds (a table of an older version of the schema that is not there)."""
    if len(statements_in(statement)) != 1 or touched_tables(statement) is None:
        return False
    return re.match(r"DROP\s+TABLE\s+IF\s+EXISTS\s", statement[_skip_leading(statement):], re.I) is not None
