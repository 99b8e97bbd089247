"""Naming conventions: the names unnamed constraints and indexes get.

Part of ``ops.specs`` (which re-exports them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

# DEFAULT_NAMING_CONVENTION is defined in ``ops.base``: a configuration reads it without loading
# the op modules.
from .base import DEFAULT_NAMING_CONVENTION, InvalidOperationError
from .keyspecs import CheckSpec, ForeignKeySpec, IndexSpec, PrimaryKeySpec, UniqueSpec
from . import classes as oc

__all__ = ["DEFAULT_NAMING_CONVENTION", "MAX_NAME_LENGTH", "conventional_name", "held_unnamed", "named",
           "unnamed_metadata"]

MAX_NAME_LENGTH = 63  # PostgreSQL's limit, the smallest of the supported databases


def fit_name(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_LENGTH:
        return name
    data = name.encode()
    digest = hashlib.sha256(data).hexdigest()[:8]
    # The longest prefix of whole characters within the limit, in one cut: a UTF-8 character is at
    # most 4 bytes, so at most 3 bytes of a character cut in two are dropped.
    cut = data[:MAX_NAME_LENGTH - 9].decode("utf-8", "ignore")
    return f"{cut}_{digest}"


_KEYS = {"ix": "index", "uq": "unique", "ck": "check", "fk": "foreignkey", "pk": "primary"}


def conventional_name(
    kind: str,
    table_name: str,
    spec: Any,
    convention: Mapping[str, str] | None = None,
) -> str:
    """The name ``convention`` gives an unnamed constraint or index ``spec`` of ``table_name``.

    ``kind`` is one of ``ix``, ``uq``, ``ck``, ``fk``, ``pk``. A check constraint's
    ``%(constraint_name)s`` is a short hash of its SQL text, so the name is stable.
    """
    convention = dict(DEFAULT_NAMING_CONVENTION if convention is None else convention)
    template = convention.get(kind) or convention.get(_KEYS[kind]) or DEFAULT_NAMING_CONVENTION[kind]
    columns = list(spec.column_names) or ["expr"]
    if isinstance(spec, IndexSpec) and not spec.columns:
        columns = [hashlib.sha256("|".join(e.value for e in spec.elements).encode()).hexdigest()[:8]]
    values: dict[str, str] = {
        "table_name": table_name,
        "column_0_name": columns[0],
        "column_0_label": f"{table_name}_{columns[0]}",
        "column_0_key": columns[0],
        "column_0_N_name": "_".join(columns),
        "column_0N_name": "".join(columns),
        "column_0_N_label": "_".join(f"{table_name}_{c}" for c in columns),
        "column_0N_label": "".join(f"{table_name}_{c}" for c in columns),
        "column_0_N_key": "_".join(columns),
        "column_0N_key": "".join(columns),
        "constraint_name": hashlib.sha256(
            getattr(spec, "sqltext", "|".join(columns)).encode()
        ).hexdigest()[:8],
    }
    if isinstance(spec, ForeignKeySpec):
        values["referred_table_name"] = spec.referent_table
        values["referred_column_0_name"] = spec.referent_columns[0]
        values["referred_column_0_N_name"] = "_".join(spec.referent_columns)
        values["referred_column_0N_name"] = "".join(spec.referent_columns)
    try:
        return fit_name(template % values)
    except KeyError as exc:
        raise InvalidOperationError(f"naming convention {template!r} uses unknown token {exc}") from None


def unnamed_metadata() -> sa.MetaData:
    """A MetaData that names nothing by itself (SQLAlchemy's default names indexes ``ix_<label>``),
    so unnamed constraints and indexes get their names from the project's convention alone."""
    return sa.MetaData(naming_convention={"_no_convention": "_"})


def named(spec: Any, table_name: str, convention: Mapping[str, str] | None = None) -> Any:
    """``spec`` with a name, from ``convention`` when it has none."""
    if spec.name is not None:
        return spec
    kind = {PrimaryKeySpec: "pk", UniqueSpec: "uq", ForeignKeySpec: "fk", CheckSpec: "ck",
            IndexSpec: "ix"}[type(spec)]
    return oc.evolve(spec, name=conventional_name(kind, table_name, spec, convention))


def held_unnamed(spec: Any, table_name: str, convention: Mapping[str, str] | None = None) -> Any:
    """``spec``, which its database holds without a name, named from ``convention`` for the fold
    and marked ``unnamed`` (an index, which every database names, is only named)."""
    spec = named(spec, table_name, convention)
    return spec if isinstance(spec, IndexSpec) or spec.unnamed else oc.evolve(spec, unnamed=True)
