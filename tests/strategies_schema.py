"""Hypothesis strategies for names, types, columns, tables and schema states.

The public names are re-exported by :mod:`tests.strategies`; import them from there.
"""

from __future__ import annotations

import functools
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from ops import (
    CheckSpec,
    ColumnSpec,
    ComputedSpec,
    DefaultSpec,
    ForeignKeySpec,
    IdentitySpec,
    IndexElement,
    IndexSpec,
    PrimaryKeySpec,
    SchemaState,
    TableSpec,
    TypeSpec,
    UniqueSpec,
)
from ops.specs import registered_type, registered_type_names

__all__ = [
    "MAX_IDENTIFIER",
    "NON_ASCII",
    "PORTABLE_PUNCTUATION",
    "PORTABLE_TYPE_NAMES",
    "RESERVED_WORDS",
    "RISKY_PUNCTUATION",
    "column_specs",
    "identifiers",
    "name_key",
    "schema_states",
    "small_states",
    "table_specs",
    "type_specs",
]

Draw = Callable[[st.SearchStrategy[Any]], Any]

# ---------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------

MAX_IDENTIFIER = 30

#: Words every database reserves; quoting makes them valid names.
RESERVED_WORDS = (
    "check", "column", "default", "desc", "from", "group", "index", "key", "limit", "order",
    "references", "select", "table", "to", "type", "user", "values", "where",
)
#: Letters outside ASCII, all in the Basic Multilingual Plane (MariaDB keeps identifiers in utf8mb3).
NON_ASCII = "éüñåçЖдλΩ中文データ"
#: Punctuation that is safe inside a quoted identifier on every database and in every driver.
PORTABLE_PUNCTUATION = " _-$#@!+*/()=<>,;&|~^"
#: More that the databases accept but that is easy to get wrong (paramstyles, quoting, escapes).
RISKY_PUNCTUATION = "%:'?\\[]{}"
#: Bare words that are safe in SQL text on every database (used in checks and expressions): no
#: keyword of any of them holds both an underscore and a digit (true, int4 and current_date do not).
_SIMPLE = st.from_regex(r"[a-z][a-z0-9]{0,7}_[0-9]{1,3}", fullmatch=True)


def _valid(name: str) -> bool:
    return (
        0 < len(name) <= MAX_IDENTIFIER
        and len(name.encode()) <= 63  # PostgreSQL counts bytes
        and name == name.strip()  # MariaDB refuses trailing spaces
        and not any(c in name for c in '\x00."`')
        and all(unicodedata.category(c)[0] != "C" for c in name)
        and name.casefold() != "primary"  # MariaDB names the primary key PRIMARY and refuses it elsewhere
    )


@functools.cache
def identifiers(*, portable: bool = False) -> st.SearchStrategy[str]:
    """A name valid on SQLite, PostgreSQL and MariaDB: <= 30 characters, no NUL, dot, backtick or
    double quote, no leading or trailing space; plain, reserved, mixed-case, punctuated and
    non-ASCII names. ``portable=True`` leaves out the punctuation drivers are fussy about."""
    punctuation = PORTABLE_PUNCTUATION + ("" if portable else RISKY_PUNCTUATION)
    alphabet = string.ascii_letters + string.digits + punctuation + NON_ASCII
    return st.one_of(
        _SIMPLE,
        st.sampled_from(RESERVED_WORDS),
        st.sampled_from(RESERVED_WORDS).map(str.upper),
        st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,14}", fullmatch=True),
        st.text(alphabet=string.ascii_lowercase + NON_ASCII, min_size=1, max_size=12),
        st.text(alphabet=alphabet, min_size=1, max_size=MAX_IDENTIFIER),
    ).filter(_valid)


