"""A revision that only moves data and passes on a value it read back (pgAdmin's e6ed5dac37c2 inserts
a module row, reads its id through an ORM session and inserts rows that refer to it): import-alembic
leaves every statement of it as a comment, and the file it writes is still a module that runs."""

from __future__ import annotations

from pathlib import Path

from ledger.integrations.alembic_import import import_alembic
from ledger.project.config import Config
from ledger.run import apply as runner
from tests.alembic_histories import table_names, write_env, write_history


def test_a_revision_whose_every_statement_is_left_out_is_imported_as_a_module_that_runs(
    tmp_path: Path
) -> None:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False)
    write_history(folder, [
        ["op.create_table('module', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(40)))",
         "op.create_table('category', sa.Column('id', sa.Integer(), primary_key=True),",
         "    sa.Column('mid', sa.Integer(), sa.ForeignKey('module.id')), sa.Column('name', sa.String(40)))"],
        ["bind = op.get_bind()",
         "bind.execute(sa.text(\"INSERT INTO module (name) VALUES ('editor')\"))",
         "mid = bind.execute(sa.text(\"SELECT id FROM module WHERE name = 'editor'\")).scalar()",
         "bind.execute(sa.text(\"INSERT INTO category (mid, name) VALUES (:m, 'options')\"), {'m': mid})"],
    ])
    into = tmp_path / "imported"
    result = import_alembic(folder, "sqlite", into)
    assert [n.revision for n in result.not_replayed] == ["0002aa"], result
    second = next(into.glob("0002aa_*.py")).read_text(encoding="utf-8")
    compile(second, "0002aa", "exec")
    url = f"sqlite:///{tmp_path / 'applied.db'}"
    runner.apply(Config(project_dir=tmp_path, url=url, migrations=into))
    assert sorted(table_names(url)) == ["category", "module"]
