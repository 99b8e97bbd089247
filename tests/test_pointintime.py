"""The schema at a point, from the ledger alone: schema, materialize, diff; DDL, JSON and Mermaid output.

``schema --at`` for every ledger position equals the fold up to it; an exported ledger gives
the same output with no database; the DDL runs on a fresh database of each dialect and
reflects to the same schema; the Mermaid output is checked against an erDiagram grammar.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings

from ledger.storage.archive import write_jsonl
from ledger.project.config import Config
from ledger.storage.db import create_engine, dialect_of
from ledger.schema.diff import diff
from ledger.format.events import Event
from ledger.project.points import state_at
from ledger.schema.reflect import compare, reflect
from ledger.schema.render import mermaid_entities, render_mermaid, state_from_json
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ops import SchemaState
from tests.builders import invoke, project
from tests.builders import events as ledger_events
from tests.strategies import schema_states


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, list[Event], Path]:
    """The shop on SQLite: applied, rolled back to 0004, applied again; and its exported ledger."""
    folder = tmp_path_factory.mktemp("shop")
    config = project(folder, f"sqlite:///{folder / 'shop.db'}")
    apply(config)
    rollback(config, to="0004")
    apply(config)
    events = ledger_events(config)
    exported = folder / "ledger.jsonl"
    with exported.open("w", encoding="utf-8") as out:
        write_jsonl(events, out)
    return config, events, exported


# A URL that cannot be reached: with --ledger FILE no database is opened.
NOWHERE = "postgresql://nobody@127.0.0.1:1/none"


# ---------------------------------------------------------------------------------------------
# schema --at
# ---------------------------------------------------------------------------------------------


def test_schema_at_every_position_is_the_fold_up_to_it(history: tuple[Config, list[Event], Path]) -> None:
    config, events, _ = history
    for event in events:
        code, out, err = invoke(config, "schema", "--at", f"@{event.seq}", "--format", "json")
        assert code == 0, err
        assert state_from_json(json.loads(out)) == state_at(events, event.seq), f"@{event.seq}"
    code, out, _ = invoke(config, "schema", "--format", "json", "--at", "base")
    assert json.loads(out)["tables"] == []
    # A revision names the end of its latest apply, even when it was rolled back since.
    code, out, _ = invoke(config, "schema", "--format", "json", "--at", "0005")
    end = max(e.seq for e in events if e.revision == "0005" and e.kind == "apply")
    assert state_from_json(json.loads(out)) == state_at(events, end)
    # A time names the last event recorded at or before it.
    code, out, _ = invoke(config, "schema", "--format", "json", "--at", events[9].recorded_at)
    assert state_from_json(json.loads(out)) == state_at(events, 10)
    code, _, err = invoke(config, "schema", "--at", "nope")
    assert code == 2 and "'nope' is not a revision" in err


def test_an_exported_ledger_needs_no_database(history: tuple[Config, list[Event], Path], tmp_path: Path) -> None:
    config, events, exported = history
    for fmt in ("ddl", "json", "mermaid"):
        from_db = invoke(config, "schema", "--at", "0006", "--format", fmt)
        from_file = invoke(config, "schema", "--at", "0006", "--format", fmt, "--ledger", str(exported), "--dialect",
                        "sqlite", url=NOWHERE)
        assert from_file[0] == 0, from_file[2]
        assert from_file[1] == invoke(config, "schema", "--at", "0006", "--format", fmt, "--dialect", "sqlite")[1]
        assert from_db[1] == from_file[1] or fmt != "mermaid"
    lines = exported.read_text().splitlines()
    row = json.loads(lines[3])
    row["message"] = "edited afterwards"
    (tmp_path / "edited.jsonl").write_text("\n".join(lines[:3] + [json.dumps(row)] + lines[4:]) + "\n")
    code, out, err = invoke(config, "schema", "--ledger", str(tmp_path / "edited.jsonl"), url=NOWHERE)
    assert code == 1 and out == ""
    assert "the hash chain does not verify: seq 4: hash does not match" in err


def test_ddl_runs_on_a_fresh_database_and_reflects_to_the_same_schema(
    history: tuple[Config, list[Event], Path], db_url: str
) -> None:
    config, events, exported = history
    engine = create_engine(db_url)
    dialect = "mariadb" if engine.dialect.name in ("mysql", "mariadb") else engine.dialect.name
    code, out, err = invoke(config, "schema", "--at", "0006", "--dialect", dialect, "--ledger", str(exported), url=NOWHERE)
    assert code == 0, err
    statements = [s for s in out.split(";\n\n") if s.strip()]
    assert statements and all(s.lstrip().startswith(("CREATE", "ALTER", "COMMENT")) for s in statements)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement, execution_options={"no_parameters": True})
    with engine.connect() as conn:
        live = reflect(conn)
    engine.dispose()
    expected = state_at(events, max(e.seq for e in events if e.revision == "0006"))
    assert compare(expected, live, dialect_of(db_url)) == []


# ---------------------------------------------------------------------------------------------
# Mermaid
# ---------------------------------------------------------------------------------------------

_ENTITY = re.compile(r'^    "(?P<name>[^"]+)" \{$')
_ATTRIBUTE = re.compile(r'^        (?P<type>[A-Za-z_][\w()\[\]-]*) (?P<name>[A-Za-z_]\w*)'
                        r'(?: (?P<keys>(?:PK|FK|UK)(?:, (?:PK|FK|UK))*))?(?: "(?P<comment>[^"]*)")?$')
_RELATION = re.compile(r'^    "(?P<parent>[^"]+)" (?P<left>\|\||\|o)--(?P<right>o\{|o\|) "(?P<child>[^"]+)" : "(?P<label>[^"]+)"$')


def parse_mermaid(text: str) -> tuple[dict[str, list[tuple[str, str, set[str]]]], list[tuple[str, str, str, str]]]:
    """Entities (name -> [(type, column, keys)]) and relationships, checking every line's syntax."""
    lines = text.splitlines()
    assert lines[0] == "erDiagram"
    entities: dict[str, list[tuple[str, str, set[str]]]] = {}
    relations = []
    current: str | None = None
    for line in lines[1:]:
        if current is not None:
            if line == "    }":
                current = None
                continue
            match = _ATTRIBUTE.match(line)
            assert match, f"not an attribute line: {line!r}"
            keys = set(match["keys"].split(", ")) if match["keys"] else set()
            entities[current].append((match["type"], match["name"], keys))
        elif (match := _ENTITY.match(line)) is not None:
            current = match["name"]
            assert current not in entities
            entities[current] = []
        else:
            match = _RELATION.match(line)
            assert match, f"not an entity or relationship line: {line!r}"
            assert match["parent"] in entities and match["child"] in entities
            relations.append((match["parent"], match["child"], match["left"], match["label"]))
    assert current is None, "an entity block is not closed"
    return entities, relations