def name_key(name: str, *, portable: bool = False) -> str:
    """What a database compares a name by: the name itself, or (portable) its case- and
    accent-folded form, since MariaDB and SQLite compare column names that way."""
    if not portable:
        return name
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _Names:
    """Fresh names for one schema: distinct (by :func:`name_key`) from every name already used."""

    def __init__(self, draw: Draw, portable: bool, used: Iterable[str] = ()) -> None:
        self.draw, self.portable = draw, portable
        self.used = {name_key(n, portable=portable) for n in used}

    def take(self, name: str) -> str:
        base, n = name, 1
        while name_key(name, portable=self.portable) in self.used:
            suffix = f"_{n}"
            name = (base[: MAX_IDENTIFIER - len(suffix)] + suffix).strip()
            n += 1
        self.used.add(name_key(name, portable=self.portable))
        return name

    def fresh(self, simple: bool = False) -> str:
        return self.take(self.draw(_SIMPLE if simple else identifiers(portable=self.portable)))


def _used_names(state: SchemaState) -> list[str]:
    """Every table, column, constraint, index and enum type name of ``state``."""
    names: list[str] = []
    for table in state.tables.values():
        names.append(table.name)
        names.extend(c.name for c in table.columns)
        names.extend(str(c.name) for c in table.constraints)
        names.extend(str(i.name) for i in table.indexes)
        names.extend(n for c in table.columns if (n := c.type.kw.get("name")) is not None)
    return names


def _is_simple(name: str) -> bool:
    """A name that SQL text can spell without quotes on every database (see ``_SIMPLE``)."""
    return re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None and "_" in name and any(c.isdigit() for c in name)


# ---------------------------------------------------------------------------------------------
# Types
# ---------------------------------------------------------------------------------------------

#: The generic types every database creates and reflects (Enum's name is set per schema).
PORTABLE_TYPE_NAMES = (
    "BigInteger", "Boolean", "Date", "DateTime", "Enum", "Float", "Integer", "LargeBinary",
    "Numeric", "SmallInteger", "String", "Text", "Time", "Uuid",
)
_INTEGERS = ("BigInteger", "Integer", "SmallInteger")
#: Types every database can put in a key or an index without a prefix length.
_KEYABLE = _INTEGERS + ("Boolean", "Date", "DateTime", "Enum", "Numeric", "String", "Time", "Uuid")


@functools.cache
def _enum_values(portable: bool) -> st.SearchStrategy[tuple[str, ...]]:
    value = _SIMPLE if portable else st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
    ).filter(lambda v: v == v.strip())
    return st.lists(value, min_size=1, max_size=4, unique=True).map(tuple)


@functools.cache
def _portable_types() -> st.SearchStrategy[TypeSpec]:
    return st.one_of(
        st.sampled_from([TypeSpec(n) for n in sorted(set(PORTABLE_TYPE_NAMES) - {"Enum", "Numeric", "String"})]),
        st.integers(1, 100).map(lambda n: TypeSpec.of("String", length=n)),
        st.integers(1, 18).flatmap(
            lambda p: st.integers(0, min(p, 6)).map(lambda s: TypeSpec.of("Numeric", precision=p, scale=s))
        ),
        st.builds(lambda values, name: TypeSpec.of("Enum", *values, name=name), _enum_values(True), _SIMPLE),
    )


