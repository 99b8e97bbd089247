"""A schema state or a list of ops, written out: DDL, JSON, a Mermaid ER diagram, Python source.

- :func:`render_ddl`: executable ``CREATE`` statements for one dialect, in dependency order,
  compiled by SQLAlchemy; :func:`ddl_statements` gives the same statements as a list.
- :func:`render_json` / :func:`state_to_json` / :func:`state_from_json`: a stable, documented
  structure (``docs/point-in-time.md``) whose tables have the shape of a ``create_table``
  payload, so the codec's checks and its type allow-list apply when it is read back.
- :func:`render_mermaid`: an ``erDiagram`` that GitHub renders.

Ops as Python source (``def upgrade(op):``) are :mod:`ledger.schema.pysource`'s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.schema import AddConstraint, CreateTable, sort_tables_and_constraints

from ledger.format.codec import canonical, decode, to_payload
from ops import CreateTableOp, LedgerError, LedgerFormatError, SchemaState
from ops.specs import TableSpec, TypeSpec

if TYPE_CHECKING:
    from ledger.dialects import DDLGenerator

__all__ = [
    "DIALECTS",
    "JSON_FORMAT",
    "JSON_VERSION",
    "RenderError",
    "ddl_statements",
    "mermaid_entities",
    "render_ddl",
    "render_json",
    "render_mermaid",
    "sa_dialect",
    "state_from_json",
    "state_to_json",
]

#: served by ``__getattr__`` below, from the database objects when first asked for
DIALECTS: tuple[str, ...]


def __getattr__(name: str) -> Any:
    # DIALECTS: the dialects DDL can be rendered for, every database's name and flavours
    # ("mariadb" is MySQL's compiler, told it talks to MariaDB), read from the database objects.
    if name == "DIALECTS":
        from ledger.dialects import choices

        return choices()
    raise AttributeError(name)


class RenderError(LedgerError, ValueError):
    """A schema or an op cannot be written out in the requested form."""


def _sort_key(table: TableSpec) -> tuple[str, str]:
    return (table.schema or "", table.name)


# ---------------------------------------------------------------------------------------------
# DDL
# ---------------------------------------------------------------------------------------------


def sa_dialect(name: str) -> Dialect:
    """A SQLAlchemy dialect that compiles DDL for ``name`` as text a person can run.

    The named paramstyle keeps ``%`` single: the output is SQL text, not a driver template.
    """
    from ledger import dialects

    try:
        return dialects.compile_dialect(name)
    except dialects.UnsupportedDialectError:
        raise RenderError(f"unknown dialect {name!r}: expected one of {', '.join(dialects.choices())}") from None


def _choices() -> tuple[str, ...]:
    from ledger.dialects import choices

    return choices()


def _generator(name: str, conn: sa.Connection | None = None) -> DDLGenerator:
    """The database's DDL generator for ``name``, the one apply uses: for the server of ``conn``
    (its version), else offline."""
    from ledger import dialects

    try:
        return dialects.generator(name, conn)
    except dialects.UnsupportedDialectError:
        raise RenderError(f"unknown dialect {name!r}: expected one of {', '.join(dialects.choices())}") from None


def _stands_on_an_index(fkc: sa.ForeignKeyConstraint) -> bool:
    """Whether the columns ``fkc`` refers to are no primary key nor unique constraint of theirs: a
    unique index (made after its table's CREATE TABLE) is what the key stands on."""
    referred = fkc.referred_table
    wanted = {element.column.name for element in fkc.elements}
    keys = [referred.primary_key] + [c for c in referred.constraints if isinstance(c, sa.UniqueConstraint)]
    return not any({column.name for column in key.columns} == wanted for key in keys)


def ddl_statements(state: SchemaState, dialect: str, conn: sa.Connection | None = None) -> list[str]:
    """The statements that create ``state`` on an empty ``dialect`` database, without ``;``
    (compiled for the server of ``conn`` when given, as apply compiles them).

    Tables come in dependency order with their foreign keys inline; foreign keys of tables
    that reference each other, and those that stand on a unique index (no key constraint: made
    after its table), follow as ``ALTER TABLE ... ADD CONSTRAINT`` (SQLite, which has no such
    statement and does not check references at CREATE time, keeps them inline). Each
    statement is compiled by the database's DDL generator, as apply compiles it: the named
    types it needs first (PostgreSQL's ``CREATE TYPE`` / ``CREATE DOMAIN``), comments where
    the database keeps them apart (``COMMENT ON``), indexes as the database takes them.
    """
    from ledger.dialects import UnsupportedOperationError

    gen = _generator(dialect, conn)
    compiler = gen.dialect
    metadata = gen.metadata(state)
    tables = [metadata.tables[key] for key in sorted(metadata.tables)]
    try:
        statements = [gen.compile(named) for named in gen.named_types(tables)]
        later: list[Any] = []
        partitions: list[Any] = []  # made once their parents stand, with what they hold of their own
        for table, fkcs in sort_tables_and_constraints(tables):
            if table is None:
                if compiler.supports_alter:
                    later += fkcs
                continue
            spec = state.tables[(table.schema, table.name)]
            made = gen.partition_statements(state, spec)
            if made is not None:
                partitions.append((spec, made))
                continue
            inline = None
            if compiler.supports_alter:
                # a key that stands on a unique index (no key constraint) is added once the indexes are made
                on_index = {fkc for fkc in fkcs if _stands_on_an_index(fkc)}
                later += on_index
                inline = fkcs - on_index
            statements.append(gen.compile(CreateTable(table, include_foreign_key_constraints=inline)))
            statements += gen.comment_statements(table)
            statements += [gen.create_index_sql(index) for index in sorted(table.indexes, key=lambda i: str(i.name))]
        statements += _parents_first(partitions)
        statements += [gen.compile(AddConstraint(fkc))
                       for fkc in sorted(later, key=lambda c: (c.table.fullname, str(c.name)))]
    except (sa.exc.SQLAlchemyError, AttributeError, TypeError, ValueError, UnsupportedOperationError) as exc:
        # What the dialect cannot express: a MySQL-only type asked for as SQLite, a BOOLEAN
        # marked autoincrement, an expression index on MariaDB, ... said in several ways.
        raise RenderError(f"cannot write the schema as {dialect} DDL: {str(exc).splitlines()[0]}") from None
    return statements


def _parents_first(partitions: list[tuple[TableSpec, list[str]]]) -> list[str]:
    """The statements of the partitions, each after those of the partition it is a partition of
    (a partition partitioned in turn); the order they came in otherwise."""
    names = {spec.fullname for spec, _ in partitions}
    statements: list[str] = []
    made: set[str] = set()
    while partitions:
        ready = [(spec, text) for spec, text in partitions
                 if dict(spec.dialect_options).get("postgresql_partition_of") not in names - made]
        ready = ready or partitions[:1]
        for spec, text in ready:
            statements += text
            made.add(spec.fullname)
        partitions = [p for p in partitions if p[0].fullname not in made]
    return statements


def render_ddl(state: SchemaState, dialect: str) -> str:
    """Executable ``CREATE`` statements for ``state`` in ``dialect``, each ending with ``;``."""
    return "".join(f"{statement};\n\n" for statement in ddl_statements(state, dialect))


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------

JSON_FORMAT = "schema-ledger/schema"
JSON_VERSION = 1


def state_to_json(state: SchemaState) -> dict[str, Any]:
    """``state`` as plain JSON data: ``{"format", "version", "tables": [...]}``, tables sorted."""
    tables = sorted(state.tables.values(), key=_sort_key)
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "tables": [to_payload(CreateTableOp(table))["op"]["table"] for table in tables],
    }


