"""Operations written out as Python: ``def upgrade(op):`` with Alembic-style ``op.*`` calls and the
imports they need; recording it gives back the same ops (``new --autogenerate``, ``import-alembic``,
``diff --format python``).

One renderer per op class (:func:`python_renderer`), so a plugin's operation can be written too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import (
    AddColumnOp,
    AlterColumnOp,
    AlterTableOptionsOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateTableCommentOp,
    CreateTableOp,
    CreateUniqueConstraintOp,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    MigrateOperation,
    RenameTableOp,
)
from ops.specs import (
    CheckSpec,
    ColumnSpec,
    DefaultSpec,
    ForeignKeySpec,
    IdentitySpec,
    IndexSpec,
    PrimaryKeySpec,
    TypeSpec,
    UniqueSpec,
    registered_type,
)

from ledger.schema.render import RenderError

__all__ = ["PythonSource", "python_renderer", "python_source", "render_python"]


_LINE = 99  # longest line before a call is split, one argument per line


def _str(text: str) -> str:
    """A Python string literal, double-quoted where that needs no escapes."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text and "'" not in text:
        literal = '"' + literal[1:-1] + '"'
    return literal


def _lit(value: Any) -> str:
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_lit(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    raise RenderError(f"cannot write {value!r} as Python")


@attrs.define
class _Imports:
    """The imports the rendered code uses, collected while rendering."""

    lines: set[str] = attrs.field(factory=set)

    def sa(self) -> str:
        self.lines.add("import sqlalchemy as sa")
        return "sa"

    def dialect(self, name: str) -> str:
        self.lines.add(f"from sqlalchemy.dialects import {name}")
        return name

    def sorted(self) -> tuple[str, ...]:
        return tuple(sorted(self.lines, key=lambda line: (not line.startswith("import "), line)))


def _call(function: str, args: Sequence[str], kwargs: Sequence[tuple[str, str]] = ()) -> str:
    """``function(args..., key=value...)``: on one line when short, else one argument per line."""
    parts = list(args) + [f"{k}={v}" for k, v in kwargs]
    flat = f"{function}({', '.join(parts)})"
    if len(flat) <= _LINE and "\n" not in flat:
        return flat
    inner = "".join(f"    {_indent(p)},\n" for p in parts)
    return f"{function}(\n{inner})"


def _indent(text: str) -> str:
    return text.replace("\n", "\n    ")


def _kw(pairs: Sequence[tuple[str, Any, Any]]) -> list[tuple[str, str]]:
    """Keyword arguments ``(name, value, default)`` whose value is not the default, rendered."""
    return [(name, _lit(value)) for name, value, default in pairs if value is not default and value != default]


def _type_py(spec: TypeSpec, imports: _Imports) -> str:
    function = _type_function(spec.name, imports)
    args = [_value_py(a, imports) for a in spec.args]
    kwargs = [(k, _value_py(v, imports)) for k, v in spec.kwargs]
    return _call(function, args, kwargs)


def _type_function(name: str, imports: _Imports) -> str:
    """How the rendered code names the type class allow-listed as ``name``."""
    kind = registered_type(name)
    if "." not in name:
        if getattr(sa, name, None) is kind:
            return f"{imports.sa()}.{name}"
        return f"{imports.sa()}.types.{name}"
    prefix, _, attr = name.rpartition(".")
    if kind.__module__.startswith(f"sqlalchemy.dialects.{prefix}."):  # a dialect's own type: postgresql.JSONB
        return f"{imports.dialect(prefix)}.{attr}"
    qualname = kind.__qualname__
    if "<locals>" in qualname:
        raise RenderError(f"column type {name} is defined inside a function and cannot be imported")
    outer = qualname.split(".")[0]
    imports.lines.add(f"from {kind.__module__} import {outer}")
    return qualname


def _value_py(value: Any, imports: _Imports) -> str:
    if isinstance(value, TypeSpec):
        return _type_py(value, imports)
    if isinstance(value, tuple):
        return "[" + ", ".join(_value_py(v, imports) for v in value) + "]"
    return _lit(value)


def _default_py(spec: DefaultSpec | None, imports: _Imports) -> str:
    if spec is None:
        return "None"
    if spec.kind == "literal":
        return _str(spec.value)
    if spec.kind == "func":
        return f"{imports.sa()}.func.{spec.value}()"
    return f"{imports.sa()}.text({_str(spec.value)})"


def _column_py(column: ColumnSpec, imports: _Imports) -> str:
    sa_ = imports.sa()
    args = [_str(column.name), _type_py(column.type, imports)]
    if column.identity is not None:
        args.append(_call(f"{sa_}.Identity", [], _kw(
            [(f.name, getattr(column.identity, f.name), f.default) for f in attrs.fields(IdentitySpec)]
        )))
    if column.computed is not None:
        args.append(_call(f"{sa_}.Computed", [_str(column.computed.sqltext)],
                          _kw([("persisted", column.computed.persisted, None)])))
    kwargs = [("nullable", repr(column.nullable))]
    if column.server_default is not None:
        kwargs.append(("server_default", _default_py(column.server_default, imports)))
    if column.comment is not None:
        kwargs.append(("comment", _str(column.comment)))
    if column.autoincrement != "auto":
        kwargs.append(("autoincrement", _lit(column.autoincrement)))
    return _call(f"{sa_}.Column", args, kwargs)


def _constraint_py(spec: Any, imports: _Imports) -> str:
    """A table-level constraint as the SQLAlchemy object ``op.create_table`` takes."""
    sa_ = imports.sa()
    if isinstance(spec, PrimaryKeySpec):
        return _call(f"{sa_}.PrimaryKeyConstraint", [_str(c) for c in spec.columns], [("name", _lit(spec.name))])
    if isinstance(spec, UniqueSpec):
        return _call(f"{sa_}.UniqueConstraint", [_str(c) for c in spec.columns], [("name", _lit(spec.name))] + _kw(
            [("deferrable", spec.deferrable, None), ("initially", spec.initially, None)]))
    if isinstance(spec, ForeignKeySpec):
        remote = [f"{spec.referent_fullname}.{c}" for c in spec.referent_columns]
        return _call(f"{sa_}.ForeignKeyConstraint", [_lit(list(spec.columns)), _lit(remote)],
                     [("name", _lit(spec.name))] + _fk_options(spec))
    if isinstance(spec, CheckSpec):
        return _call(f"{sa_}.CheckConstraint", [_str(spec.sqltext)], [("name", _lit(spec.name))])
    raise RenderError(f"cannot write constraint {spec!r} as Python")


def _fk_options(spec: ForeignKeySpec) -> list[tuple[str, str]]:
    return _kw([("ondelete", spec.ondelete, None), ("onupdate", spec.onupdate, None),
                ("deferrable", spec.deferrable, None), ("initially", spec.initially, None),
                ("match", spec.match, None)])


def _index_parts(index: IndexSpec, imports: _Imports) -> tuple[list[str], list[tuple[str, str]]]:
    """An index's elements (names or ``sa.text``) and its keyword arguments."""
    elements = [f"{imports.sa()}.text({_str(e.value)})" if e.expression else _str(e.value) for e in index.elements]
    kwargs = [("unique", "True")] if index.unique else []
    for key, value in sorted(index.sa_options().items()):
        kwargs.append((key, _option_py(value, imports)))
    return elements, kwargs


def _option_py(value: Any, imports: _Imports) -> str:
    if isinstance(value, sa.TextClause):
        return f"{imports.sa()}.text({_str(value.text)})"
    return _lit(value)


def _schema_kw(schema: str | None, name: str = "schema") -> list[tuple[str, str]]:
    return [(name, _str(schema))] if schema is not None else []


#: op class -> function that writes it as one statement of ``upgrade(op)``.
_RENDERERS: dict[type[MigrateOperation], Callable[[Any, _Imports], str]] = {}


def python_renderer(op_class: type[MigrateOperation]) -> Callable[[Callable[[Any, Any], str]], Callable[[Any, Any], str]]:
    """Decorator: register ``fn(op, imports) -> str`` that writes ``op_class`` ops as Python.

    ``imports.sa()`` and ``imports.dialect(name)`` return the names to use and add the imports.
    """

    def register(fn: Callable[[Any, Any], str]) -> Callable[[Any, Any], str]:
        _RENDERERS[op_class] = fn
        return fn

    return register


@python_renderer(CreateTableOp)
def _create_table(op: CreateTableOp, imports: _Imports) -> str:
    table = op.table
    args = [_str(table.name)] + [_column_py(c, imports) for c in table.columns]
    args += [_constraint_py(c, imports) for c in table.constraints]
    for index in table.indexes:
        elements, kwargs = _index_parts(index, imports)
        args.append(_call(f"{imports.sa()}.Index", [_lit(index.name)] + elements, kwargs))
    kwargs = _schema_kw(table.schema)
    if table.comment is not None:
        kwargs.append(("comment", _str(table.comment)))
    if table.primary_key is not None and table.primary_key.autoincrement:
        kwargs.append(("sqlite_autoincrement", "True"))  # SQLite's AUTOINCREMENT on the key
    kwargs += [(key, _lit(value)) for key, value in table.dialect_options]  # its character set, collation
    # the partitions a drop of the partitioned table took with it: made again after it
    then = "".join("\n" + _RENDERERS[type(follow)](follow, imports) for follow in op._then)
    return _call("op.create_table", args, kwargs) + then


@python_renderer(DropTableOp)
def _drop_table(op: DropTableOp, imports: _Imports) -> str:
    return _call("op.drop_table", [_str(op.table_name)], _schema_kw(op.schema))


@python_renderer(RenameTableOp)
def _rename_table(op: RenameTableOp, imports: _Imports) -> str:
    return _call("op.rename_table", [_str(op.old_table_name), _str(op.new_table_name)], _schema_kw(op.schema))


def _existing_comment(value: str | None | bool) -> list[tuple[str, str]]:
    return [] if isinstance(value, bool) else [("existing_comment", _lit(value))]


@python_renderer(CreateTableCommentOp)
def _create_table_comment(op: CreateTableCommentOp, imports: _Imports) -> str:
    return _call("op.create_table_comment", [_str(op.table_name), _str(op.comment)],
                 _existing_comment(op.existing_comment) + _schema_kw(op.schema))


@python_renderer(DropTableCommentOp)
def _drop_table_comment(op: DropTableCommentOp, imports: _Imports) -> str:
    return _call("op.drop_table_comment", [_str(op.table_name)],
                 _existing_comment(op.existing_comment) + _schema_kw(op.schema))


@python_renderer(AlterTableOptionsOp)
def _alter_table_options(op: AlterTableOptionsOp, imports: _Imports) -> str:
    kwargs = [(key, _lit(value)) for key, value in op.options]
    if op.existing_options is not None:
        kwargs.append(("existing_options", _lit(dict(op.existing_options))))
    return _call("op.alter_table_options", [_str(op.table_name)], kwargs + _schema_kw(op.schema))


@python_renderer(AddColumnOp)
def _add_column(op: AddColumnOp, imports: _Imports) -> str:
    column = _column_py(op.column, imports)
    # What a dropped column's indexes and constraints were: put back after it.
    then = "".join("\n" + _RENDERERS[type(follow)](follow, imports) for follow in op._then)
    if op.insert_before is None:
        return _call("op.add_column", [_str(op.table_name), column], _schema_kw(op.schema)) + then
    # A position is Alembic's batch_op.add_column(..., insert_before=...).
    batch = _call("op.batch_alter_table", [_str(op.table_name)], _schema_kw(op.schema))
    add = _call("batch_op.add_column", [column], [("insert_before", _str(op.insert_before))])
    return f"with {batch} as batch_op:\n    {_indent(add)}" + then


@python_renderer(DropColumnOp)
def _drop_column(op: DropColumnOp, imports: _Imports) -> str:
    return _call("op.drop_column", [_str(op.table_name), _str(op.column_name)], _schema_kw(op.schema))


@python_renderer(AlterColumnOp)
def _alter_column(op: AlterColumnOp, imports: _Imports) -> str:
    kwargs: list[tuple[str, str]] = []
    if op.modify_name is not None:
        kwargs.append(("new_column_name", _str(op.modify_name)))
    if op.modify_type is not None:
        kwargs.append(("type_", _type_py(op.modify_type, imports)))
    if op.modify_nullable is not None:
        kwargs.append(("nullable", repr(op.modify_nullable)))
    if op.modify_server_default is not False:
        kwargs.append(("server_default", _default_py(op.modify_server_default, imports)))  # type: ignore[arg-type]
    if op.modify_comment is not False:
        kwargs.append(("comment", _lit(op.modify_comment)))
    if op.existing_type is not None:
        kwargs.append(("existing_type", _type_py(op.existing_type, imports)))
    if op.existing_nullable is not None:
        kwargs.append(("existing_nullable", repr(op.existing_nullable)))
    if op.existing_server_default is not False:
        kwargs.append(("existing_server_default", _default_py(op.existing_server_default, imports)))  # type: ignore[arg-type]
    kwargs += _existing_comment(op.existing_comment)
    if op.modify_autoincrement is not None:
        kwargs.append(("autoincrement", _lit(op.modify_autoincrement)))
        if op.existing_autoincrement is not None:
            kwargs.append(("existing_autoincrement", _lit(op.existing_autoincrement)))
    return _call("op.alter_column", [_str(op.table_name), _str(op.column_name)], kwargs + _schema_kw(op.schema))


@python_renderer(CreateIndexOp)
def _create_index(op: CreateIndexOp, imports: _Imports) -> str:
    elements, kwargs = _index_parts(op.index, imports)
    return _call("op.create_index", [_lit(op.index.name), _str(op.table_name), "[" + ", ".join(elements) + "]"],
                 kwargs + _schema_kw(op.schema))


@python_renderer(DropIndexOp)
def _drop_index(op: DropIndexOp, imports: _Imports) -> str:
    kwargs = [("table_name", _str(op.table_name))] if op.table_name is not None else []
    return _call("op.drop_index", [_str(op.index_name)], kwargs + _schema_kw(op.schema))


@python_renderer(CreatePrimaryKeyOp)
def _create_primary_key(op: CreatePrimaryKeyOp, imports: _Imports) -> str:
    c = op.constraint
    return _call("op.create_primary_key", [_lit(c.name), _str(op.table_name), _lit(list(c.columns))],
                 _schema_kw(op.schema) + ([("sqlite_autoincrement", "True")] if c.autoincrement else []))


@python_renderer(CreateUniqueConstraintOp)
def _create_unique(op: CreateUniqueConstraintOp, imports: _Imports) -> str:
    c = op.constraint
    return _call("op.create_unique_constraint", [_lit(c.name), _str(op.table_name), _lit(list(c.columns))],
                 _schema_kw(op.schema) + _kw([("deferrable", c.deferrable, None), ("initially", c.initially, None)]))


@python_renderer(CreateForeignKeyOp)
def _create_foreign_key(op: CreateForeignKeyOp, imports: _Imports) -> str:
    c = op.constraint
    args = [_lit(c.name), _str(op.table_name), _str(c.referent_table), _lit(list(c.columns)),
            _lit(list(c.referent_columns))]
    kwargs = _fk_options(c) + _schema_kw(op.schema, "source_schema") + _schema_kw(c.referent_schema, "referent_schema")
    return _call("op.create_foreign_key", args, kwargs)


@python_renderer(CreateCheckConstraintOp)
def _create_check(op: CreateCheckConstraintOp, imports: _Imports) -> str:
    c = op.constraint
    # the CHECKs of one name that SQLite holds, made together
    repeated = [("repeated", "[" + ", ".join(_str(r.sqltext) for r in op.repeated) + "]")] if op.repeated else []
    return _call("op.create_check_constraint", [_lit(c.name), _str(op.table_name), _str(c.sqltext)],
                 _schema_kw(op.schema) + repeated)


@python_renderer(DropConstraintOp)
def _drop_constraint(op: DropConstraintOp, imports: _Imports) -> str:
    kwargs = [("type_", _str(op.type_))] if op.type_ is not None else []
    return _call("op.drop_constraint", [_str(op.constraint_name), _str(op.table_name)],
                 kwargs + _schema_kw(op.schema))


@python_renderer(ExecuteSQLOp)
def _execute(op: ExecuteSQLOp, imports: _Imports) -> str:
    kwargs = [("reverse_sql", _str(op.reverse_sql))] if op.reverse_sql is not None else []
    return _call("op.execute", [_str(op.sqltext)], kwargs)


@attrs.frozen
class PythonSource:
    """Rendered ops: the import lines they need and the body of ``def upgrade(op):`` (indented)."""

    imports: tuple[str, ...]
    body: str

    def module(self) -> str:
        """The imports and ``def upgrade(op):`` with the body, as the text of a module."""
        head = "\n".join(self.imports) + "\n\n\n" if self.imports else ""
        return f"{head}def upgrade(op):\n{self.body}"


def python_source(ops: Sequence[MigrateOperation]) -> PythonSource:
    """``ops`` as the statements of ``upgrade(op)`` and the imports those statements use."""
    imports = _Imports()
    statements = []
    for op in ops:
        renderer = None
        for klass in type(op).__mro__:
            renderer = _RENDERERS.get(klass)
            if renderer is not None:
                break
        if renderer is None:
            raise RenderError(f"no Python renderer for {type(op).__name__} (register one with python_renderer)")
        statements.append(renderer(op, imports))
    body = "".join(f"    {_indent(s)}\n" for s in statements) or "    pass\n"
    return PythonSource(imports.sorted(), body)


def render_python(ops: Sequence[MigrateOperation]) -> str:
    """``ops`` as readable Python: the imports they need, then ``def upgrade(op):`` issuing them.

    Executing the text and recording ``upgrade`` (``ops.record``) gives back ops that fold to
    the same state; completed, they equal ``ops`` completed.
    """
    return python_source(ops).module()