@functools.cache
def _dialect_types() -> st.SearchStrategy[TypeSpec]:
    """Types built with arguments, through SQLAlchemy, so the specs are what users' columns give."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql, postgresql as pg, sqlite

    n = st.integers(1, 255)
    item = st.sampled_from([sa.Integer(), sa.String(20), sa.Text(), pg.INET(), sa.Numeric(8, 2)])
    return st.one_of(
        st.builds(sa.String, n, collation=st.sampled_from([None, "C", "utf8mb4_bin"])),
        st.builds(sa.Unicode, n), st.builds(sa.CHAR, n), st.builds(sa.VARBINARY, n), st.builds(sa.LargeBinary, n),
        st.builds(sa.DateTime, timezone=st.booleans()), st.builds(sa.Time, timezone=st.booleans()),
        st.builds(sa.TIMESTAMP, timezone=st.booleans()),
        st.builds(sa.Float, precision=st.none() | st.integers(1, 53), asdecimal=st.booleans()),
        st.builds(sa.Numeric, st.integers(1, 30), st.integers(0, 10), asdecimal=st.booleans()),
        st.builds(lambda v, name, native, constraint: sa.Enum(*v, name=name, native_enum=native,
                                                               create_constraint=constraint),
                  _enum_values(False), _SIMPLE, st.booleans(), st.booleans()),
        st.builds(lambda v, length: sa.Enum(*v, name="e", native_enum=False, length=length + max(map(len, v))),
                  _enum_values(False), st.integers(0, 20)),
        st.builds(sa.JSON, none_as_null=st.booleans()), st.builds(sa.Boolean, create_constraint=st.booleans()),
        st.builds(sa.Uuid, as_uuid=st.booleans(), native_uuid=st.booleans()),
        st.builds(sa.Interval, native=st.booleans(), second_precision=st.none() | st.integers(0, 6)),
        st.builds(sa.ARRAY, item, dimensions=st.none() | st.integers(1, 3)),
        st.builds(pg.ARRAY, item, dimensions=st.none() | st.integers(1, 3)),
        st.builds(pg.JSONB, none_as_null=st.booleans()), st.builds(pg.UUID, as_uuid=st.booleans()),
        st.builds(pg.TIMESTAMP, timezone=st.booleans(), precision=st.none() | st.integers(0, 6)),
        st.builds(pg.TIME, timezone=st.booleans(), precision=st.none() | st.integers(0, 6)),
        st.builds(pg.BIT, st.integers(1, 64), varying=st.booleans()),
        st.builds(pg.INTERVAL, precision=st.none() | st.integers(0, 6),
                  fields=st.none() | st.sampled_from(["DAY", "HOUR TO MINUTE", "YEAR"])),
        st.builds(lambda v, name, create: pg.ENUM(*v, name=name, create_type=create),
                  _enum_values(False), _SIMPLE, st.booleans()),
        st.builds(lambda name, t: pg.DOMAIN(name, t), _SIMPLE, st.sampled_from([sa.Integer(), sa.Text()])),
        st.builds(mysql.TINYINT, st.none() | st.integers(1, 4), unsigned=st.booleans()),
        st.builds(mysql.INTEGER, display_width=st.none() | st.integers(1, 11), unsigned=st.booleans(),
                  zerofill=st.booleans()),
        st.builds(mysql.BIGINT, unsigned=st.booleans()),
        st.builds(mysql.DECIMAL, st.integers(1, 30), st.integers(0, 10), unsigned=st.booleans()),
        st.builds(mysql.MEDIUMTEXT, charset=st.none() | st.just("utf8mb4"),
                  collation=st.none() | st.just("utf8mb4_bin")),
        st.builds(mysql.VARCHAR, n, charset=st.none() | st.just("latin1"), national=st.booleans()),
        st.builds(lambda v: mysql.ENUM(*v), _enum_values(False)),
        st.builds(lambda v, bitwise: mysql.SET(*v, retrieve_as_bitwise=bitwise), _enum_values(True), st.booleans()),
        st.builds(mysql.BIT, st.integers(1, 64)), st.builds(mysql.DATETIME, fsp=st.none() | st.integers(0, 6)),
        st.builds(mysql.TIMESTAMP, fsp=st.none() | st.integers(0, 6)), st.builds(mysql.YEAR, st.none() | st.just(4)),
        st.builds(sqlite.DATETIME, truncate_microseconds=st.booleans()),
    ).map(TypeSpec.from_sa)


def _every_registered_type() -> st.SearchStrategy[TypeSpec]:
    return _registered_types(registered_type_names())


@functools.cache
def _registered_types(names: tuple[str, ...]) -> st.SearchStrategy[TypeSpec]:
    """Each allow-listed type built without arguments (ARRAY and DOMAIN need some)."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as pg

    specs = set()
    for name in names:
        kind = registered_type(name)
        if issubclass(kind, (sa.ARRAY, pg.DOMAIN)):
            continue
        specs.add(TypeSpec.from_sa(kind()))
    return st.sampled_from(sorted(specs, key=repr))


