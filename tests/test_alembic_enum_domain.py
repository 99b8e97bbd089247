"""A PostgreSQL domain over an ENUM type that SQL text renames (``ALTER TYPE a RENAME TO b``): the domain
follows the type in the database, so the hook records the rename as the statement it is, replayed as
such and undone by the rename back, and what the read-back saw change of the columns (theirs and the
domain's base type) as the schema change of that statement, which the fold takes and a replay does
not run again; rollback and drill then run (before, the rename was recorded as the type made under
its new name, the columns moved to it and the old name dropped, which a domain over it refuses)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from click.testing import CliRunner

from ledger.cli import main
from tests.alembic_histories import check_everything, check_live_equals_fold, connected, hook_events, upgrade_with_hook

#: the ENUM and DOMAIN types of the default schema
TYPES = ("SELECT typname FROM pg_type JOIN pg_namespace n ON n.oid = typnamespace WHERE nspname = 'public'"
         " AND typtype IN ('e', 'd') ORDER BY typname")

START = [
    "op.execute(\"CREATE TYPE mood AS ENUM ('happy', 'sad')\")",
    "op.execute('CREATE DOMAIN moody AS mood')",
    "op.execute(\"CREATE DOMAIN cheerful AS mood NOT NULL\")",
    "op.execute('CREATE TABLE t (id integer PRIMARY KEY, m moody, c cheerful, n mood, s text)')",
]

RENAMES = {
    # the type renamed, nothing else
    "renamed": [["op.execute('ALTER TYPE mood RENAME TO feeling')"]],
    # alembic-postgresql-enum's sync: renamed, made again with one more value, the plain column moved to it;
    # the domains keep the renamed type (PostgreSQL cannot change a domain's base type)
    "made again": [["op.execute('ALTER TYPE mood RENAME TO mood_old')",
                    "op.execute(\"CREATE TYPE mood AS ENUM ('happy', 'sad', 'bored')\")",
                    "op.execute('ALTER TABLE t ALTER COLUMN n TYPE mood USING n::text::mood')"]],
    # renamed (named with its schema), then back in a later revision
    "and back": [["op.execute('ALTER TYPE public.mood RENAME TO feeling')"],
                 ["op.execute('ALTER TYPE feeling RENAME TO mood')"]],
}


@pytest.mark.parametrize("case", sorted(RENAMES))
def test_an_enum_type_under_a_domain_renamed_in_sql_text_is_replayed_and_rolled_back(
    tmp_path: Path, database_factory: Callable[[str], str], case: str
) -> None:
    url = database_factory("postgresql")
    upgrade_with_hook(tmp_path, url, [START, *RENAMES[case]])
    renames = [e for e in hook_events(url) if e.op_type == "execute" and "RENAME TO" in e.op.sqltext]  # type: ignore[union-attr]
    assert renames and all(e.op.reverse_sql and "RENAME TO" in e.op.reverse_sql for e in renames), (  # type: ignore[union-attr]
        [(e.op.sqltext, e.op.reverse_sql) for e in renames])  # type: ignore[union-attr]
    check_live_equals_fold(url)
    check_everything(tmp_path, url, database_factory, "postgresql")
    with connected(url) as conn:
        assert conn.exec_driver_sql(TYPES).all() == []
    # imported: the rename is a statement of the imported revision, applied, verified, rolled back and applied again
    imported = CliRunner().invoke(main, ["import-alembic", str(tmp_path / "alembic"), "--dialect", "postgresql",
                                         "--into", str(tmp_path / "imported"), "--scratch-url", database_factory("postgresql")])
    assert imported.exit_code == 0, imported.output
    fresh, config = database_factory("postgresql"), tmp_path / "imported.toml"
    config.write_text(f'migrations = "{tmp_path / "imported"}"\n', encoding="utf-8")
    for args in (["apply", "-q"], ["verify", "--live"], ["rollback", "--to", "base", "-q"], ["apply", "-q"]):
        result = CliRunner().invoke(main, ["--url", fresh, "--config", str(config), *args])
        assert result.exit_code == 0, (args, result.output)
    with connected(fresh) as conn:
        assert [name for (name,) in conn.exec_driver_sql(TYPES)] == (
            ["cheerful", "feeling", "moody"] if case == "renamed" else ["cheerful", "mood", "moody"]
            if case == "and back" else ["cheerful", "mood", "mood_old", "moody"])


def test_the_type_a_rename_named_is_made_again_by_the_reverse_of_its_drop_after_a_commit(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """bodhi's 499ac8bbe09a: ``COMMIT`` (psycopg2 then runs the rest in no transaction it began), the type
    renamed, made again, the column moved, the renamed one dropped: the drop's reverse makes it again as
    the rename left it, though the catalog cannot be read before the drop there."""
    url = sa.make_url(database_factory("postgresql")).set(drivername="postgresql+psycopg2").render_as_string(
        hide_password=False)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('job', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('status', sa.Enum('A', 'B', name='jobstatus')))"],
        ["op.execute('COMMIT')", "op.execute('ALTER TYPE jobstatus RENAME TO jobstatus_old')",
         "op.execute(\"CREATE TYPE jobstatus AS ENUM ('A', 'B', 'C')\")",
         "op.execute('ALTER TABLE job ALTER COLUMN status TYPE jobstatus USING status::text::jobstatus')",
         "op.execute('DROP TYPE jobstatus_old')"]])
    drops = [e.op for e in hook_events(url) if e.op_type == "execute" and e.op.sqltext.startswith("DROP TYPE")]  # type: ignore[union-attr]
    assert [op.reverse_sql for op in drops] == ["CREATE TYPE jobstatus_old AS ENUM ('A', 'B')"]  # type: ignore[union-attr]
    check_everything(tmp_path, url, database_factory, "postgresql")
