"""Rendering: DDL that runs on every database, JSON that reads back, Mermaid that parses, Python that records."""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
from collections.abc import Sequence
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import mysql, postgresql

from ledger.schema.diff import diff
from ledger.schema.reflect import compare, reflect
from ledger.schema.pysource import python_source, render_python
from ledger.schema.render import (
    RenderError,
    ddl_statements,
    render_ddl,
    render_json,
    render_mermaid,
    state_from_json,
    state_to_json,
)
from ops import (
    AddColumnOp,
    AlterColumnOp,
    ColumnSpec,
    CreateTableCommentOp,
    DefaultSpec,
    DropColumnOp,
    DropConstraintOp,
    DropIndexOp,
    DropTableCommentOp,
    DropTableOp,
    ExecuteSQLOp,
    LedgerFormatError,
    MigrateOperation,
    RenameTableOp,
    SchemaState,
    TypeSpec,
    record,
)
from tests import strategies

# ---------------------------------------------------------------------------------------------
# A schema with a bit of everything
# ---------------------------------------------------------------------------------------------


def rich_state(dialect: str = "sqlite", *, expression_index: bool = True) -> SchemaState:
    """Tables that reference each other, a self-reference, a composite key, names and comments
    with spaces, quotes and percent signs, server defaults of each kind, an enum, indexes."""
    md = sa.MetaData()
    sa.Table(
        "customer", md,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(120), nullable=False, comment="login, it's unique"),
        sa.Column("mood", sa.Enum("happy", "sad", name="mood"), server_default="happy"),
        sa.Column("discount", sa.Numeric(5, 2), server_default=sa.text("0"), comment="in %"),
        sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.text("true")),
        sa.Column("best_order_id", sa.Integer),
        sa.PrimaryKeyConstraint("id", name="pk_customer"),
        sa.UniqueConstraint("email", name="uq_customer_email"),
        sa.CheckConstraint("discount >= 0", name="ck_customer_discount"),
        sa.ForeignKeyConstraint(["best_order_id"], ["order.id"], name="fk_customer_best_order"),
        comment='Who buys: "customers" (100%)',
    )
    sa.Table(
        "order", md,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("note", sa.String(200), server_default="it's 50% off"),
        sa.PrimaryKeyConstraint("id", name="pk_order"),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], name="fk_order_customer", ondelete="CASCADE"),
        sa.Index("ix_order_customer_note", "customer_id", "note"),
    )
    sa.Table(
        "Order Line", md,
        sa.Column("order_id", sa.Integer, nullable=False),
        sa.Column("line no", sa.Integer, nullable=False),
        sa.Column("parent_line", sa.Integer),
        sa.Column("qty", sa.Integer, nullable=False, server_default="1"),
        sa.PrimaryKeyConstraint("order_id", "line no", name="pk_order_line"),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"], name="fk_order_line_order"),
        sa.ForeignKeyConstraint(["order_id", "parent_line"], ["Order Line.order_id", "Order Line.line no"],
                                name="fk_order_line_parent"),
        sa.Index("ix_order_line_qty", "qty", unique=True),
    )
    if expression_index:
        md.tables["customer"].append_constraint(sa.UniqueConstraint("mood", "email", name="uq_customer_mood"))
        sa.Index("ix_customer_lower_email", sa.text("lower(email)"), _table=md.tables["customer"])
    return SchemaState.from_metadata(md)


# ---------------------------------------------------------------------------------------------
# DDL
# ---------------------------------------------------------------------------------------------

_RENDER_AS = {"sqlite": "sqlite", "postgresql": "postgresql", "mariadb": "mysql"}


def _run(url: str, statements: Sequence[str]) -> None:
    """Run statements through the driver itself, as a person pasting the DDL would."""
    engine = sa.create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement in statements:
                cursor.execute(statement)
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()


def _reflected(url: str) -> SchemaState:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return reflect(conn)
    finally:
        engine.dispose()