@functools.cache
def type_specs(*, portable: bool = False) -> st.SearchStrategy[TypeSpec]:
    """A column type: generic types with arguments, and (unless portable) every allow-listed
    type, PostgreSQL, MySQL and SQLite types with their arguments, arrays."""
    if portable:
        return _portable_types()
    return st.one_of(_portable_types(), _dialect_types(), st.deferred(_every_registered_type))


def _family(type_: TypeSpec) -> str | None:
    """Types a portable ALTER may switch between, on an empty table, on every database."""
    if type_.name in _INTEGERS or type_.name == "Numeric":
        return "number"
    if type_.name in ("String", "Text"):
        return "text"
    return None


def _portable_type_change(type_: TypeSpec) -> st.SearchStrategy[TypeSpec] | None:
    family = _family(type_)
    if family is None:
        return None
    return _portable_types().filter(lambda t: _family(t) == family and t != type_)


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------


@functools.cache
def _defaults_for(type_: TypeSpec, portable: bool) -> st.SearchStrategy[DefaultSpec | None]:
    """A server default that fits ``type_`` (or None)."""
    options: list[st.SearchStrategy[DefaultSpec | None]] = [st.none()]
    if type_.name in ("String",) or (not portable and type_.name in ("Text", "Unicode", "VARCHAR")):
        limit = type_.kw.get("length") or 10
        text = st.text(alphabet=string.ascii_letters + string.digits + " " + ("" if portable else "'é%:"),
                       max_size=min(limit, 10))
        options.append(st.builds(DefaultSpec, st.just("literal"), text))
    if type_.name in _INTEGERS or type_.name == "Numeric":
        digits = max(0, (type_.kw.get("precision") or 10) - (type_.kw.get("scale") or 0))
        limit = min(100, 10**digits - 1)  # what NUMERIC(p, s) can hold
        options.append(st.integers(-limit, limit).map(lambda i: DefaultSpec("text", str(i))))
    if type_.name == "DateTime":
        options.append(st.sampled_from([DefaultSpec("func", "current_timestamp"), DefaultSpec("func", "now")]
                                       if not portable else [DefaultSpec("func", "current_timestamp")]))
    if not portable:
        options.append(st.sampled_from([DefaultSpec("text", "now()"), DefaultSpec("text", "(1 + 1)"),
                                        DefaultSpec("literal", "")]))
    return st.one_of(options)


@functools.cache
def _comments(portable: bool) -> st.SearchStrategy[str | None]:
    alphabet = string.ascii_letters + " .,'" + ("" if portable else "é中%:\"\\\n")
    return st.none() | st.text(alphabet=alphabet, min_size=1, max_size=40).filter(lambda c: c == c.strip())


@st.composite
def column_specs(draw: Draw, *, portable: bool = False, name: st.SearchStrategy[str] | None = None,
                 types: st.SearchStrategy[TypeSpec] | None = None) -> ColumnSpec:
    """A column: any type, nullability, a server default that fits the type, a comment; unless
    portable, sometimes an identity (integer types) or an explicit autoincrement (portable
    columns have ``autoincrement=False``)."""
    column_name = draw(name if name is not None else identifiers(portable=portable))
    type_ = draw(types if types is not None else type_specs(portable=portable))
    identity = None
    # Portable: no AUTO_INCREMENT, which MariaDB gives a lone integer key and then refuses in
    # CHECK constraints and next to a server default.
    autoincrement: bool | str = False if portable else "auto"
    if not portable and type_.name in _INTEGERS and draw(st.booleans()):
        identity = draw(st.builds(IdentitySpec, always=st.booleans(), start=st.none() | st.integers(1, 100),
                                  increment=st.none() | st.integers(1, 5)))
    elif not portable:
        autoincrement = draw(st.sampled_from(["auto", True, False]))
    return ColumnSpec(
        name=column_name,
        type=type_,
        nullable=draw(st.booleans()),
        server_default=None if identity else draw(_defaults_for(type_, portable)),
        comment=draw(_comments(portable)),
        autoincrement=autoincrement,
        identity=identity,
    )


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def _keyable(column: ColumnSpec, portable: bool) -> bool:
    if column.computed is not None:
        return False
    if portable:
        return column.type.name in _KEYABLE
    return True


