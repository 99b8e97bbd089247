"""Apply's check of the names an op leaves: a name found fine is not checked again, per database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ledger.dialects.identifiers import InvalidIdentifierError, check_op_names
from ops import SchemaState, record


def _created(column: str) -> tuple[object, SchemaState]:
    (op,) = record(lambda op: op.create_table("t", sa.Column("id", sa.Integer, primary_key=True),
                                              sa.Column(column, sa.Integer)))
    done = op.complete(SchemaState())
    return done, done.apply(SchemaState())


def test_a_refused_name_is_refused_each_time() -> None:
    op, after = _created("x" * 64)
    for _ in range(2):
        with pytest.raises(InvalidIdentifierError, match="at most 63"):
            check_op_names(op, after, "postgresql")


def test_a_name_fine_on_one_database_is_still_checked_on_another() -> None:
    op, after = _created("y" * 65)
    check_op_names(op, after, "sqlite")  # SQLite has no length limit
    check_op_names(op, after, "sqlite")
    with pytest.raises(InvalidIdentifierError, match="at most 63"):
        check_op_names(op, after, "postgresql")
    with pytest.raises(InvalidIdentifierError, match="at most 64"):
        check_op_names(op, after, "mysql")
