"""Hostile input: awkward names, crafted ledger payloads, migration files that misbehave.

- Identifiers with reserved words, mixed case, quotes, spaces, semicolons, non-ASCII, and
  names exactly at each database's length limit go through apply, a SQLite table rebuild
  (which keeps a trigger), status, log, blame, verify --live and a rollback to base; a
  hostile ledger table name too. One past the limit (or otherwise impossible) is refused
  with one line before anything runs: no table, not even the ledger, is created.
- Ledger rows whose payload names a type outside the allow-list, nests deeply, or is huge:
  every command that reads it says LedgerFormatError with the seq; no module is imported,
  nothing runs.
- Migration files whose upgrade() asks for the database, loops, or imports something
  missing: one line, exit 2, the database untouched.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.format.codec import MAX_PAYLOAD_BYTES, encode
from ledger.project.config import Config
from ledger.storage.db import create_engine
from ledger.format.events import Actor, Event, chain_hash
from ledger.storage.session import store_for
from ops import CreateTableOp, SchemaState
from ops.specs import ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec
from tests.builders import cli, events
from tests.examples import examples
from tests.reliability import DEEP, live_matches, make_project

# Per family: characters reflection reads back as written (see tests/test_ddl_names.py: SQLite
# does not undo doubled quotes in constraint and column names, MySQL's parser loses a column
# whose name holds a backtick).
QUOTE = {"sqlite": "'", "postgresql": "\"'`", "mysql": "\"'"}
#: the longest name each database keeps as written
LONGEST = {"sqlite": 300, "postgresql": 63, "mysql": 64}


def _family(dialect: str) -> str:
    return "mysql" if dialect == "mariadb" else dialect


def at_limit(dialect: str, start: str) -> str:
    """A name of ``start`` padded to the limit: bytes on PostgreSQL (two per 'é'), characters elsewhere."""
    family = _family(dialect)
    if family == "postgresql":
        name = start + "é" * ((63 - len(start.encode())) // 2)
        return name + "x" * (63 - len(name.encode()))
    return (start + "é" * LONGEST[family])[: LONGEST[family]]


def hostile_names(dialect: str) -> dict[str, str]:
    q = QUOTE[_family(dialect)]
    return {
        "table": f"Order {q[0]}Lines{q[0]}; DROP TABLE x; --",
        "parent": "select",
        "col": "Mixed Case",
        "col2": "it's;--",
        "col3": "naïve 名前",
        "ix": "ix Weird;name",
        "uq": "UNIQUE",
        "ck": "check",
        "fk": "references",
        "renamed": f"Ünïcödé {q[-1]}renamed{q[-1]}",
        "added": "from",
        "long_table": at_limit(dialect, "T"),
        "long_col": at_limit(dialect, "c"),
        "long_ix": at_limit(dialect, "i"),
        "moved": "Table",
    }


def hostile_project(dialect: str) -> dict[str, tuple[str | None, str]]:
    n = hostile_names(dialect)
    r = {k: repr(v) for k, v in n.items()}
    revisions: dict[str, tuple[str | None, str]] = {
        "h1": (None, f"""
            op.create_table({r['parent']}, sa.Column("id", sa.Integer, primary_key=True))
            op.create_table({r['table']}, sa.Column("id", sa.Integer, primary_key=True),
                            sa.Column({r['col']}, sa.String(40)), sa.Column({r['col2']}, sa.Integer),
                            sa.Column({r['col3']}, sa.String(20), server_default="d'x;y"),
                            sa.Column("parent_id", sa.Integer),
                            sa.UniqueConstraint({r['col2']}, name={r['uq']}),
                            sa.CheckConstraint("parent_id > 0", name={r['ck']}),
                            sa.ForeignKeyConstraint(["parent_id"], [{r['parent']} + ".id"], name={r['fk']}))
            op.create_index({r['ix']}, {r['table']}, [{r['col']}])
            op.create_table({r['long_table']}, sa.Column({r['long_col']}, sa.Integer),
                            sa.PrimaryKeyConstraint({r['long_col']}, name="pk_long"))
            op.create_index({r['long_ix']}, {r['long_table']}, [{r['long_col']}])
        """),
        "h2": ("h1", f"""
            op.add_column({r['table']}, sa.Column({r['added']}, sa.String(10), nullable=True))
            op.alter_column({r['table']}, {r['col']}, new_column_name={r['renamed']}, existing_type=sa.String(40))
        """),
        "h3": ("h2", f"""
            with op.batch_alter_table({r['table']}) as batch_op:
                batch_op.drop_column({r['col3']})
                batch_op.alter_column({r['col2']}, existing_type=sa.Integer, nullable=False)
        """),
        "h4": ("h3", f"""
            op.drop_index({r['ix']}, {r['table']})
            op.rename_table({r['table']}, {r['moved']})
        """),
    }
    if _family(dialect) == "sqlite":
        # A trigger on the table must survive its rebuild in h3 (created and dropped with quoted names).
        trigger = '"trg ' + n["table"].replace('"', '""') + '"'
        table = '"' + n["table"].replace('"', '""') + '"'
        body = f"CREATE TRIGGER {trigger} AFTER INSERT ON {table} BEGIN SELECT 1; END"
        parent, text = revisions["h1"]
        revisions["h1"] = (parent, text + f"    op.execute({body!r}, reverse_sql={('DROP TRIGGER ' + trigger)!r})\n")
    return revisions


def _sqlite_triggers(config: Config) -> list[str]:
    engine = create_engine(config.url)
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    finally:
        engine.dispose()


def _ok(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return result


def test_hostile_names_survive_apply_rebuild_ledger_and_rollback(db_url: str, tmp_path: Path) -> None:
    dialect = _family(sa.make_url(db_url).get_backend_name())
    names = hostile_names(dialect)
    config = make_project(tmp_path, db_url, hostile_project(dialect))
    _ok(cli(config, "apply", "-q"))
    _ok(cli(config, "verify", "--live"))
    assert json.loads(_ok(cli(config, "status", "--json")).stdout)["problems"] == []
    if dialect == "sqlite":
        assert any(name.startswith("trg ") for name in _sqlite_triggers(config)), "the rebuild lost the trigger"
    # The ledger keeps the names as written.
    recorded = events(config)
    assert {names["table"], names["long_table"]} <= {e.table_name for e in recorded}
    blame = _ok(cli(config, "blame", f"{names['moved']}.{names['renamed']}"))
    assert names["col"] in blame.stdout
    _ok(cli(config, "log"))
    _ok(cli(config, "rollback", "-q", "--to", "base"))
    assert live_matches(config, SchemaState()) == []
    _ok(cli(config, "verify", "--live"))
    _ok(cli(config, "apply", "-q"))
    _ok(cli(config, "verify", "--live"))


def test_hostile_ledger_table_name(db_url: str, tmp_path: Path) -> None:
    config = make_project(tmp_path, db_url)
    name = "audit 'log'; x"
    (tmp_path / "schema-ledger.toml").write_text(f'migrations = "migrations"\nledger_table = {json.dumps(name)}\n')
    config = Config(project_dir=tmp_path, url=db_url, migrations=Path("migrations"), ledger_table=name,
                    source=tmp_path / "schema-ledger.toml")
    _ok(cli(config, "apply", "-q"))
    _ok(cli(config, "verify", "--live"))
    engine = create_engine(db_url)
    try:
        assert sa.inspect(engine).has_table(name)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(sa.update(store_for(config).table).values(message="edited"))
    finally:
        engine.dispose()
    _ok(cli(config, "rollback", "-q", "--to", "base"))
    _ok(cli(config, "verify", "--live"))


def past_limit(dialect: str) -> list[tuple[str, str, str]]:
    """(what, name, words of the error) that ``dialect`` cannot hold as written."""
    family = _family(dialect)
    # An empty column name is refused by SQLAlchemy while the file loads.
    cases = [("table", "nul\x00byte", "NUL"), ("column", "", "non-blank name")]
    if family == "postgresql":
        cases += [("table", "x" * 64, "64 bytes"), ("column", "é" * 32, "64 bytes"), ("index", "i" * 64, "at most 63")]
    elif family == "mysql":
        cases += [("table", "é" * 65, "65 characters"), ("column", "c" * 65, "at most 64"),
                  ("index", "i" * 65, "at most 64"), ("column", "trailing ", "ends with a space"),
                  ("table", "emoji \U0001F600", "U+1F600")]
    else:
        cases += [("table", "sqlite_mine", "reserves"), ("index", "SQLITE_ix", "reserves")]
    return cases


def _one_line(result: Any, code: int, *needles: str) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schema-ledger: error: "), result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def _untouched(config: Config) -> None:
    engine = create_engine(config.url)
    try:
        assert sa.inspect(engine).get_table_names() == [], "something was created"
    finally:
        engine.dispose()


def test_names_past_the_limit_are_refused_before_anything_runs(db_url: str, tmp_path: Path) -> None:
    dialect = _family(sa.make_url(db_url).get_backend_name())
    for i, (what, name, words) in enumerate(past_limit(dialect)):
        body = {
            "table": f'op.create_table({name!r}, sa.Column("id", sa.Integer, primary_key=True))',
            "column": f'op.create_table("t{i}", sa.Column("id", sa.Integer, primary_key=True), sa.Column({name!r}, sa.Integer))',
            "index": f'op.create_table("t{i}", sa.Column("id", sa.Integer, primary_key=True))\n'
                     f'op.create_index({name!r}, "t{i}", ["id"])',
        }[what]
        # The bad revision comes after a good one: the good one must not run either.
        revisions = {"ok": (None, 'op.create_table("fine", sa.Column("id", sa.Integer, primary_key=True))'),
                     "bad": ("ok", body)}
        config = make_project(tmp_path / f"p{i}", db_url, revisions)
        line = _one_line(cli(config, "apply", "-q"), 2, "bad", words)
        assert what in line or name == ""
        _untouched(config)


_NAME_CHARS = st.characters(codec="utf-8", exclude_characters="\x00\"`$", exclude_categories=("Cs", "Cc"))


@settings(max_examples=examples(30) if DEEP else 4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.one_of(st.text(_NAME_CHARS, min_size=1, max_size=70),
                      st.sampled_from(["select", "Order", "group by", "a;b", "'; --", "ÉTÉ"])))
def test_any_table_name_is_applied_and_rolled_back_or_refused(db_url: str, tmp_path_factory: pytest.TempPathFactory,
                                                               name: str) -> None:
    dialect = _family(sa.make_url(db_url).get_backend_name())
    if dialect == "mysql":
        name = name.replace("'", "")  or "q"  # keeps MariaDB's reflection of defaults out of the way
    folder = tmp_path_factory.mktemp("any")
    body = f'op.create_table({name!r}, sa.Column("id", sa.Integer, primary_key=True), sa.Column("v", sa.String(5)))\n' \
           f'op.add_column({name!r}, sa.Column("w", sa.Integer))'
    config = make_project(folder, db_url, {"a": (None, body)})
    result = cli(config, "apply", "-q")
    if result.exit_code == 2:
        _one_line(result, 2, "revision a", "name")
        _untouched(config)
        return
    _ok(result)
    try:
        _ok(cli(config, "verify", "--live"))
    finally:
        _ok(cli(config, "rollback", "-q", "--to", "base"))
    assert live_matches(config, SchemaState()) == []
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            store_for(config).table.drop(conn)  # the next example starts from an empty database
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------------
# Crafted ledger payloads
# ---------------------------------------------------------------------------------------------

EVIL_MODULE = "sl_evil_probe"


def _table_payload(type_name: str) -> str:
    op = CreateTableOp(TableSpec("victim", (ColumnSpec("id", TypeSpec("Integer"), nullable=False),), primary_key=PrimaryKeySpec("pk_victim", ("id",))))
    text = encode(op).decode()
    assert '"name":"Integer"' in text
    return text.replace('"name":"Integer"', json.dumps({"name": type_name}, separators=(",", ":"))[1:-1])


def _nested_types(depth: int) -> str:
    inner = '{"args":[],"kwargs":{},"name":"Integer"}'
    for _ in range(depth):
        inner = '{"args":[{"type":' + inner + '}],"kwargs":{},"name":"ARRAY"}'
    return _table_payload("Integer").replace('{"args":[],"kwargs":{},"name":"Integer"}', inner)


PAYLOADS = {
    "module outside the allow-list": lambda: _table_payload(f"{EVIL_MODULE}.Evil"),
    "colon path": lambda: _table_payload(f"{EVIL_MODULE}:Evil"),
    "os.system": lambda: _table_payload("os.system"),
    "nested types": lambda: _nested_types(40),
    "nested JSON": lambda: "[" * 200_000 + "]" * 200_000,
    "huge string": lambda: _table_payload("Integer").replace('"victim"', json.dumps("v" * (MAX_PAYLOAD_BYTES + 10))),
}


@pytest.fixture
def evil_module(tmp_path: Path) -> Path:
    """A module that leaves a mark when imported, on sys.path."""
    folder = tmp_path / "evil"
    folder.mkdir()
    mark = tmp_path / "imported.txt"
    (folder / f"{EVIL_MODULE}.py").write_text(textwrap.dedent(f"""
        from pathlib import Path
        Path({str(mark)!r}).write_text("imported")
        class Evil:
            def __init__(self, *a, **k):
                Path({str(mark)!r}).write_text("called")
    """))
    sys.path.insert(0, str(folder))
    yield mark
    sys.path.remove(str(folder))
    sys.modules.pop(EVIL_MODULE, None)


def _plant(config: Config, payload: str) -> int:
    """Append an event whose hash chain is right and whose payload is ``payload``; its seq."""
    store = store_for(config)
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            head = store.head(conn)
            event = Event.create(seq=head.seq + 1, prev_hash=head.hash, kind="apply", op=None, revision="r9",
                                 message="planted", actor=Actor("mallory", None, "h", "0"), payload=payload)
            # It claims to be a create_table, and is hashed as such: only the payload is wrong.
            draft = attrs.evolve(event, op_type="create_table", table_name="victim", payload_version=1)
            event = attrs.evolve(draft, hash=chain_hash(draft.prev_hash, draft.body()))
            conn.execute(store.table.insert().values(**event.to_row()))
            return event.seq
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_crafted_payloads_are_refused_naming_the_seq(db_url: str, tmp_path: Path, evil_module: Path, kind: str) -> None:
    config = make_project(tmp_path / "p", db_url)
    _ok(cli(config, "apply", "-q", "--to", "r2"))
    seq = _plant(config, PAYLOADS[kind]())
    before = events(config)
    live_before = live_matches(config, SchemaState())

    verified = cli(config, "verify")
    assert verified.exit_code == 1 and f"seq {seq}" in verified.stdout, verified.output
    for args in (("apply", "-q"), ("rollback", "-q", "--to", "base"), ("schema", "--dialect", "sqlite")):
        result = cli(config, *args)
        line = _one_line(result, 1, f"seq {seq}")
        assert "payload" in line, line
    _ok(cli(config, "log"))  # shown as unreadable, not a crash
    assert not evil_module.exists(), "a payload imported or ran code"
    assert EVIL_MODULE not in sys.modules
    assert events(config) == before
    assert live_matches(config, SchemaState()) == live_before


# ---------------------------------------------------------------------------------------------
# Migration files that misbehave
# ---------------------------------------------------------------------------------------------

FILES = {
    "asks for the database": ("conn = op.get_bind()\nconn.execute(sa.text('DROP TABLE x'))", "op.get_bind()"),
    "asks for the context": ("op.get_context()", "op.get_context()"),
    "loops": ("while True:\n    try:\n        pass\n    except Exception:\n        pass", "longer than 1 s"),
    "imports something missing": ("import sl_no_such_module_anywhere", "No module named"),
    "raises": ("raise RuntimeError('boom')", "boom"),
}


@pytest.mark.parametrize("kind", sorted(FILES))
def test_misbehaving_migration_files_exit_2_database_untouched(db_url: str, tmp_path: Path, kind: str) -> None:
    body, words = FILES[kind]
    revisions = {"ok": (None, 'op.create_table("fine", sa.Column("id", sa.Integer, primary_key=True))'),
                 "bad": ("ok", body)}
    config = make_project(tmp_path, db_url, revisions)
    _one_line(cli(config, "--load-timeout", "1", "apply", "-q"), 2, "bad.py", words)
    _untouched(config)