def _check_text(draw: Draw, columns: Sequence[ColumnSpec], portable: bool) -> str:
    """A CHECK condition naming one column, spelled so every database reads it."""
    simple = [c for c in columns if _is_simple(c.name)]
    if not simple:
        return draw(st.sampled_from(["1 = 1", "2 > 1"]))
    column = draw(st.sampled_from(simple))
    if column.type.name in _INTEGERS or column.type.name == "Numeric":
        return draw(st.sampled_from([f"{column.name} >= 0", f"{column.name} > -1000", f"{column.name} <> 7"]))
    if not portable and draw(st.booleans()):
        quoted = draw(st.sampled_from([c for c in columns]))
        return f'"{quoted.name}" IS NOT NULL'
    return f"{column.name} IS NOT NULL"


def _index_spec(draw: Draw, names: _Names, table: TableSpec, portable: bool) -> IndexSpec | None:
    keyable = [c for c in table.columns if _keyable(c, portable)]
    simple = [c for c in table.columns if _is_simple(c.name) and c.type.name in ("String", "Text", "Integer")]
    elements: list[IndexElement] = []
    if keyable:
        chosen = draw(st.lists(st.sampled_from(keyable), min_size=1, max_size=3, unique_by=lambda c: c.name))
        elements = [IndexElement(c.name) for c in chosen]
    options: dict[str, Any] = {}
    if not portable:
        if simple and draw(st.booleans()):
            column = draw(st.sampled_from(simple)).name
            expression = draw(st.sampled_from([f"lower({column})", f"({column} || 'x')", f"abs({column})"]))
            elements.insert(draw(st.integers(0, len(elements))), IndexElement(expression, expression=True))
        if simple and draw(st.booleans()):
            where = f"{draw(st.sampled_from(simple)).name} IS NOT NULL"
            options[draw(st.sampled_from(["postgresql_where", "sqlite_where"]))] = where
        plain = [e.value for e in elements if not e.expression]
        if draw(st.booleans()):
            options["postgresql_using"] = draw(st.sampled_from(["btree", "hash", "gin"]))
        if plain and draw(st.booleans()):
            options["mysql_length"] = tuple(sorted((c, draw(st.integers(1, 50))) for c in plain[:1]))
        others = [c.name for c in table.columns if c.name not in plain]
        if others and draw(st.booleans()):
            options["postgresql_include"] = (draw(st.sampled_from(others)),)
    if not elements:
        return None
    return IndexSpec(names.fresh(), tuple(elements), unique=draw(st.booleans()),
                     dialect_options=tuple(sorted(options.items())))