def test_ddl_runs_on_a_fresh_database_and_reflects_to_the_same_schema(dialect: str, db_url: str) -> None:
    state = rich_state(expression_index=dialect != "mariadb")  # MariaDB has no expression indexes
    render_as = _RENDER_AS[dialect]
    statements = ddl_statements(state, render_as)
    text = render_ddl(state, render_as)
    assert text == "".join(f"{s};\n\n" for s in statements)
    _run(db_url, statements)

    live = _reflected(db_url)
    assert compare(state, live, render_as) == []
    engine = sa.create_engine(db_url)
    try:
        inspector = sa.inspect(engine)
        assert sorted(inspector.get_table_names()) == ["Order Line", "customer", "order"]
        for table in state.tables.values():
            assert [c["name"] for c in inspector.get_columns(table.name)] == list(table.column_names)
            assert inspector.get_pk_constraint(table.name)["constrained_columns"] == list(table.primary_key.columns)  # type: ignore[union-attr]
            fks = {tuple(fk["constrained_columns"]): fk["referred_table"] for fk in inspector.get_foreign_keys(table.name)}
            assert fks == {fk.columns: fk.referent_table for fk in table.foreign_keys}
            # (SQLAlchemy does not report SQLite's expression indexes; compare() read them above.)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", sa.exc.SAWarning)
                indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            assert {i.name for i in table.indexes if i.columns == tuple(e.value for e in i.elements)} <= indexes
    finally:
        engine.dispose()


def test_ddl_text_runs_as_one_script_on_sqlite() -> None:
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(rich_state(), "sqlite"))
    names = sorted(r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    assert names == ["Order Line", "customer", "order"]


def test_ddl_order_and_postgresql_extras() -> None:
    statements = ddl_statements(rich_state(), "postgresql")
    assert statements[0] == "CREATE TYPE mood AS ENUM ('happy', 'sad')"
    creates = [s.split("(")[0].strip() for s in statements if s.startswith("CREATE TABLE")]
    assert creates == ['CREATE TABLE customer', 'CREATE TABLE "order"', 'CREATE TABLE "Order Line"']
    # The cycle customer <-> order is closed by ALTERs after both tables exist.
    assert statements[-2].startswith("ALTER TABLE customer ADD CONSTRAINT fk_customer_best_order FOREIGN KEY")
    assert statements[-1].startswith('ALTER TABLE "order" ADD CONSTRAINT fk_order_customer FOREIGN KEY')
    assert "COMMENT ON TABLE customer IS 'Who buys: \"customers\" (100%)'" in statements
    assert "COMMENT ON COLUMN customer.discount IS 'in %'" in statements
    sqlite_text = render_ddl(rich_state(), "sqlite")
    assert "ALTER TABLE" not in sqlite_text and "COMMENT" not in sqlite_text
    assert "COMMENT 'in %'" in render_ddl(rich_state(), "mysql")


def test_ddl_of_an_empty_state_is_empty() -> None:
    assert render_ddl(SchemaState(), "postgresql") == ""


def test_ddl_refuses_an_unknown_dialect() -> None:
    with pytest.raises(RenderError, match="oracle"):
        render_ddl(rich_state(), "oracle")


@given(strategies.small_states())
def test_ddl_of_random_states_runs_on_sqlite(state: SchemaState) -> None:
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(state, "sqlite"))
    engine = sa.create_engine("sqlite://", creator=lambda: connection)
    with engine.connect() as conn:
        assert compare(state, reflect(conn), "sqlite") == []


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def check_json(state: SchemaState) -> None:
    text = render_json(state)
    assert state_from_json(json.loads(text)) == state
    assert state_from_json(state_to_json(state)) == state
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_json_is_read_under_the_name_rule_of_its_database() -> None:
    """MariaDB keeps an index's name per table: a schema document of a MariaDB database (baseline.json)
    with an index named alike on two tables reads back under its rule, and is refused under the
    strictest one (names per schema)."""
    from ledger import dialects
    from ops.keyspecs import IndexElement
    from ops.specs import IndexSpec, PrimaryKeySpec, TableSpec

    state = dialects.empty_state("mysql")
    for name in ("ab_permission", "ab_view_menu"):
        state = state.with_table(TableSpec(
            name, columns=(ColumnSpec("id", TypeSpec("Integer"), nullable=False), ColumnSpec("name", TypeSpec("String", (50,)))),
            primary_key=PrimaryKeySpec("PRIMARY", ("id",)), indexes=(IndexSpec("name", (IndexElement("name"),), unique=True),)))
    assert state_from_json(state_to_json(state), dialects.empty_state("mysql")) == state
    with pytest.raises(LedgerFormatError, match="on ab_view_menu is already used"):
        state_from_json(state_to_json(state))


@given(strategies.small_states())
def test_json_round_trip(state: SchemaState) -> None:
    check_json(state)


