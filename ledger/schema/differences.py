"""How two normalized tables differ, in words: one line per difference, naming the table and the
column, constraint or index (what :func:`ledger.schema.comparison.compare` reports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


from ops.specs import ColumnSpec, DefaultSpec, PrimaryKeySpec, TableSpec
from ops import classes as oc

__all__ = ["table_differences"]


def table_differences(want: TableSpec, have: TableSpec, *, order: bool = True) -> list[str]:
    where = want.fullname
    lines: list[str] = []
    want_columns = {c.name: c for c in want.columns}
    have_columns = {c.name: c for c in have.columns}
    for name in want_columns:
        if name not in have_columns:
            lines.append(f"column {where}.{name}: expected ({_describe_column(want_columns[name])}), "
                         "missing from the live database")
    for name in have_columns:
        if name not in want_columns:
            lines.append(f"column {where}.{name}: in the live database ({_describe_column(have_columns[name])}), "
                         "not expected")
    for name, column in want_columns.items():
        if name in have_columns:
            lines.extend(_column_differences(f"column {where}.{name}", column, have_columns[name]))
    common_want = [n for n in want_columns if n in have_columns]
    common_have = [n for n in have_columns if n in want_columns]
    if order and common_want != common_have:
        lines.append(f"table {where}: column order expected ({', '.join(common_want)}), "
                     f"live ({', '.join(common_have)})")
    if want.primary_key != have.primary_key:
        lines.append(f"primary key of {where}: expected {_describe_pk(want.primary_key)}, "
                     f"live {_describe_pk(have.primary_key)}")
    lines.extend(_item_differences("foreign key", where, want.foreign_keys, have.foreign_keys))
    lines.extend(_item_differences("unique constraint", where, want.uniques, have.uniques))
    lines.extend(_item_differences("check constraint", where, want.checks, have.checks))
    lines.extend(_item_differences("index", where, want.indexes, have.indexes))
    if want.comment != have.comment:
        lines.append(f"table {where}: comment expected {want.comment!r}, live {have.comment!r}")
    return lines


def _column_differences(what: str, want: ColumnSpec, have: ColumnSpec) -> list[str]:
    lines = []
    if want.type != have.type:
        lines.append(f"{what}: type expected {want.type.args[0]}, live {have.type.args[0]}")
    if want.nullable != have.nullable:
        lines.append(f"{what}: expected {_null(want.nullable)}, live {_null(have.nullable)}")
    if want.server_default != have.server_default:
        lines.append(f"{what}: server default expected {_default(want.server_default)}, "
                     f"live {_default(have.server_default)}")
    for field in ("comment", "identity", "computed", "autoincrement"):
        a, b = getattr(want, field), getattr(have, field)
        if a != b:
            lines.append(f"{what}: {field} expected {_show(a)}, live {_show(b)}")
    return lines


def _describe_column(column: ColumnSpec) -> str:
    text = f"{column.name} {column.type.args[0]}"
    if not column.nullable:
        text += " NOT NULL"
    if column.server_default is not None:
        text += f" DEFAULT {column.server_default.value}"
    return text


def _null(nullable: bool) -> str:
    return "NULL" if nullable else "NOT NULL"


def _default(spec: DefaultSpec | None) -> str:
    return "none" if spec is None else spec.value


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if oc.has(type(value)):
        fields = [f"{a.name}={getattr(value, a.name)!r}" for a in oc.fields(type(value))
                  if getattr(value, a.name) is not None]
        return f"{type(value).__name__.removesuffix('Spec').lower()}({', '.join(fields)})"
    return repr(value)


def _describe_pk(pk: PrimaryKeySpec | None) -> str:
    if pk is None:
        return "none"
    return f"{pk.name or '(unnamed)'} ({', '.join(pk.columns)}){' AUTOINCREMENT' if pk.autoincrement else ''}"


def _signature(item: Any) -> str:
    return repr(oc.evolve(item, name=None))


def _item_differences(kind: str, where: str, want: Iterable[Any], have: Iterable[Any]) -> list[str]:
    """Constraints or indexes matched by name (unnamed ones by what they are), then field by field;
    items of one name (SQLite keeps two CHECKs of one name) are matched one to one, in order."""

    def key(item: Any) -> tuple[str, str]:
        return ("name", item.name) if item.name is not None else ("same", _signature(item))

    def grouped(items: Iterable[Any]) -> dict[tuple[str, str], list[Any]]:
        found: dict[tuple[str, str], list[Any]] = {}
        for item in items:
            found.setdefault(key(item), []).append(item)
        return found

    want_by, have_by = grouped(want), grouped(have)
    lines = []
    for k, items in want_by.items():
        others = have_by.get(k, [])
        for n, item in enumerate(items):
            label = f"{kind} {item.name or '(unnamed)'} on {where}"
            if n >= len(others):
                again = " (another of that name)" if n else ""
                lines.append(f"{label}: expected{again} ({_describe(item)}), missing from the live database")
                continue
            other = others[n]
            for field in oc.fields(type(item)):
                a, b = getattr(item, field.name), getattr(other, field.name)
                if a != b:
                    lines.append(f"{label}: {field.name} expected {_show(a)}, live {_show(b)}")
    for k, items in have_by.items():
        for n, item in enumerate(items[len(want_by.get(k, [])):], start=len(want_by.get(k, []))):
            again = " (another of that name)" if n else ""
            lines.append(f"{kind} {item.name or '(unnamed)'} on {where}: in the live database{again} "
                         f"({_describe(item)}), not expected")
    return lines


def _describe(item: Any) -> str:
    parts = []
    for field in oc.fields(type(item)):
        value = getattr(item, field.name)
        if field.name == "name" or value in (None, (), False):
            continue
        if field.name == "elements":
            value = ", ".join(e.value for e in value)
        elif isinstance(value, tuple):
            value = ", ".join(map(str, value))
        parts.append(f"{field.name} {value}")
    return "; ".join(parts)
