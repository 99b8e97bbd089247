"""new --autogenerate: the written revision takes the migrations' head to the target MetaData.

The property: for random target schemas (hypothesis), the revision files written one after
the other make the fold of the migrations equal the target, and autogenerating once more
finds nothing to do. Then: the configured target_metadata and hook, the CLI, the baseline
snapshot as a starting point, and a generated revision applied to a real database.
"""

from __future__ import annotations

import sys
import tempfile
import textwrap
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from hypothesis import given, note

from ledger.inspect.audit import verify
from ledger.schema.autogenerate import AutogenerateError, autogenerate, head_state, target_state
from ledger.cli import main
from ledger.project.config import Config, load_config
from ledger.project.revisions import load_revisions
from ledger.run.apply import apply
from ops import AddColumnOp, CreateTableOp, SchemaState
from tests.strategies import schema_states


def through_metadata(state: SchemaState, config: Config) -> SchemaState:
    """What a project's MetaData describing ``state`` reads as (the target autogenerate sees)."""
    return SchemaState.from_metadata(state.to_metadata(), config.naming_convention)


def chain_of(config: Config):  # noqa: ANN201 - a RevisionChain
    return load_revisions(config.migrations_dir, naming_convention=config.naming_convention)


@given(first=schema_states(max_tables=3), second=schema_states(max_tables=3))
def test_generated_revisions_reach_the_target_and_then_nothing_is_left(first: SchemaState,
                                                                     second: SchemaState) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = Config(project_dir=Path(folder), migrations=Path("migrations"))
        config.migrations_dir.mkdir()
        for number, state in enumerate((first, second), start=1):
            target = through_metadata(state, config)
            result = autogenerate(config, chain_of(config), f"step {number}", rev_id=f"r{number}", target=target)
            for path in result.paths:
                note(path.read_text())
            chain = chain_of(config)
            assert head_state(config, chain) == target
            if result.paths:
                assert chain.head.ops and len(chain.head.ops) == len(result.ops)  # type: ignore[union-attr]
            again = autogenerate(config, chain, "again", target=target, write=False)
            assert again.drafts == () and again.paths == ()


# ---------------------------------------------------------------------------------------------
# A project with target_metadata and a hook
# ---------------------------------------------------------------------------------------------

MODELS = '''
import sqlalchemy as sa

metadata = sa.MetaData()

customer = sa.Table(
    "customer", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(200), nullable=False, unique=True),
    sa.Column("note", sa.Text, comment="free text"),
)
order = sa.Table(
    "purchase", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("customer_id", sa.Integer, sa.ForeignKey("customer.id", ondelete="CASCADE"), nullable=False),
    sa.Column("total", sa.Numeric(10, 2), server_default="0"),
    sa.Index(None, "customer_id"),
)
'''

HOOKS = '''
from ledger.schema.autogenerate import Draft


def not_purchase(ops, context):
    return [op for op in ops if op.table_name != "purchase"]


def split(ops, context):
    return [Draft(f"create {op.table_name}", [op]) for op in ops]


def split_lists(ops, context):
    return [[op] for op in ops]


def broken(ops, context):
    return [ops[-1]]


def not_a_list(ops, context):
    return 42
'''


def models_project(tmp_path: Path, *, hook: str | None = None, models: str = MODELS, url: str | None = None) -> Path:
    package = tmp_path / f"app_{abs(hash((str(tmp_path), models))) % 10**8}"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(textwrap.dedent(models))
    (package / "hooks.py").write_text(textwrap.dedent(HOOKS))
    (tmp_path / "migrations").mkdir(exist_ok=True)
    lines = ['migrations = "migrations"', f'target_metadata = "{package.name}.models:metadata"']
    if hook:
        lines.append(f'autogenerate_hook = "{package.name}.hooks:{hook}"')
    if url:
        lines.append(f'url = "{url}"')
    (tmp_path / "schema-ledger.toml").write_text("\n".join(lines) + "\n")
    return tmp_path / "schema-ledger.toml"


def run(config_file: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(config_file), *args], catch_exceptions=False)


def test_cli_writes_a_readable_revision_and_then_finds_nothing(tmp_path: Path) -> None:
    config_file = models_project(tmp_path)
    result = run(config_file, "new", "-m", "models", "--autogenerate", "--rev-id", "0001")
    assert result.exit_code == 0, result.output
    path = tmp_path / "migrations" / "0001_models.py"
    assert result.output.splitlines() == [f"wrote {path}  (2 ops)", "  create table customer (3 columns)",
                                          "  create table purchase (3 columns)"]
    text = path.read_text()
    assert text.startswith('"""models"""\n\nimport sqlalchemy as sa\n')
    assert "revision = '0001'\ndown_revision = None\n" in text
    assert "op.create_table(" in text and 'sa.Column("email", sa.String(length=200), nullable=False)' in text
    assert 'sa.Index("ix_purchase_customer_id", "customer_id")' in text

    config = load_config(config_file)
    assert head_state(config, chain_of(config)) == target_state(config)
    result = run(config_file, "new", "-m", "again", "--autogenerate")
    assert result.exit_code == 0
    assert result.output.startswith("no changes")
    assert sorted(p.name for p in (tmp_path / "migrations").glob("*.py")) == ["0001_models.py"]


