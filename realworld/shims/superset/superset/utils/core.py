"""superset.utils.core: the column types superset's migrations declare columns with, and the helpers
they find constraint names with (copied from superset 6.1.0; ``generic_find_constraint_name``
reflects through the migration's connection, which is superset's database). The rest converts rows."""
from __future__ import annotations

import enum
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Text
from sqlalchemy.dialects.mysql import LONGTEXT, MEDIUMTEXT


def MediumText():  # noqa: N802
    return Text().with_variant(MEDIUMTEXT(), "mysql")


def LongText():  # noqa: N802
    return Text().with_variant(LONGTEXT(), "mysql")


def generic_find_constraint_name(table: str, columns: set[str], referenced: str, database: Any) -> str | None:
    from alembic import op
    tbl = sa.Table(table, sa.MetaData(), autoload_with=op.get_bind())
    for fk in tbl.foreign_key_constraints:
        if fk.referred_table.name == referenced and set(fk.column_keys) == columns:
            return fk.name
    return None


def generic_find_fk_constraint_name(table: str, columns: set[str], referenced: str, insp: Any) -> str | None:
    for fk in insp.get_foreign_keys(table):
        if fk["referred_table"] == referenced and set(fk["referred_columns"]) == columns:
            return fk["name"]
    return None


def generic_find_fk_constraint_names(table: str, columns: set[str], referenced: str, insp: Any) -> set[str]:
    names = set()
    for fk in insp.get_foreign_keys(table):
        if fk["referred_table"] == referenced and set(fk["referred_columns"]) == columns:
            names.add(fk["name"])
    return names


def generic_find_uq_constraint_name(table: str, columns: set[str], insp: Any) -> str | None:
    for uq in insp.get_unique_constraints(table):
        if columns == set(uq["column_names"]):
            return uq["name"]
    return None


def get_user_id() -> int | None:
    return None  # no user in a migration


def shortid() -> str:
    return f"{uuid.uuid4()}"[-12:]


def as_list(x: Any) -> list[Any]:
    return x if isinstance(x, list) else [x]


def convert_legacy_filters_into_adhoc(form_data: Any) -> None:
    raise NotImplementedError("superset's filter conversion is not in the realworld shim (it converts rows)")


def split_adhoc_filters_into_base_filters(form_data: Any) -> None:
    raise NotImplementedError("superset's filter conversion is not in the realworld shim (it converts rows)")


class RowLevelSecurityFilterType(str, enum.Enum):
    REGULAR = "Regular"
    BASE = "Base"