def test_json_of_a_rich_state() -> None:
    state = rich_state()
    check_json(state)
    data = state_to_json(state)
    assert data["format"] == "schema-ledger/schema" and data["version"] == 1
    assert [t["name"] for t in data["tables"]] == ["Order Line", "customer", "order"]
    customer = data["tables"][1]
    assert customer["columns"][1] == {
        "name": "email", "type": {"name": "String", "args": [], "kwargs": {"length": 120}}, "nullable": False,
        "server_default": None, "comment": "login, it's unique", "autoincrement": "auto", "identity": None,
        "computed": None,
    }
    assert customer["primary_key"] == {"name": "pk_customer", "columns": ["id"]}


def test_json_text_does_not_depend_on_how_the_state_was_built() -> None:
    state = rich_state()
    shuffled = SchemaState(dict(reversed(list(state.tables.items()))))
    assert shuffled == state
    assert render_json(shuffled) == render_json(state)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something else"), "not a schema document"),
        (lambda d: d.update(version=99), "version"),
        (lambda d: d["tables"][0]["columns"][0]["type"].update(name="os.system"), "unknown column type"),
        (lambda d: d["tables"][0]["columns"][0].update(nullable="no"), "table #1"),
        (lambda d: d["tables"].pop(2), "missing table"),
    ],
)
def test_json_refuses_malformed_documents(change: Any, message: str) -> None:
    data = state_to_json(rich_state())
    change(data)
    with pytest.raises(LedgerFormatError, match=message):
        state_from_json(data)


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------

_ENTITY = r'"([^"%\\\r\n]+)"'
_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
_KEY = r"(?:PK|FK|UK)"
_ENTITY_OPEN = re.compile(rf"^    {_ENTITY} \{{$")
_ATTRIBUTE = re.compile(
    rf'^        (?P<type>[A-Za-z_][A-Za-z0-9_()\[\]]*) (?P<name>{_WORD})'
    rf'(?: (?P<keys>{_KEY}(?:, {_KEY})*))?(?: "(?P<comment>[^"\n]*)")?$'
)
_RELATIONSHIP = re.compile(
    rf'^    {_ENTITY} (?P<left>\|\||\|o|\}}o|\}}\|)(?:--|\.\.)(?P<right>\|\||o\||o\{{|\|\{{) {_ENTITY} : "([^"\n]*)"$'
)


def parse_mermaid(text: str) -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, str, str, str]]]:
    """Entities (name -> attributes) and relationships (parent, child, left, right) of an ER diagram,
    checked against the conservative subset of Mermaid's erDiagram grammar that the renderer writes."""
    lines = text.splitlines()
    assert lines[0] == "erDiagram"
    entities: dict[str, list[dict[str, Any]]] = {}
    relationships = []
    current: list[dict[str, Any]] | None = None
    for line in lines[1:]:
        assert line.count('"') % 2 == 0, line
        if current is not None:
            if line == "    }":
                current = None
                continue
            match = _ATTRIBUTE.match(line)
            assert match, f"not an attribute line: {line!r}"
            assert match["name"].upper() not in {"PK", "FK", "UK"}, line
            current.append({"name": match["name"], "type": match["type"],
                            "keys": (match["keys"] or "").split(", ") if match["keys"] else [],
                            "comment": match["comment"]})
            continue
        match = _ENTITY_OPEN.match(line)
        if match:
            assert match[1] not in entities, f"entity {match[1]} twice"
            current = entities[match[1]] = []
            continue
        match = _RELATIONSHIP.match(line)
        assert match, f"not a relationship line: {line!r}"
        relationships.append((match[1], match[4], match["left"], match["right"]))
    assert current is None, "unclosed entity block"
    for parent, child, _, _ in relationships:
        assert parent in entities and child in entities
    return entities, relationships


def check_mermaid(state: SchemaState) -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, str, str, str]]]:
    text = render_mermaid(state)
    entities, relationships = parse_mermaid(text)
    tables = sorted(state.tables.values(), key=lambda t: (t.schema or "", t.name))
    assert len(entities) == len(tables)
    for table, (name, attributes) in zip(tables, entities.items()):
        assert len(attributes) == len(table.columns), name
        assert len({a["name"] for a in attributes}) == len(attributes)
        for column, attribute in zip(table.columns, attributes):
            in_pk = table.primary_key is not None and column.name in table.primary_key.columns
            assert ("PK" in attribute["keys"]) == in_pk
            assert ("FK" in attribute["keys"]) == any(column.name in fk.columns for fk in table.foreign_keys)
    assert len(relationships) == sum(len(t.foreign_keys) for t in tables)
    return entities, relationships