@st.composite
def _table(draw: Draw, names: _Names, *, portable: bool, schema: str | None = None,
           max_columns: int = 6) -> TableSpec:
    """A table on its own: columns, maybe a (composite) key, uniques, checks, indexes and a
    self-referencing foreign key. Every constraint and index is named, from ``names``."""
    table_name = names.fresh()
    column_names = st.builds(lambda simple: names.fresh(simple=simple), st.booleans())
    columns = draw(st.lists(column_specs(portable=portable, name=column_names), min_size=1, max_size=max_columns))
    if not portable and draw(st.integers(0, 4)) == 0:
        source = [c for c in columns if _is_simple(c.name) and c.type.name in _INTEGERS]
        if source:
            text = f"{source[0].name} * 2"
            columns.append(ColumnSpec(names.fresh(), TypeSpec("Integer"),
                                      computed=ComputedSpec(text, draw(st.none() | st.booleans()))))
    table = TableSpec(name=table_name, columns=tuple(columns), schema=schema, comment=draw(_comments(portable)))

    keyable = [c for c in table.columns if _keyable(c, portable)]
    primary_key = None
    if keyable and draw(st.integers(0, 4)) > 1:
        key = draw(st.lists(st.sampled_from(keyable), min_size=1, max_size=2, unique_by=lambda c: c.name))
        key_names = tuple(c.name for c in key)
        table = _with_not_null(table, key_names)
        primary_key = PrimaryKeySpec(names.fresh(), key_names)
        table = attrs.evolve(table, primary_key=primary_key)

    uniques = []
    for _ in range(draw(st.integers(0, 2))):
        if keyable:
            chosen = draw(st.lists(st.sampled_from(keyable), min_size=1, max_size=2, unique_by=lambda c: c.name))
            uniques.append(UniqueSpec(names.fresh(), tuple(c.name for c in chosen)))
    checks = [CheckSpec(names.fresh(), _check_text(draw, table.columns, portable))
              for _ in range(draw(st.integers(0, 2)))]
    table = attrs.evolve(table, uniques=tuple(uniques), checks=tuple(checks))
    indexes = [i for _ in range(draw(st.integers(0, 2))) if (i := _index_spec(draw, names, table, portable))]
    table = attrs.evolve(table, indexes=tuple(indexes))

    if primary_key is not None and len(primary_key.columns) <= 2 and draw(st.booleans()):
        # A self-referencing foreign key: new columns shaped like the key they point at.
        own = []
        for name in primary_key.columns:
            target = table.column(name)
            assert target is not None
            own.append(ColumnSpec(names.fresh(), target.type, nullable=True, autoincrement=not portable and "auto"))
        fk = ForeignKeySpec(names.fresh(), tuple(c.name for c in own), table_name, primary_key.columns,
                            ondelete=draw(_fk_actions(portable)))
        table = attrs.evolve(table, columns=table.columns + tuple(own), foreign_keys=(fk,))
    return table


def _with_not_null(table: TableSpec, names: Iterable[str]) -> TableSpec:
    names = set(names)
    return attrs.evolve(table, columns=tuple(
        attrs.evolve(c, nullable=False) if c.name in names else c for c in table.columns
    ))


@functools.cache
def _fk_actions(portable: bool) -> st.SearchStrategy[str | None]:
    actions = [None, "CASCADE", "RESTRICT", "NO ACTION"] + ([] if portable else ["SET NULL", "SET DEFAULT"])
    return st.sampled_from(actions)


def table_specs(*, portable: bool = False) -> st.SearchStrategy[TableSpec]:
    """A table with columns of any type, maybe a composite primary key, unique and check
    constraints, indexes (expression and partial ones unless portable) and a self-referencing
    foreign key; every constraint and index is named."""

    @st.composite
    def build(draw: Draw) -> TableSpec:
        return draw(_table(_Names(draw, portable), portable=portable))

    return build()


# ---------------------------------------------------------------------------------------------
# Schema states
# ---------------------------------------------------------------------------------------------


def _keys(table: TableSpec) -> list[tuple[str, ...]]:
    keys = [table.primary_key.columns] if table.primary_key else []
    return keys + [u.columns for u in table.uniques]


def _unique_enum_names(draw: Draw, names: _Names, table: TableSpec) -> TableSpec:
    """Give each named enum type its own name: PostgreSQL keeps one type per name and schema.
    Columns of one type (a key and the foreign key that copies it) keep sharing theirs."""
    renamed: dict[TypeSpec, TypeSpec] = {}
    columns = []
    for column in table.columns:
        type_ = column.type
        if type_.kw.get("name") is not None and type_.name in ("Enum", "postgresql.ENUM", "postgresql.DOMAIN"):
            if type_ not in renamed:
                kwargs = {**type_.kw, "name": names.fresh(simple=True)}
                renamed[type_] = attrs.evolve(type_, kwargs=tuple(sorted(kwargs.items())))
            column = attrs.evolve(column, type=renamed[type_])
        columns.append(column)
    return attrs.evolve(table, columns=tuple(columns))


