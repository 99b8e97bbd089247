"""CREATE TABLE and ADD COLUMN written from each column's and constraint's definition, each compiled once.

SQLAlchemy compiles ``CREATE TABLE`` from a Table it has to build first; for a run of many
tables alike (every table of a history has an ``id`` key, most share columns) that was most of
the time spent making their DDL. :class:`AssembledGenerator` compiles each column's and
constraint's definition on its own, through the part of the table it needs
(:meth:`DDLGenerator.part`), remembers it by what it is written from, and writes the statement
around them as SQLAlchemy's ``DDLCompiler.visit_create_table`` does. SQLite (its CREATE TABLE,
its rebuilds, ADD COLUMN) and PostgreSQL (CREATE TABLE, ADD COLUMN) use it;
``tests/test_ddltext.py`` checks the statements against the ones SQLAlchemy compiles for the
whole table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from ops import AddColumnOp, SchemaState
from ops.specs import ColumnSpec, ForeignKeySpec, TableSpec

from . import ddltext
from .base import DDLGenerator, handles
from .typechecks import makes_constraint
from ops import classes as oc

__all__ = ["AssembledGenerator", "makes_constraint"]


_NO_TEXTS: dict[int, Any] = {}


class AssembledGenerator(DDLGenerator):
    """A generator that writes CREATE TABLE and a column's definition from remembered parts."""

    def assembled(self, after: SchemaState, spec: TableSpec, name: str) -> str | None:
        """``CREATE TABLE name`` with ``spec``'s columns and constraints, as SQLAlchemy's ``CreateTable``
        writes it (no table options, prefixes or suffix); None where it must be compiled whole: a
        column type that makes a constraint of its own (a ``Boolean`` or ``Enum`` with
        ``create_constraint``), or a part that fails to compile on its own."""
        if self._columns_make_constraint(spec.columns):
            return None
        try:
            columns = [self.part_sql(after, spec, column=column) for column in spec.columns]
            pk: tuple[Any, ...] = (spec.primary_key,) if spec.primary_key is not None else ()
            constraints = [self.part_sql(after, spec, constraint=c)
                           for c in pk + spec.foreign_keys + spec.uniques + spec.checks]
        except (sa.exc.SQLAlchemyError, LookupError, ValueError):
            return None  # compiled whole by the caller, which raises what SQLAlchemy says
        # What DDLCompiler.visit_create_table writes (no prefixes, suffix or table options here).
        text = "\nCREATE TABLE " + ddltext.name_sql(self.preparer, name, spec.schema) + " ("
        separator = "\n"
        for column_sql in columns:
            if column_sql is not None:
                text += separator + "\t" + column_sql
                separator = ", \n"
        const = ", \n\t".join(c for c in constraints if c is not None)
        if const:
            text += separator + "\t" + const
        return (text + "\n)\n\n").strip()

    def _columns_make_constraint(self, columns: tuple[ColumnSpec, ...]) -> bool:
        """Whether a type of ``columns`` makes a constraint of its own, each type's answer remembered
        (a table is rebuilt many times with the same column types)."""
        memo: dict[int, tuple[Any, bool]] = self.__dict__.setdefault("_made_constraints", {})
        for column in columns:
            type_ = column.type
            found = memo.get(id(type_))
            if found is None or found[0] is not type_:
                if len(memo) > 4096:
                    memo.clear()
                found = memo[id(type_)] = (type_, makes_constraint(type_))
            if found[1]:
                return True
        return False

    @handles(AddColumnOp)
    def add_column(self, op: AddColumnOp, before: SchemaState) -> list[str]:
        """``ALTER TABLE ... ADD COLUMN`` with the column's definition as CREATE TABLE writes it
        (:meth:`part_sql`, which a SQLite rebuild and ``create_table`` share): the same column
        added to many tables is compiled once. A column with a comment where the database keeps
        one (a ``COMMENT ON`` after it), one whose type makes a CHECK (added after it), and the
        reverse of a drop (with the indexes and constraints it puts back), go the general way."""
        if op._then:
            return super().add_column(op, before)
        after = self.applied(op, before)
        spec = after.table(op.table_name, op.schema)
        column = spec.column(op.column.name)
        text = None if column is None or (column.comment is not None and self.dialect.supports_comments) \
            or (self.adds_type_checks and makes_constraint(column.type)) else self.part_sql(after, spec, column=column)
        if text is None:
            return super().add_column(op, before)
        return [f"ALTER TABLE {ddltext.table_sql(self.preparer, spec)} ADD COLUMN {text}"]

    def part_sql(self, after: SchemaState, spec: TableSpec, *, column: ColumnSpec | None = None,
                 constraint: Any = None) -> str | None:
        """One column's or constraint's definition inside CREATE TABLE (None: none is written),
        remembered by what it is written from. A column's: its spec, the table's schema (a type
        may take it) and, for a column of the primary key, the key's size, its AUTOINCREMENT and
        whether a foreign key is on the column (what decides SQLite's inline ``PRIMARY KEY
        AUTOINCREMENT`` and PostgreSQL's ``SERIAL``). A constraint's: its spec, the table's schema
        and whether its referred table exists."""
        if column is not None:
            pk = spec.primary_key
            in_key = pk is not None and column.name in pk.columns
            context = (spec.schema, in_key) + (
                (len(pk.columns), pk.autoincrement, any(column.name in fk.columns for fk in spec.foreign_keys))  # type: ignore[union-attr]
                if in_key else ())
            # As ``_same`` looks it up, without making the functions it is given for a miss.
            found = self.__dict__.get("_texts", _NO_TEXTS).get(id(column))
            if found is not None and found[0] is column and found[1] == context:
                return found[2]  # type: ignore[no-any-return]
            return self._same(column, context, lambda: self.compiled(
                ("column", column) + context, lambda: self._compile_part(after, spec, column, None)))
        else:
            referred = None
            if isinstance(constraint, ForeignKeySpec):
                referred = (constraint.referent_schema if constraint.referent_schema is not None else spec.schema,
                            constraint.referent_table) in after.tables
            if constraint is spec.primary_key:
                pk = constraint
                # What the key's text depends on besides the key: its columns, the table's options and schema.
                return self._same(pk, (tuple(spec.column(c) for c in pk.columns), spec.dialect_options, spec.schema),
                                  lambda: self._primary_key_sql(after, spec))
            key = ("constraint", constraint, spec.schema, False, referred)
            text = ddltext.constraint_sql(self.dialect, after, spec, constraint)
            if text is not None:
                return text
            return self.compiled(key, lambda: self._compile_part(after, spec, None, constraint))

    def _same(self, part: Any, context: tuple[Any, ...], make: Callable[[], str | None]) -> str | None:
        """``make()`` for the column or key object ``part`` in ``context``, remembered by the object itself:
        a table rebuilt again and again keeps most of its parts' objects, and looking the text up by
        the object spares working out its value's hash (which ``compiled`` keys on) at every rebuild."""
        memo: dict[int, tuple[Any, tuple[Any, ...], str | None]] = self.__dict__.setdefault("_texts", {})
        found = memo.get(id(part))
        if found is not None and found[0] is part and found[1] == context:
            return found[2]
        text = make()
        if len(memo) > 4096:
            memo.clear()
        memo[id(part)] = (part, context, text)
        return text

    def _primary_key_sql(self, after: SchemaState, spec: TableSpec) -> str | None:
        """The primary key's definition. A named key's name is written only in ``CONSTRAINT name``
        at its start, so what follows is compiled once per distinct key but for its name (every
        table of a history has a key of its own name, most of them otherwise alike); a key
        written any other way (unnamed, inline with its column, a name too long) is compiled as
        any other part, once per distinct key."""
        pk = spec.primary_key
        assert pk is not None

        def exact() -> str | None:
            return self.compiled(("constraint", pk, spec.schema, True, None),
                                 lambda: self._compile_part(after, spec, None, pk))

        name = pk.name
        if name is None or pk.unnamed or not ddltext.name_fits(self.dialect, name):
            return exact()
        head = f"CONSTRAINT {self.quote(name)} "

        def body() -> str:
            text = self._compile_part(after, spec, None, pk)
            return text[len(head):] if text is not None and text.startswith(head) else ""

        # What else the text depends on: the key, its columns (types, options) and the table's options.
        key = ("primary key but its name", oc.evolve(pk, name=None), tuple(spec.column(c) for c in pk.columns),
               spec.dialect_options, spec.schema)
        rest = self.compiled(key, body)
        return head + rest if rest else exact()

    def _compile_part(self, after: SchemaState, spec: TableSpec, column: ColumnSpec | None,
                      constraint: Any) -> str | None:
        if column is not None:
            table = self.part(after, spec, columns=(column.name,), key_context=True)
            element: Any = sa.schema.CreateColumn(table.c[column.name])
        else:
            table = self.part(after, spec, constraint=constraint)
            if constraint is spec.primary_key:
                element = table.primary_key
            else:
                found = [c for c in table.constraints if c is not table.primary_key]
                if len(found) != 1:
                    raise LookupError(f"constraint {constraint.name} of {spec.fullname}")
                element = found[0]
        return self.dialect.ddl_compiler(self.dialect, None).process(element)  # type: ignore[no-any-return]