@given(strategies.small_states())
def test_mermaid_of_random_states_parses(state: SchemaState) -> None:
    check_mermaid(state)


def test_mermaid_of_a_rich_state() -> None:
    entities, relationships = check_mermaid(rich_state())
    assert list(entities) == ["Order Line", "customer", "order"]
    customer = {a["name"]: a for a in entities["customer"]}
    assert customer["id"]["type"] == "INTEGER" and customer["id"]["keys"] == ["PK"]
    assert customer["email"]["keys"] == ["UK"] and customer["email"]["comment"] == "login, it's unique"
    assert customer["discount"]["type"] == "NUMERIC(5_2)" and customer["discount"]["comment"] == "in ％"
    assert customer["mood"]["type"] == "ENUM(mood)"
    line = {a["name"]: a for a in entities["Order Line"]}
    assert line["line_no"]["comment"] == "column line no"
    assert line["order_id"]["keys"] == ["PK", "FK"]
    assert ("order", "Order Line", "||", "o{") in relationships
    assert ("Order Line", "Order Line", "|o", "o{") in relationships
    assert ("order", "customer", "|o", "o{") in relationships


def test_mermaid_makes_awkward_names_safe() -> None:
    md = sa.MetaData()
    sa.Table('we"ird %name\\', md, sa.Column("pk", sa.Integer, primary_key=True),
             sa.Column("a b", sa.Integer), sa.Column("a_b", sa.Integer), sa.Column("çà", sa.Integer),
             sa.Column("1st", sa.Integer, comment='say "hi"\nnext line'))
    sa.Table("one", md, sa.Column("to", sa.Integer, sa.ForeignKey('we"ird %name\\.pk'), unique=True))
    sa.Table("u-x", md, sa.Column("uk", sa.Integer))
    entities, relationships = check_mermaid(SchemaState.from_metadata(md))
    weird = next(name for name in entities if name.startswith("we"))
    names = [a["name"] for a in entities[weird]]
    assert names == ["pk_", "a_b", "a_b_2", "__", "_1st"]
    assert entities[weird][4]["comment"] == "column 1st; say 'hi' next line"
    assert relationships == [(weird, "one", "|o", "o|")]


def test_mermaid_types_for_a_dialect() -> None:
    state = SchemaState.from_metadata(_metadata(sa.Column("at", sa.DateTime(timezone=True)),
                                                sa.Column("tags", postgresql.ARRAY(sa.String(20)))))
    entities, _ = parse_mermaid(render_mermaid(state, "postgresql"))
    assert [a["type"] for a in entities["t"]] == ["TIMESTAMP_WITH_TIME_ZONE", "VARCHAR(20)[]"]
    entities, _ = parse_mermaid(render_mermaid(state))
    assert [a["type"] for a in entities["t"]] == ["DATETIME", "VARCHAR(20)[]"]


def test_mermaid_of_an_empty_state() -> None:
    assert render_mermaid(SchemaState()) == "erDiagram\n"


def _metadata(*columns: sa.Column[Any]) -> sa.MetaData:
    md = sa.MetaData()
    sa.Table("t", md, *columns)
    return md


# ---------------------------------------------------------------------------------------------
# Python
# ---------------------------------------------------------------------------------------------


def check_python(start: SchemaState, ops: Sequence[MigrateOperation]) -> str:
    """Executing the rendered source and recording ``upgrade`` gives ops that fold to the same state
    and, completed, equal the originals completed."""
    source = render_python(ops)
    namespace: dict[str, Any] = {}
    exec(compile(source, "<rendered>", "exec"), namespace)  # noqa: S102 - the code under test
    recorded = record(namespace["upgrade"])
    assert SchemaState.fold(recorded, start=start) == SchemaState.fold(ops, start=start)
    state = start
    completed_recorded, completed_original = [], []
    for original, again in zip(ops, recorded, strict=True):
        completed_original.append(original.complete(state))
        completed_recorded.append(again.complete(state))
        state = original.apply(state)
    assert completed_recorded == completed_original
    return source


@given(strategies.small_states(), strategies.small_states())
def test_python_of_a_diff_records_the_same_ops(source: SchemaState, target: SchemaState) -> None:
    check_python(source, diff(source, target))