def check_mermaid(state: SchemaState, text: str) -> None:
    entities, relations = parse_mermaid(text)
    names = mermaid_entities(state)  # full names, with what Mermaid cannot quote replaced
    assert set(entities) == set(names.values())
    for table in state.tables.values():
        attributes = entities[names[table.key]]
        assert len(attributes) == len(table.columns)
        pk = set(table.primary_key.columns) if table.primary_key else set()
        fk = {c for f in table.foreign_keys for c in f.columns}
        for column, (_type, name, keys) in zip(table.columns, attributes):
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", column.name) and column.name.lower() not in ("pk", "fk", "uk"):
                assert name == column.name
            assert ("PK" in keys) == (column.name in pk)
            assert ("FK" in keys) == (column.name in fk)
    expected = sorted(
        (names[(fk.referent_schema if fk.referent_schema is not None else t.schema, fk.referent_table)],
         names[t.key])
        for t in state.tables.values() for fk in t.foreign_keys
    )
    assert sorted((parent, child) for parent, child, _, _ in relations) == expected


def test_mermaid_of_the_shop_at_a_point(history: tuple[Config, list[Event], Path]) -> None:
    config, events, exported = history
    code, out, _ = invoke(config, "schema", "--at", "0004", "--format", "mermaid", "--ledger", str(exported), url=NOWHERE)
    assert code == 0
    state = state_at(events, max(e.seq for e in events if e.revision == "0004"))
    check_mermaid(state, out)
    entities, relations = parse_mermaid(out)
    assert ("INTEGER", "customer_id", {"PK", "FK"}) in entities["wishlist"]
    assert ("customers", "wishlist", "||", "customer_id") in relations


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(schema_states(max_tables=4))
def test_mermaid_structure_of_any_schema(state: SchemaState) -> None:
    check_mermaid(state, render_mermaid(state))


# ---------------------------------------------------------------------------------------------
# materialize, diff
# ---------------------------------------------------------------------------------------------


def test_materialize_a_past_schema(history: tuple[Config, list[Event], Path], db_url: str) -> None:
    config, events, exported = history
    code, out, err = invoke(config, "materialize", "--at", "0005", "--into", db_url, "--ledger", str(exported),
                         url=NOWHERE)
    assert code == 0, err
    assert out.startswith("created 5 tables")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        live = reflect(conn)
        assert not sa.inspect(conn).has_table("schema_ledger")
    engine.dispose()
    expected = state_at(events, max(e.seq for e in events if e.revision == "0005"))
    assert compare(expected, live, dialect_of(db_url)) == []
    code, _, err = invoke(config, "materialize", "--at", "0005", "--into", db_url, "--ledger", str(exported), url=NOWHERE)
    assert code == 1 and "is not empty (5 tables" in err


def test_diff_between_points(history: tuple[Config, list[Event], Path]) -> None:
    config, events, exported = history
    points = ["base"] + [f"000{n}" for n in range(1, 9)]
    ends = {"base": 0} | {p: max(e.seq for e in events if e.revision == p and e.kind == "apply") for p in points[1:]}
    for a in points:
        for b in points:
            ops = diff(state_at(events, ends[a]), state_at(events, ends[b]))
            assert SchemaState.fold(ops, start=state_at(events, ends[a])) == state_at(events, ends[b])
    code, out, _ = invoke(config, "diff", "0007", "0008", "--ledger", str(exported), url=NOWHERE)
    assert code == 0
    assert "drop table wishlist" in out.splitlines()
    assert "drop column orders.note" in out.splitlines()
    code, out, _ = invoke(config, "diff", "0008", "0008")
    assert out == "no differences\n"
    code, out, _ = invoke(config, "diff", "0007", "0008", "--format", "python")
    assert out.startswith("def upgrade(op):") or "def upgrade(op):" in out
    assert 'op.drop_table("wishlist")' in out
    code, out, _ = invoke(config, "diff", "base", "0001", "--format", "sql", "--dialect", "postgresql")
    assert out.startswith("CREATE TABLE customers (")
    buffer = io.StringIO(out)
    assert buffer.read().count(";\n") >= 2
