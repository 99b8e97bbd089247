"""An attacker who can write the ledger table, on every database: each attack is refused by the
database or caught by ``verify`` (with ``trusted_keys`` and an anchor configured), naming the
row; an untouched ledger verifies, again and again, with no alarm.

The attacker here is a database owner who has dropped the refusal triggers and rewrites the
ledger table with a chain that is whole in itself (docs/ledger-format.md tells how), but does
not hold the CI signing key and cannot change the anchor file. The last tests attack the
triggers themselves (without DDL) and the privilege split with real roles.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from ledger.inspect.audit import verify
from ledger.cli import main
from ledger.format.codec import canonical
from ledger.project.config import Config, load_config
from ledger.storage.db import create_engine, dialect_of
from ledger.format.events import Event, chain_hash
from ledger.run.rollback import rollback
from ledger.run.apply import apply
from ledger.storage.session import store_for
from ledger.storage.seal import GuardError, Seal, database_identity, keygen, load_private_key
from ledger.storage.store import REFUSAL
from ops import ExecuteSQLOp
from tests.builders import drop_ledger_triggers, replace_ledger_rows
from tests.conftest import DIALECTS

REVISIONS = {
    "0001_a.py": '''
import sqlalchemy as sa
revision = "0001"
down_revision = None
def upgrade(op):
    op.create_table("accounts", sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(40)))
    op.create_index("ix_accounts_name", "accounts", ["name"])
''',
    "0002_b.py": '''
import sqlalchemy as sa
revision = "0002"
down_revision = "0001"
def upgrade(op):
    op.add_column("accounts", sa.Column("email", sa.String(80)))
''',
    "0003_c.py": '''
import sqlalchemy as sa
revision = "0003"
down_revision = "0002"
def upgrade(op):
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True), sa.Column("total", sa.Integer))
''',
}


def make_project(folder: Path, url: str, *, revisions: dict[str, str] = REVISIONS) -> Config:
    """A project signed with keys/ci, trusting keys/ci.pub, anchoring to anchor.jsonl."""
    (folder / "migrations").mkdir(parents=True)
    for name, text in revisions.items():
        (folder / "migrations" / name).write_text(text)
    (folder / "keys").mkdir()
    keygen(folder / "keys" / "ci")
    (folder / "schema-ledger.toml").write_text(
        f'url = "{url}"\nmigrations = "migrations"\ntrusted_keys = ["keys/ci.pub"]\nanchor = "anchor.jsonl"\n')
    config = load_config(folder / "schema-ledger.toml", environ={})
    return attrs.evolve(config, sign_key=str(folder / "keys" / "ci"))


def cli(config: Config, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config.source), *args], catch_exceptions=False)


def rechained(events: list[Event]) -> list[Event]:
    """``events`` renumbered from 1 with every hash recomputed: a chain that is whole in itself."""
    out: list[Event] = []
    for seq, event in enumerate(events, start=1):
        prev = out[-1].hash if out else "0" * 64
        draft = attrs.evolve(event, seq=seq, prev_hash=prev)
        out.append(attrs.evolve(draft, hash=chain_hash(prev, draft.body())))
    return out


@attrs.frozen
class Ledger:
    config: Config
    pristine: tuple[Event, ...] = attrs.field(repr=False)
    anchor: str = attrs.field(repr=False)
    engine: sa.Engine = attrs.field(repr=False)

    def write(self, events: list[Event]) -> None:
        """Replace every row of the ledger table by ``events`` (the triggers are gone)."""
        replace_ledger_rows(self.engine, self.config, events)

    def restore(self) -> None:
        self.write(list(self.pristine))
        assert self.config.anchor_path is not None
        self.config.anchor_path.write_text(self.anchor)


@pytest.fixture(scope="module", params=DIALECTS)
def ledger(request: pytest.FixtureRequest, database_factory: Callable[[str], str],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ledger]:
    folder = tmp_path_factory.mktemp("adversary")
    config = make_project(folder, database_factory(request.param))
    apply(config, to="0002")
    apply(config)
    engine = create_engine(config.url)
    with engine.begin() as conn:
        pristine = tuple(store_for(config).events(conn))
        drop_ledger_triggers(conn, dialect_of(conn), config.ledger_table)
    assert config.anchor_path is not None
    ledger = Ledger(config, pristine, config.anchor_path.read_text(), engine)
    yield ledger
    engine.dispose()


@pytest.fixture
def attacked(ledger: Ledger) -> Iterator[Ledger]:
    yield ledger
    ledger.restore()


def problems_of(config: Config, **kwargs: object) -> list[str]:
    report = verify(config, **kwargs)  # type: ignore[arg-type]
    return [p.message for p in report.problems]


# ---------------------------------------------------------------------------------------------
# What a signed, anchored ledger looks like
# ---------------------------------------------------------------------------------------------


def test_each_run_signs_and_anchors_its_head(ledger: Ledger) -> None:
    kinds = [e.kind for e in ledger.pristine]
    # two runs: each ends with a checkpoint of the head it wrote
    assert kinds.count("checkpoint") == 2 and kinds[-1] == "checkpoint"
    lines = [json.loads(line) for line in ledger.anchor.splitlines()]
    assert [line["seq"] for line in lines] == [kinds.index("checkpoint") + 1, len(kinds)]
    assert lines[-1]["hash"] == ledger.pristine[-1].hash


def test_an_untouched_ledger_verifies_every_time(ledger: Ledger) -> None:
    for _ in range(10):
        report = verify(ledger.config, live=True)
        assert report.ok and not report.notes, (report.problems, report.notes)
        assert report.signatures_checked and report.anchor_checked
    result = cli(ledger.config, "verify", "--live")
    assert result.exit_code == 0, result.output
    assert "checksums, signatures, anchor, live schema" in result.output and "note:" not in result.output


# ---------------------------------------------------------------------------------------------
# Rewrites: each whole in itself, each caught
# ---------------------------------------------------------------------------------------------


def test_an_edited_row_with_the_chain_recomputed_is_caught(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    events[1] = attrs.evolve(events[1], message="nothing to see", actor=attrs.evolve(events[1].actor, by="mallory"))
    attacked.write(rechained(events))
    found = problems_of(attacked.config)
    first_checkpoint = next(e.seq for e in attacked.pristine if e.kind == "checkpoint")
    assert any(f"seq {first_checkpoint}: the signed head" in p and "not in the chain any more" in p for p in found), found
    assert any("anchored head" in p and "not in the ledger any more" in p for p in found), found
    assert cli(attacked.config, "verify").exit_code == 1


def test_a_row_inserted_mid_chain_is_caught(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    forged = attrs.evolve(events[1], event_id=str(uuid.uuid4()), message="forged")
    attacked.write(rechained([*events[:2], forged, *events[2:]]))
    found = problems_of(attacked.config)
    assert any("the signed head" in p for p in found), found
    assert any("anchored head" in p for p in found), found


def test_a_changed_table_name_is_caught_with_its_row(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    target = next(e for e in events if e.table_name == "invoices")
    events[target.seq - 1] = attrs.evolve(target, table_name="accounts")
    attacked.write(rechained(events))
    found = problems_of(attacked.config)
    assert any(p.startswith(f"seq {target.seq}: table_name 'accounts' does not match the payload") for p in found), found


def test_a_cut_tail_is_caught_by_the_anchor(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    cut = next(e.seq for e in events if e.kind == "checkpoint")  # up to and with the first run's checkpoint
    attacked.write(events[:cut])
    found = problems_of(attacked.config)
    assert any(f"anchored head seq {len(events)}" in p and "its tail was cut" in p for p in found), found


def test_an_emptied_ledger_is_caught_by_the_anchor_and_by_live(attacked: Ledger) -> None:
    attacked.write([])
    found = problems_of(attacked.config)
    assert any("beyond the ledger (empty)" in p for p in found), found
    without_anchor = attrs.evolve(attacked.config, anchor=None)
    live = problems_of(without_anchor, live=True)
    assert any("the ledger is empty but the database has 2 table(s)" in p for p in live), live


def test_a_rewrite_signed_with_another_key_is_caught(attacked: Ledger, tmp_path: Path) -> None:
    keygen(tmp_path / "mallory")
    seal = Seal(database_identity(attacked.config.url, attacked.config.ledger_table),
                key=load_private_key(str(tmp_path / "mallory"), where="test"))
    events = [e for e in attacked.pristine if e.kind != "checkpoint"]
    events = rechained(events)
    events.append(seal.checkpoint(events[-1], len(events), events[-1].actor))
    attacked.write(events)
    found = problems_of(attacked.config)
    assert any(f"seq {len(events)}: checkpoint is signed by an untrusted key" in p for p in found), found


def test_a_forged_signature_is_caught(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    last = events[-1]
    payload = json.loads(last.payload or "")
    payload["rows"] += 0
    payload["signed_at"] = "2020-01-01T00:00:00.000000Z"
    events[-1] = attrs.evolve(last, payload=canonical(payload).decode())
    attacked.write(rechained(events))
    found = problems_of(attacked.config)
    assert any(p.startswith(f"seq {last.seq}: checkpoint signature does not verify") for p in found), found


def test_an_edited_anchor_file_is_caught(attacked: Ledger) -> None:
    assert attacked.config.anchor_path is not None
    lines = attacked.anchor.splitlines()
    attacked.config.anchor_path.write_text(lines[-1] + "\n")
    found = problems_of(attacked.config)
    assert any("line 1: does not link to the line before it" in p for p in found), found


def test_appended_rows_are_reported_unsigned(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    forged = attrs.evolve(events[0], event_id=str(uuid.uuid4()), message="forged")
    attacked.write(rechained([*events, forged]))
    report = verify(attacked.config)
    assert report.notes == (f"seq {len(events) + 1}: 1 event(s) after the last valid signature (seq {len(events)}) "
                            "are unsigned",)


def test_rollback_refuses_sql_from_a_forged_event(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    op = ExecuteSQLOp("SELECT 1", reverse_sql="CREATE TABLE pwned (id INTEGER)")
    forged = Event.create(seq=len(events) + 1, prev_hash=events[-1].hash, kind="apply", op=op, revision="0003",
                          message="data fix", actor=events[-1].actor)
    attacked.write([*events, forged])
    with pytest.raises(GuardError, match=rf"rollback refused, nothing was run: .*seq {forged.seq}: 1 event\(s\)"):
        rollback(attacked.config, to="0002", skip_irreversible=True)
    result = cli(attacked.config, "rollback", "--to", "0002", "--skip-irreversible")
    assert result.exit_code == 1 and "rollback refused" in result.output
    with attacked.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("pwned")


def test_rollback_refuses_a_rewritten_ledger(attacked: Ledger) -> None:
    events = list(attacked.pristine)
    events[2] = attrs.evolve(events[2], message="rewritten")
    attacked.write(rechained(events))
    with pytest.raises(GuardError, match="rollback refused, nothing was run: the ledger does not verify: seq"):
        rollback(attacked.config, to="0002")


def test_signatures_base64_is_what_verify_reads(ledger: Ledger) -> None:
    payload = json.loads(ledger.pristine[-1].payload or "")
    assert len(base64.b64decode(payload["signature"])) == 64 and len(base64.b64decode(payload["key"])) == 32


# ---------------------------------------------------------------------------------------------
# The triggers, attacked without DDL
# ---------------------------------------------------------------------------------------------


@pytest.fixture(params=DIALECTS)
def fresh(request: pytest.FixtureRequest, database_factory: Callable[[str], str], tmp_path: Path) -> Config:
    config = make_project(tmp_path, database_factory(request.param))
    apply(config)
    return config


def test_the_triggers_hold_without_ddl(fresh: Config) -> None:
    engine = create_engine(fresh.url)
    table = fresh.ledger_table
    try:
        with engine.connect() as conn:
            dialect = dialect_of(conn)
            if dialect == "sqlite":
                row = conn.execute(sa.text(f"SELECT * FROM {table} WHERE seq = 1")).mappings().one()
                columns = ", ".join(row)
                marks = ", ".join(f":{c}" for c in row)
                values = dict(row, message="forged")
                for verb in ("INSERT OR REPLACE", "REPLACE"):
                    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                        conn.execute(sa.text(f"{verb} INTO {table} ({columns}) VALUES ({marks})"), values)
                    conn.rollback()
            elif dialect == "postgresql":
                conn.exec_driver_sql("SET session_replication_role = replica")
                for statement in (f"UPDATE {table} SET message = 'forged'", f"DELETE FROM {table}",
                                  f"TRUNCATE {table}"):
                    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                        conn.exec_driver_sql(statement)
                    conn.rollback()
                    conn.exec_driver_sql("SET session_replication_role = replica")
            else:
                # MariaDB has no TRUNCATE trigger: the emptied ledger is caught instead.
                conn.exec_driver_sql(f"TRUNCATE TABLE {table}")
                conn.commit()
                found = problems_of(fresh, live=True)
                assert any("anchored head" in p and "beyond the ledger (empty)" in p for p in found), found
                assert any("the ledger is empty but the database has 2 table(s)" in p for p in found), found
                return
    finally:
        engine.dispose()
    assert verify(fresh, live=True).ok
    assert REFUSAL.startswith("schema-ledger:")


# ---------------------------------------------------------------------------------------------
# The privilege split, with real roles
# ---------------------------------------------------------------------------------------------


def _as(url: str, user: str) -> str:
    return sa.make_url(url).set(username=user, password=None).render_as_string(hide_password=False)


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
def test_the_applier_can_only_insert_into_a_ledger_it_does_not_own(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path) -> None:
    from ledger.inspect.grants import grants_sql
    from ledger.storage.store import LedgerStore

    admin_url = database_factory(dialect)
    suffix = uuid.uuid4().hex[:8]
    applier, owner = f"sl_app_{suffix}", f"sl_own_{suffix}"
    admin = create_engine(admin_url)
    ledger_schema = None
    try:
        with admin.begin() as conn:
            if dialect == "postgresql":
                conn.exec_driver_sql(f"CREATE ROLE {owner} NOLOGIN")
                conn.exec_driver_sql(f"CREATE ROLE {applier} LOGIN")
                conn.exec_driver_sql(f"GRANT USAGE, CREATE ON SCHEMA public TO {applier}")
            else:
                ledger_schema = sa.make_url(database_factory(dialect)).database
                conn.exec_driver_sql(f"CREATE USER '{applier}'@'%%'")
                conn.exec_driver_sql(f"GRANT ALL ON `{sa.make_url(admin_url).database}`.* TO '{applier}'@'%%'")
            store = LedgerStore("schema_ledger", ledger_schema)
            for statement in grants_sql(store, conn.dialect, applier=applier,
                                        owner=owner if dialect == "postgresql" else None):
                conn.exec_driver_sql(statement if dialect == "postgresql" else statement.replace("%", "%%"))
        project = tmp_path / "p"
        config = make_project(project, _as(admin_url, applier))
        config = attrs.evolve(config, ledger_schema=ledger_schema)
        apply(config)
        assert verify(config, live=True).ok
        table = store.fullname
        attacks = [f"UPDATE {table} SET message = 'x'", f"DELETE FROM {table}", f"TRUNCATE TABLE {table}",
                   f"DROP TABLE {table}"]
        if dialect == "postgresql":
            attacks += [f"ALTER TABLE {table} DISABLE TRIGGER schema_ledger_no_change",
                        f"DROP TRIGGER schema_ledger_no_change ON {table}"]
        else:
            attacks += [f"DROP TRIGGER {ledger_schema}.schema_ledger_no_delete"]
        as_applier = create_engine(config.url)
        try:
            for attack in attacks:
                with as_applier.connect() as conn, pytest.raises(sa.exc.DBAPIError) as refused:
                    conn.exec_driver_sql(attack)
                    conn.commit()
                assert any(word in str(refused.value).lower() for word in ("denied", "owner", "append-only")), \
                    (attack, refused.value)
        finally:
            as_applier.dispose()
        assert verify(config, live=True).ok
    finally:
        with admin.begin() as conn:
            if dialect == "postgresql":
                conn.exec_driver_sql(f"DROP OWNED BY {applier}, {owner}")
                conn.exec_driver_sql(f"DROP ROLE {applier}, {owner}")
            else:
                conn.exec_driver_sql(f"DROP USER '{applier}'@'%%'")
        admin.dispose()


def test_grants_prints_the_split(tmp_path: Path) -> None:
    (tmp_path / "schema-ledger.toml").write_text('url = "postgresql://x@localhost/app"\nledger_schema = "audit"\n')
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "schema-ledger.toml"), "grants",
                                       "--applier", "app", "--owner", "ledger_owner"])
    assert result.exit_code == 0, result.output
    assert "ALTER TABLE audit.schema_ledger OWNER TO ledger_owner;" in result.output
    assert result.output.rstrip().endswith("GRANT USAGE ON SCHEMA audit TO app;")
    sqlite = CliRunner().invoke(main, ["--url", "sqlite:///x.db", "grants", "--applier", "app"])
    assert sqlite.exit_code == 2 and sqlite.output.startswith("schema-ledger: error: SQLite has no roles")


def test_sign_signs_a_head_left_unsigned(tmp_path: Path) -> None:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    apply(attrs.evolve(config, sign_key=None, anchor=None), to="0001")
    assert "seq 1..2: 2 event(s) after any valid signature are unsigned" in verify(config).notes
    refused = cli(config, "rollback", "--to", "base")
    assert refused.exit_code == 1 and "sign the head once it is checked" in refused.output
    result = cli(config, "sign", "--sign-key", str(tmp_path / "keys" / "ci"))
    assert result.exit_code == 0 and result.output.startswith("signed head seq 2 (checkpoint seq 3"), result.output
    report = verify(config)
    assert report.ok and not report.notes, (report.problems, report.notes)
    unsigned = cli(config, "sign")
    assert unsigned.exit_code == 2 and "sign needs the key" in unsigned.output


# ---------------------------------------------------------------------------------------------
# The Alembic hook signs and anchors too
# ---------------------------------------------------------------------------------------------


ALEMBIC_REVISION = '''
"""accounts"""
import sqlalchemy as sa
from alembic import op

revision = "a1"
down_revision = None


def upgrade():
    op.create_table("accounts", sa.Column("id", sa.Integer, primary_key=True))
'''


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_alembic_hook_signs_and_anchors_the_head(
        dialect: str, database_factory: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.alembic_histories import run_alembic, write_env

    url = database_factory(dialect)
    config = make_project(tmp_path / "project", url, revisions={})
    write_env(tmp_path / "alembic")
    (tmp_path / "alembic" / "versions" / "a1_accounts.py").write_text(ALEMBIC_REVISION)
    monkeypatch.setenv("SCHEMA_LEDGER_SIGNING_KEY", (tmp_path / "project" / "keys" / "ci").read_text())
    assert config.anchor_path is not None
    monkeypatch.setenv("SCHEMA_LEDGER_ANCHOR", str(config.anchor_path))
    run_alembic(tmp_path / "alembic", url, "upgrade", "head")
    report = verify(attrs.evolve(config, sign_key=None))
    assert report.ok and not report.notes, (report.problems, report.notes)
    assert report.head is not None and report.head.kind == "checkpoint"
    [line] = config.anchor_path.read_text().splitlines()
    assert json.loads(line)["hash"] == report.head.hash


def test_an_older_sqlite_ledger_gets_the_replace_trigger(tmp_path: Path) -> None:
    config = make_project(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}")
    apply(config, to="0001")
    engine = create_engine(config.url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP TRIGGER {config.ledger_table}_no_replace")
        apply(config)
        with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match="append-only"):
            conn.exec_driver_sql(f"INSERT OR REPLACE INTO {config.ledger_table} SELECT * FROM {config.ledger_table} "
                                 "WHERE seq = 1")
    finally:
        engine.dispose()


def test_an_exported_ledger_is_checked_against_keys_and_anchor(attacked: Ledger, tmp_path: Path) -> None:
    from ledger.inspect.audit import export_jsonl, verify_file

    config = attacked.config
    export = tmp_path / "ledger.jsonl"
    with export.open("w") as out:
        export_jsonl(config, out)
    assert verify_file(export, trusted_keys=config.trusted_key_paths, anchor=config.anchor_path).ok
    assert cli(config, "verify", "--ledger", str(export)).exit_code == 0
    events = list(attacked.pristine)
    events[0] = attrs.evolve(events[0], message="rewritten")
    attacked.write(rechained(events))
    with export.open("w") as out:
        export_jsonl(config, out)
    report = verify_file(export, trusted_keys=config.trusted_key_paths, anchor=config.anchor_path)
    assert any("the signed head" in p.message for p in report.problems), report.problems
    assert cli(config, "verify", "--ledger", str(export)).exit_code == 1