def state_from_json(data: Any, start: SchemaState | None = None) -> SchemaState:
    """The state that :func:`state_to_json` wrote; anything malformed raises LedgerFormatError.

    Tables are read with the codec (strict field types, allow-listed column types) and added
    to the state with its checks, foreign keys last, so a document that describes an
    impossible schema is refused as well; ``start``: the empty state of the database the schema is
    for, whose rules it is checked by (MariaDB keeps an index's name per table, so two tables may each
    have one named alike; a foreign key may refer to the first columns of any index).
    """
    if not isinstance(data, dict):
        raise LedgerFormatError("a schema document must be a JSON object")
    if data.get("format") != JSON_FORMAT:
        raise LedgerFormatError(f"not a schema document: format is {data.get('format')!r}, expected {JSON_FORMAT!r}")
    if data.get("version") != JSON_VERSION:
        raise LedgerFormatError(f"unknown schema document version {data.get('version')!r}")
    tables = data.get("tables")
    if not isinstance(tables, list):
        raise LedgerFormatError("a schema document needs a list of tables")
    specs: list[TableSpec] = []
    for position, table in enumerate(tables):
        payload = {"type": CreateTableOp.op_tag, "v": CreateTableOp.payload_version, "op": {"table": table}}
        try:
            op = decode(canonical(payload))
        except (LedgerFormatError, ValueError, TypeError) as exc:
            raise LedgerFormatError(f"schema document, table #{position + 1}: {exc}") from None
        specs.append(op.table)  # type: ignore[attr-defined]
    state = start.emptied() if start is not None else SchemaState()
    try:
        for spec in specs:
            state = state.with_table(attrs.evolve(spec, foreign_keys=()))
        for spec in specs:
            for fk in spec.foreign_keys:
                state = state.with_constraint(spec.name, fk, spec.schema)
    except LedgerError as exc:
        raise LedgerFormatError(f"schema document: {exc}") from None
    return state


def render_json(state: SchemaState) -> str:
    """``state`` as indented JSON with sorted keys: the same state always gives the same text."""
    return json.dumps(state_to_json(state), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------

# Mermaid's lexer reads these inside entity blocks as key markers, case-insensitively.
_MERMAID_KEYS = {"PK", "FK", "UK"}
_MERMAID_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _mermaid_label(text: str) -> str:
    """Text for a quoted Mermaid string: no double quotes, no characters its lexer refuses."""
    text = text.replace('"', "'").replace("%", "\uff05").replace("\\", "\u2216")
    return " ".join("".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text).split())