def _foreign_key(draw: Draw, names: _Names, source: TableSpec, target: TableSpec, portable: bool,
                 new_columns: bool) -> tuple[TableSpec, ForeignKeySpec] | None:
    """A foreign key from ``source`` to a key of ``target``: on existing columns of the same
    types, or (``new_columns``) on new nullable columns added to ``source``."""
    keys = _keys(target)
    if not keys or (target.schema is None and source.schema is not None):
        return None  # a referent schema of None means the source's own schema: no way to say "default"
    key = draw(st.sampled_from(keys))
    key_types = [target.column(c).type for c in key]  # type: ignore[union-attr]
    if new_columns:
        own = [ColumnSpec(names.fresh(), t, nullable=True, autoincrement=not portable and "auto") for t in key_types]
        source = attrs.evolve(source, columns=source.columns + tuple(own))
        local = tuple(c.name for c in own)
    else:
        local_list: list[str] = []
        for type_ in key_types:
            free = [c for c in source.columns if c.name not in local_list and c.computed is None]
            match = [c.name for c in free if c.type == type_]
            if not match and not portable:
                match = [c.name for c in free]  # the state does not compare types; databases do
            if not match:
                return None
            local_list.append(draw(st.sampled_from(match)))
        local = tuple(local_list)
    if portable and any((fk.columns, fk.referent_table, fk.referent_columns) == (local, target.name, key)
                        for fk in source.foreign_keys):
        return None  # a twin: valid DDL, but SQLite's reflection reads back only one of the two
    ondelete = draw(_fk_actions(portable))
    if ondelete in ("SET NULL", "SET DEFAULT") and any(not source.column(c).nullable for c in local):  # type: ignore[union-attr]
        ondelete = "CASCADE"
    options: dict[str, Any] = {}
    if not portable:
        options = draw(st.fixed_dictionaries({}, optional={
            "onupdate": _fk_actions(False).filter(lambda a: a != "SET NULL"),
            "deferrable": st.booleans(),
            "initially": st.sampled_from(["DEFERRED", "IMMEDIATE"]),
            "match": st.just("FULL"),
        }))
    fk = ForeignKeySpec(names.fresh(), local, target.name, key, referent_schema=None,
                        ondelete=ondelete, **options)
    if target.schema != source.schema:
        fk = attrs.evolve(fk, referent_schema=target.schema)
    return source, fk


@st.composite
def schema_states(draw: Draw, *, portable: bool = False, min_tables: int = 0, max_tables: int = 4) -> SchemaState:
    """Several tables: composite primary keys, unique and check constraints, indexes
    (expression and partial ones unless portable), self-referencing and cross-table foreign
    keys, and (unless portable) a second schema. Every name is unique in its schema."""
    names_by_schema: dict[str | None, _Names] = {}
    state = SchemaState()
    for _ in range(draw(st.integers(min_tables, max_tables))):
        schema = None if portable else draw(st.sampled_from([None, None, None, "other"]))
        names = names_by_schema.setdefault(schema, _Names(draw, portable))
        table = _unique_enum_names(draw, names, draw(_table(names, portable=portable, schema=schema)))
        targets = sorted(state.tables.values(), key=lambda t: (t.schema or "", t.name))
        if targets and draw(st.booleans()):
            target = draw(st.sampled_from(targets))
            found = _foreign_key(draw, names, table, target, portable, new_columns=draw(st.booleans()))
            if found is not None:
                table, fk = found
                table = attrs.evolve(table, foreign_keys=table.foreign_keys + (fk,))
        state = state.with_table(table)
    return state


# ---------------------------------------------------------------------------------------------
# States drawn from small pools of names, so that two draws share tables, columns and
# constraint names and differ in their details: what diff has to find.
# ---------------------------------------------------------------------------------------------

