"""SQL text that sets the session's ``search_path`` (PostgreSQL): pypnusershub's initial revision runs one file,
``SET search_path = utilisateurs, pg_catalog, public; CREATE SCHEMA utilisateurs; ... CREATE TABLE t_roles ...``,
and the setting stays in force on Alembic's connection for the rest of the run. The tables it made are in
``utilisateurs``, and the ledger holds them there, as a new session names them: the hook reads the database
under the search path a new session gets (and sets the session's back after), reads the schemas the text made,
and records the text's ``CREATE SCHEMA`` before the tables made in it, so that a rollback drops it after them.
Before, the tables read back through the session's search path were recorded in the default schema, and
``verify --live`` found them missing there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import connected, hook_events, ledger_cli, upgrade_with_hook

BODIES = [
    ["op.execute(\"SET search_path = app, pg_catalog, public; CREATE SCHEMA app; \"\n"
     "           \"CREATE TABLE things (id serial PRIMARY KEY, n integer); CREATE INDEX ix_things_n ON things (n)\")"],
    ["op.add_column('things', sa.Column('note', sa.String(20)), schema='app')",
     "op.execute('ALTER TABLE app.things ADD COLUMN size integer')"],
]

#: one text making a schema, routines, tables, a trigger and a view under its search path (pypnusershub's
#: initial revision): the routine a CHECK calls is made after the table, the constraint added after it
MIXED = [["op.execute(\"\"\"SET check_function_bodies = false;\n"
          "SET search_path = app, pg_catalog, public;\n"
          "CREATE SCHEMA app;\n"
          "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.n = coalesce(NEW.n, 1); RETURN NEW; END $$;\n"
          "CREATE TABLE things (id serial PRIMARY KEY, n integer);\n"
          "CREATE TRIGGER tr_touch BEFORE INSERT ON things FOR EACH ROW EXECUTE FUNCTION touch();\n"
          "CREATE OR REPLACE FUNCTION app.positive(i integer) RETURNS boolean LANGUAGE plpgsql IMMUTABLE\n"
          "  AS $$ BEGIN RETURN i > 0; END $$;\n"
          "ALTER TABLE app.things ADD CONSTRAINT ck_positive CHECK (app.positive(n));\n"
          "CREATE VIEW positive_things AS SELECT id FROM things WHERE n > 0;\n"
          "\"\"\")"]]


def test_tables_made_under_a_search_path_of_sql_text_are_recorded_in_their_schema(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, BODIES)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")  # (every schema the ledger has tables in)
    assert code == 0 and "verify: ok" in out, out
    events = hook_events(url)
    assert [(e.op_type, getattr(e.op, "schema", None)) for e in events if e.op_type != "execute"] == [
        ("create_table", "app"), ("add_column", "app"), ("add_column", "app")]
    made = [e.op for e in events if e.op_type == "execute"]
    assert [op.sqltext.strip() for op in made] == ["CREATE SCHEMA app"]  # type: ignore[union-attr]
    assert all(e.op.reversible for e in events)  # type: ignore[union-attr]
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")  # nothing irreversible on the way
    assert code == 0, out
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'").scalar() == 0


def test_the_routines_triggers_and_views_of_a_text_are_recorded_around_its_tables(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, MIXED)
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0 and "verify: ok" in out, out
    events = hook_events(url)
    words = ("CREATE SCHEMA", "CREATE TRIGGER", "CREATE VIEW", "FUNCTION touch", "FUNCTION app.positive")
    made = [next(w for w in words if w in e.op.sqltext) if e.op_type == "execute" else e.op_type  # type: ignore[union-attr]
            for e in events]
    assert made == ["CREATE SCHEMA", "FUNCTION touch", "FUNCTION app.positive", "create_table",
                    "CREATE TRIGGER", "CREATE VIEW"], made
    # each runs again under the settings the text set before it, reset after
    assert all("set_config('search_path', 'app, pg_catalog, public', false)" in e.op.sqltext  # type: ignore[union-attr]
               and e.op.sqltext.endswith("RESET search_path") for e in events[1:] if e.op_type == "execute")
    assert all(e.op.reversible for e in events)  # type: ignore[union-attr]
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "-q")  # made again from the ledger alone
    assert code == 0, out
    # the routines before the tables: the CHECK that calls one is made after it
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", database_factory("postgresql"))
    assert code == 0, out
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base", "-q")
    assert code == 0, out
    with connected(url) as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM pg_namespace WHERE nspname = 'app'").scalar() == 0