def _mermaid_word(text: str) -> str:
    """An attribute word made of ASCII letters, digits and underscores, never a key marker."""
    word = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not word or not (word[0].isalpha() or word[0] == "_"):
        word = "_" + word
    if word.upper() in _MERMAID_KEYS:
        word += "_"
    return word


def _mermaid_type(spec: TypeSpec, dialect: Dialect | None) -> str:
    """A column type as one Mermaid attribute word: ``VARCHAR(80)``, ``NUMERIC(10_2)``."""
    try:
        type_ = spec.to_sa()
    except LedgerError:
        type_ = None
    if isinstance(type_, sa.Enum):
        text = f"ENUM({type_.name})" if type_.name else "ENUM"
    else:
        text = ""
        if type_ is not None:
            compiler = dialect
            if compiler is None:
                prefix = spec.name.split(".")[0] if "." in spec.name else ""
                compiler = sa_dialect(prefix) if prefix in _choices() else DefaultDialect()
            try:
                text = str(type_.compile(dialect=compiler))
            except Exception:  # noqa: BLE001 - a type the dialect cannot compile keeps its name
                text = ""
        text = text or spec.name.split(".")[-1].upper()
    text = text.replace(", ", ",").replace(",", "_").replace(" ", "_")
    text = re.sub(r"[^A-Za-z0-9_()\[\]]", "_", text)
    return text if text[:1].isalpha() or text[:1] == "_" else "_" + text


def _unique_names(names: Sequence[str], make: Callable[[str], str]) -> list[str]:
    """``make(name)`` for each name, with a numeric suffix where two would come out the same."""
    out: list[str] = []
    used: set[str] = set()
    for name in names:
        candidate = base = make(name)
        n = 2
        while candidate in used:
            candidate, n = f"{base}_{n}", n + 1
        used.add(candidate)
        out.append(candidate)
    return out


def mermaid_entities(state: SchemaState) -> dict[tuple[str | None, str], str]:
    """Table key -> the entity name :func:`render_mermaid` gives the table (its full name, made safe)."""
    tables = sorted(state.tables.values(), key=_sort_key)
    names = _unique_names([t.fullname for t in tables], lambda n: _mermaid_label(n) or "table")
    return dict(zip([t.key for t in tables], names))


def render_mermaid(state: SchemaState, dialect: str | None = None) -> str:
    """``state`` as a Mermaid ``erDiagram``: one entity per table, one line per column.

    A column line is ``TYPE name [PK, FK, UK] ["comment"]``; a foreign key is a relationship
    ``"parent" ||--o{ "child" : "columns"`` (``|o`` when the key columns may be NULL, ``o|``
    when they are unique in the child). Entity names are always quoted; a column name that is
    not a plain ASCII word is written as one and its real name goes into the comment. Types
    are compiled for ``dialect`` when given, else for the type's own dialect or generically.
    """
    compiler = sa_dialect(dialect) if dialect is not None else None
    tables = sorted(state.tables.values(), key=_sort_key)
    entities = mermaid_entities(state)
    lines = ["erDiagram"]
    for table in tables:
        lines.append(f'    "{entities[table.key]}" {{')
        pk = set(table.primary_key.columns) if table.primary_key else set()
        fk = {c for f in table.foreign_keys for c in f.columns}
        uk = {c for u in table.uniques for c in u.columns}
        uk |= {c for i in table.indexes if i.unique for c in i.columns}
        words = _unique_names(table.column_names, _mermaid_word)
        for column, word in zip(table.columns, words):
            markers = [m for m, keys in (("PK", pk), ("FK", fk), ("UK", uk)) if column.name in keys]
            line = f"        {_mermaid_type(column.type, compiler)} {word}"
            if markers:
                line += " " + ", ".join(markers)
            notes = [] if word == column.name else [f"column {column.name}"]
            if column.comment:
                notes.append(column.comment)
            note = _mermaid_label("; ".join(notes))
            if note:
                line += f' "{note}"'
            lines.append(line)
        lines.append("    }")
    for table in tables:
        for fk in table.foreign_keys:
            parent = state.tables.get(
                (fk.referent_schema if fk.referent_schema is not None else table.schema, fk.referent_table)
            )
            if parent is None:
                continue
            optional = any(table.column(c) is None or table.column(c).nullable for c in fk.columns)  # type: ignore[union-attr]
            keys = ([table.primary_key] if table.primary_key else []) + list(table.uniques)
            one = any(set(k.columns) == set(fk.columns) for k in keys)
            left = "|o" if optional else "||"
            right = "o|" if one else "o{"
            label = _mermaid_label(", ".join(fk.columns)) or "fk"
            lines.append(f'    "{entities[parent.key]}" {left}--{right} "{entities[table.key]}" : "{label}"')
    return "\n".join(lines) + "\n"