def test_python_of_a_rich_schema() -> None:
    state = rich_state()
    source = check_python(SchemaState(), diff(SchemaState(), state))
    assert source.startswith("import sqlalchemy as sa\n\n\ndef upgrade(op):\n    op.create_table(\n")
    assert '        sa.Column("id", sa.Integer(), nullable=False),\n' in source
    assert 'sa.Column("created_at", sa.DateTime(), nullable=True, server_default=sa.func.now())' in source
    assert 'sa.Enum("happy", "sad", name="mood")' in source
    assert 'sa.PrimaryKeyConstraint("order_id", "line no", name="pk_order_line")' in source
    assert 'sa.Index("ix_customer_lower_email", sa.text("lower(email)"))' in source
    assert 'op.create_foreign_key("fk_customer_best_order", "customer", "order", ["best_order_id"], ["id"])' in source
    assert "postgresql" not in source
    check_python(state, diff(state, SchemaState()))


def test_python_keeps_types_defaults_comments_and_index_options() -> None:
    start = SchemaState()

    def upgrade(op: Any) -> None:
        op.create_table(
            "t",
            sa.Column("id", sa.BigInteger, sa.Identity(start=10, increment=5), nullable=False),
            sa.Column("tags", postgresql.ARRAY(sa.String(20)), comment="çà \"quoted\"\nand 'more'"),
            sa.Column("doc", postgresql.JSONB(none_as_null=True)),
            sa.Column("n", mysql.INTEGER(unsigned=True), server_default=sa.text("0")),
            sa.Column("kind", sa.Enum("a", "b", name="kind", native_enum=False), server_default="a"),
            sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp()),
            sa.Column("twice", sa.Integer, sa.Computed("n * 2", persisted=True)),
            sa.Column("flag", sa.Boolean, autoincrement=False),
            sa.PrimaryKeyConstraint("id", name="pk_t"),
            schema="app",
            comment="a\ttable",
        )
        op.create_table("u", sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("t_id", sa.BigInteger), schema="other")
        op.create_index("ix_t_tags", "t", ["tags"], schema="app", postgresql_using="gin")
        op.create_index("ix_t_kind", "t", ["kind", sa.text("lower(doc::text)")], unique=True, schema="app",
                        postgresql_where=sa.text("n > 0"), postgresql_include=["at"],
                        postgresql_ops={"kind": "text_pattern_ops"}, mysql_length={"kind": 10})
        op.create_unique_constraint("uq_t_n", "t", ["n"], schema="app", deferrable=True, initially="DEFERRED")
        op.create_check_constraint("ck_t_n", "t", "n >= 0", schema="app")
        op.create_foreign_key("fk_u_t", "u", "t", ["t_id"], ["id"], source_schema="other", referent_schema="app",
                              ondelete="SET NULL", onupdate="cascade", deferrable=False, match="FULL")
        op.add_column("t", sa.Column("extra", sa.Numeric(10, 3), nullable=False, server_default="1.5"), schema="app")
        op.alter_column("t", "extra", schema="app", type_=sa.Float(), nullable=True, server_default=None,
                        comment="now a float", new_column_name="extra2")
        op.alter_column("t", "kind", schema="app", server_default=sa.text("'b'"), comment=None)
        op.create_table_comment("t", "it's a table", schema="app")
        op.drop_table_comment("u", schema="other")
        op.execute("UPDATE app.t SET n = 1 WHERE n = 0 -- 100%", reverse_sql="SELECT 'undo'")
        op.execute("VACUUM")
        op.drop_constraint("fk_u_t", "u", type_="foreignkey", schema="other")
        op.drop_index("ix_t_kind", table_name="t", schema="app")
        op.drop_column("t", "twice", schema="app")
        op.rename_table("u", "u2", schema="other")
        op.drop_table("u2", schema="other")

    ops = record(upgrade)
    source = check_python(start, ops)
    assert "from sqlalchemy.dialects import mysql\nfrom sqlalchemy.dialects import postgresql\n" in source
    assert "sa.Identity(start=10, increment=5)" in source
    assert 'sa.Computed("n * 2", persisted=True)' in source
    assert 'postgresql_where=sa.text("n > 0")' in source and 'mysql_length={"kind": 10}' in source
    assert "existing_type" not in source  # the recorded ops were not completed; nothing is made up

    # Completed, every alter_column carries its existing_* values and records back the same.
    state = start
    completed = []
    for op in ops:
        op = op.complete(state)
        state = op.apply(state)
        completed.append(op)
    source = check_python(start, completed)
    assert 'existing_type=sa.Numeric(precision=10, scale=3), existing_nullable=False' in source.replace("\n", " ").replace("  ", "")