_SMALL_TABLES = ("a", "b", "c")
_SMALL_COLUMNS = ("id", "x", "y", "z")
_SMALL_ITEM_NAMES = ("k1", "k2", "k3", "k4", "k5", "k6")
_SMALL_TYPES = (
    TypeSpec("Integer"),
    TypeSpec.of("String", length=10),
    TypeSpec.of("String", length=20),
    TypeSpec("Text"),
    TypeSpec.of("Numeric", precision=10, scale=2),
    TypeSpec("Enum", ("p", "q"), (("name", "mood"),)),
)
_SMALL_DEFAULTS = (None, DefaultSpec("literal", "0"), DefaultSpec("text", "1"), DefaultSpec("func", "now"))
_SMALL_COMMENTS = (None, "one", 'it\'s "two"')


@st.composite
def small_states(draw: Draw) -> SchemaState:
    """Up to three tables named a, b, c with columns id, x, y, z in any order and any details."""
    pool = list(_SMALL_ITEM_NAMES)

    def item_name() -> str:
        name = draw(st.sampled_from(sorted(pool)))
        pool.remove(name)
        return name

    tables: list[TableSpec] = []
    for table_name in draw(st.lists(st.sampled_from(_SMALL_TABLES), unique=True, max_size=3)):
        names = draw(st.permutations(_SMALL_COLUMNS).flatmap(lambda p: st.integers(1, 4).map(lambda n: p[:n])))
        columns = [
            ColumnSpec(
                name, draw(st.sampled_from(_SMALL_TYPES)), nullable=draw(st.booleans()),
                server_default=draw(st.sampled_from(_SMALL_DEFAULTS)), comment=draw(st.sampled_from(_SMALL_COMMENTS)),
                autoincrement=draw(st.sampled_from(["auto", "auto", "auto", False])),
            )
            for name in names
        ]
        table = TableSpec(table_name, tuple(columns), comment=draw(st.sampled_from(_SMALL_COMMENTS)))
        if pool and draw(st.booleans()):
            key = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
            table = attrs.evolve(
                table,
                columns=tuple(attrs.evolve(c, nullable=False) if c.name in key else c for c in table.columns),
                primary_key=PrimaryKeySpec(item_name(), tuple(key)),
            )
        if pool and draw(st.booleans()):
            key = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
            table = attrs.evolve(table, uniques=(UniqueSpec(item_name(), tuple(key)),))
        if pool and draw(st.booleans()):
            text = draw(st.sampled_from(["1 = 1", f"{names[0]} IS NOT NULL", f'"{names[-1]}" <> 0']))
            table = attrs.evolve(table, checks=(CheckSpec(item_name(), text),))
        indexes = []
        for _ in range(draw(st.integers(0, 2))):
            if not pool:
                break
            elements = [IndexElement(c) for c in draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))]
            if draw(st.booleans()):
                elements.append(IndexElement(f"lower({names[0]})", expression=True))
            options = draw(st.sampled_from([(), (("postgresql_using", "btree"),)]))
            indexes.append(IndexSpec(item_name(), tuple(elements), unique=draw(st.booleans()), dialect_options=options))
        tables.append(attrs.evolve(table, indexes=tuple(indexes)))

    state = SchemaState()
    for table in tables:
        state = state.with_table(table)
    for table in tables:
        if not pool or not draw(st.booleans()):
            continue
        targets = [t for t in tables if t.primary_key is not None]
        if not targets:
            continue
        target = draw(st.sampled_from(targets))
        width = len(target.primary_key.columns)  # type: ignore[union-attr]
        if len(table.columns) < width:
            continue
        local = draw(st.permutations(table.column_names))[:width]
        fk = ForeignKeySpec(item_name(), tuple(local), target.name, target.primary_key.columns)  # type: ignore[union-attr]
        state = state.with_constraint(table.name, fk)
    return state