def test_changed_models_give_the_change(tmp_path: Path) -> None:
    config_file = models_project(tmp_path)
    run(config_file, "new", "-m", "models", "--autogenerate", "--rev-id", "0001")
    changed = MODELS.replace('sa.Column("note", sa.Text, comment="free text"),',
                             'sa.Column("note", sa.Text, comment="free text"),\n    sa.Column("vip", sa.Boolean),')
    package = next(tmp_path.glob("app_*"))
    (package / "models.py").write_text(textwrap.dedent(changed))
    for name in [m for m in sys.modules if m.split(".")[0] == package.name]:
        del sys.modules[name]  # the models were imported by the first run in this process
    config = load_config(config_file)
    result = autogenerate(config, chain_of(config), "vip", rev_id="0002")
    [op] = result.ops
    assert isinstance(op, AddColumnOp) and op.column.name == "vip"
    assert chain_of(config).head.down_revision == "0001"  # type: ignore[union-attr]


def test_hook_drops_ops(tmp_path: Path) -> None:
    config = load_config(models_project(tmp_path, hook="not_purchase"))
    result = autogenerate(config, chain_of(config), "models")
    assert [op.table_name for op in result.ops] == ["customer"]
    assert [op.describe() for op in chain_of(config).head.ops] == ["create table customer (3 columns)"]  # type: ignore[union-attr]


@pytest.mark.parametrize(("hook", "messages"), [
    ("split", ["create customer", "create purchase"]),
    ("split_lists", ["models (1 of 2)", "models (2 of 2)"]),
])
def test_hook_splits_the_revision(tmp_path: Path, hook: str, messages: list[str]) -> None:
    config = load_config(models_project(tmp_path, hook=hook))
    result = autogenerate(config, chain_of(config), "models", rev_id="0001")
    assert [d.message for d in result.drafts] == messages
    chain = chain_of(config)
    assert [r.id for r in chain] == ["0001", "0001_2"]
    assert [r.message for r in chain] == messages
    assert head_state(config, chain) == target_state(config)


@pytest.mark.parametrize(("hook", "message"), [
    ("broken", "returned an op that does not fit"),
    ("not_a_list", "must return a list of ops or of revisions"),
])
def test_hook_mistakes_are_one_error_and_write_nothing(tmp_path: Path, hook: str, message: str) -> None:
    config_file = models_project(tmp_path, hook=hook)
    result = CliRunner().invoke(main, ["--config", str(config_file), "new", "-m", "x", "--autogenerate"])
    assert result.exit_code == 2
    assert result.stderr.startswith("schema-ledger: error: autogenerate_hook ") and message in result.stderr
    assert list((tmp_path / "migrations").glob("*.py")) == []


def test_missing_or_wrong_target_metadata(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    config = Config(project_dir=tmp_path, migrations=Path("migrations"))
    with pytest.raises(AutogenerateError, match="no target_metadata"):
        autogenerate(config, chain_of(config), "x")
    with pytest.raises(AutogenerateError, match="cannot import no_such_module"):
        autogenerate(attrs.evolve(config, target_metadata="no_such_module:metadata"), chain_of(config), "x")
    with pytest.raises(AutogenerateError, match="is not a SQLAlchemy MetaData"):
        autogenerate(attrs.evolve(config, target_metadata="sqlalchemy:Integer"), chain_of(config), "x")


@pytest.mark.parametrize("dialect", ["sqlite"])
def test_baseline_snapshot_is_the_starting_point(tmp_path: Path, db_url: str) -> None:
    from ledger.run.baseline import baseline

    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE customer (id INTEGER NOT NULL PRIMARY KEY, "
                             "email VARCHAR(200) NOT NULL, CONSTRAINT uq_customer_email UNIQUE (email))")
    engine.dispose()
    config = load_config(models_project(tmp_path, url=db_url))
    baseline(config)
    assert (config.migrations_dir / "baseline.json").is_file()
    result = autogenerate(config, chain_of(config), "the rest")
    # customer exists already: only its comment column and the other table are new.
    tags = [op.op_tag for op in result.ops]
    assert "create_table" in tags and all(
        op.table.name != "customer" for op in result.ops if isinstance(op, CreateTableOp))


def test_generated_revision_applies_and_live_equals_the_models(tmp_path: Path, db_url: str) -> None:
    config = load_config(models_project(tmp_path), url=db_url)
    autogenerate(config, chain_of(config), "models")
    apply(config)
    report = verify(config, chain=chain_of(config), live=True)
    assert report.ok, [str(p) for p in report.problems]


def test_a_sequence_next_value_default_is_refused_in_one_line(tmp_path: Path) -> None:
    """``server_default=seq.next_value()`` has no dialect-neutral text: the user is told what to
    write instead, not shown an internal error."""
    config_file = models_project(tmp_path, models='''
        import sqlalchemy as sa
        metadata = sa.MetaData()
        seq = sa.Sequence("widget_id_seq", metadata=metadata)
        widgets = sa.Table("widgets", metadata,
                           sa.Column("id", sa.Integer, seq, server_default=seq.next_value(), primary_key=True))
    ''')
    result = CliRunner().invoke(main, ["--config", str(config_file), "new", "-m", "m", "--autogenerate"])
    assert result.exit_code == 2, result.output
    assert "unsupported server default widget_id_seq.next_value()" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