def test_python_of_single_ops() -> None:
    column = ColumnSpec("c", TypeSpec.of("String", length=5), server_default=DefaultSpec("literal", "x"))
    cases: list[tuple[MigrateOperation, str]] = [
        (DropTableOp("t"), 'op.drop_table("t")'),
        (RenameTableOp("a", "b", schema="s"), 'op.rename_table("a", "b", schema="s")'),
        (DropColumnOp("t", "c"), 'op.drop_column("t", "c")'),
        (AddColumnOp("t", column, schema="s", insert_before="x"),
         'with op.batch_alter_table("t", schema="s") as batch_op:\n'
         '        batch_op.add_column(\n'
         '            sa.Column("c", sa.String(length=5), nullable=True, server_default="x"),\n'
         '            insert_before="x",\n'
         '        )'),
        (DropIndexOp("ix", "t"), 'op.drop_index("ix", table_name="t")'),
        (DropConstraintOp("uq", "t", type_="unique"), 'op.drop_constraint("uq", "t", type_="unique")'),
        (CreateTableCommentOp("t", "c", existing_comment=None), 'op.create_table_comment("t", "c", existing_comment=None)'),
        (DropTableCommentOp("t", existing_comment="old"), 'op.drop_table_comment("t", existing_comment="old")'),
        (ExecuteSQLOp("SELECT 1", reverse_sql="SELECT 2"), 'op.execute("SELECT 1", reverse_sql="SELECT 2")'),
        (AlterColumnOp("t", "c", modify_nullable=False, existing_type=column.type, existing_server_default=None,
                       existing_nullable=True, existing_comment=None),
         # Too long for one line: one argument per line.
         'op.alter_column(\n        "t",\n        "c",\n        nullable=False,\n'
         '        existing_type=sa.String(length=5),\n        existing_nullable=True,\n'
         '        existing_server_default=None,\n        existing_comment=None,\n    )'),
    ]
    for op, expected in cases:
        source = python_source([op])
        assert source.body == f"    {expected}\n", op
        namespace: dict[str, Any] = {}
        exec(compile(render_python([op]), "<rendered>", "exec"), namespace)  # noqa: S102
        assert record(namespace["upgrade"]) == [op]


def test_python_of_no_ops_is_pass() -> None:
    assert render_python([]) == "def upgrade(op):\n    pass\n"


def test_python_refuses_an_op_it_cannot_write() -> None:
    class Unknown(MigrateOperation):
        pass

    with pytest.raises(RenderError, match="Unknown"):
        render_python([Unknown()])


@given(st.data())
def test_python_of_random_histories(data: st.DataObject) -> None:
    start, steps = data.draw(strategies.histories(irreversible=True))
    check_python(start, steps)


@given(st.data())
def test_json_and_mermaid_of_shared_random_states(data: st.DataObject) -> None:
    state = data.draw(strategies.schema_states())
    check_json(state)
    check_mermaid(state)
    for dialect in ("sqlite", "postgresql", "mysql"):
        try:
            render_ddl(state, dialect)
        except RenderError as exc:  # a dialect's own type asked for elsewhere, ...
            assert f"cannot write the schema as {dialect} DDL" in str(exc)


@given(strategies.schema_states(portable=True))
def test_ddl_of_portable_random_states_runs_on_sqlite(state: SchemaState) -> None:
    """Names of every kind survive quoting: each table, column, key and index is there by name.
    (The exact comparison, types and all, is the rich-state test above, on every database.)"""
    connection = sqlite3.connect(":memory:")
    connection.executescript(render_ddl(state, "sqlite"))
    engine = sa.create_engine("sqlite://", creator=lambda: connection)
    inspector = sa.inspect(engine)
    assert sorted(inspector.get_table_names()) == sorted(t.name for t in state.tables.values())
    for table in state.tables.values():
        assert [c["name"] for c in inspector.get_columns(table.name)] == list(table.column_names)
        pk = inspector.get_pk_constraint(table.name)["constrained_columns"]
        assert pk == (list(table.primary_key.columns) if table.primary_key else [])
        fks = sorted((tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in inspector.get_foreign_keys(table.name))
        assert fks == sorted((fk.columns, fk.referent_table) for fk in table.foreign_keys)
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                                                   (table.name,))}
        assert {i.name for i in table.indexes} <= names
