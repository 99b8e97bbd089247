"""Generated Alembic histories (hypothesis) through the whole front door, as a project meets it:
env.py with or without a naming convention (and ``render_as_batch=True`` on SQLite), revision
files in ``versions/`` or in year folders below it (``recursive_version_locations = true``).

With the hook: ``alembic upgrade heads``, the fold equals the live schema, ``verify --live`` is
clean, a rollback to base leaves no table, and ``alembic upgrade heads`` builds it all again
(Alembic's version table followed the rollback). Without it: ``import-alembic`` then ``apply``
builds the schema Alembic alone builds. The histories are schema only (their data lines are left
out: a rollback past them is tested in tests/test_alembic_hook_synthetic_sql.py).
"""

from __future__ import annotations

import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from ledger.integrations.alembic_import import import_alembic
from ledger.schema.reflect import compare
from tests.alembic_histories import (
    NAMING,
    check_live_equals_fold,
    histories,
    ledger_cli,
    live_schema,
    name_like_fold,
    rollback_to_base,
    run_alembic,
    table_names,
    write_env,
    write_history,
)
from tests.examples import examples
from tests.test_alembic_import import _apply_imported

#: lines that write rows (left out: a schema-only history rolls back to base whole)
_DATA = ("INSERT INTO", "bulk_insert", "UPDATE ")


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mariadb"])
@settings(max_examples=examples(5))
@given(data=st.data())
def test_a_generated_history_goes_up_down_and_up_with_the_hook_and_imports(
    dialect: str, database_factory: Callable[[str], str], data: st.DataObject
) -> None:
    bodies = [[line for line in body if not any(word in line for word in _DATA)] or ["pass"]
              for body in data.draw(histories(dialect))]
    naming = data.draw(st.sampled_from([None, NAMING]), label="naming convention")
    batch = dialect == "sqlite" and data.draw(st.booleans(), label="render_as_batch")
    years = data.draw(st.booleans(), label="year folders")
    for number, body in enumerate(bodies, start=1):
        note(f"revision {number}:\n" + textwrap.indent("\n".join(body), "    "))
    with tempfile.TemporaryDirectory() as tmp:
        _up_down_up_and_import(Path(tmp), dialect, bodies, database_factory, naming=naming, batch=batch, years=years)


def _up_down_up_and_import(tmp: Path, dialect: str, bodies: list[list[str]], database_factory: Callable[[str], str],
                           *, naming: dict[str, str] | None = None, batch: bool = False, years: bool = False) -> None:
    hooked, plain = tmp / "hooked", tmp / "plain"
    # the import runs without a naming convention: given one, a Boolean's or Enum's own CHECK that
    # the convention names is imported as the type alone, and `apply` makes it without that name
    for folder, hook in ((hooked, True), (plain, False)):
        write_env(folder, hook=hook, batch=batch, naming=naming if hook else None)
        write_history(folder, bodies, years=years)

    url = database_factory(dialect)
    run_alembic(hooked, url, "upgrade", "heads")
    check_live_equals_fold(url)
    code, output = ledger_cli(url, tmp, "verify", "--live")
    assert code == 0, output
    rollback_to_base(url)
    assert table_names(url) == []
    check_live_equals_fold(url)
    run_alembic(hooked, url, "upgrade", "heads")
    check_live_equals_fold(url)

    result = import_alembic(plain, dialect, tmp / "imported", url=database_factory(dialect) if dialect != "sqlite"
                            else None)
    assert result.problems == ()
    alembic_url, ledger_url = database_factory(dialect), database_factory(dialect)
    run_alembic(plain, alembic_url, "upgrade", "heads")
    _apply_imported(tmp / "imported", ledger_url)
    # MariaDB names a foreign key's own index after the key or the column: those are not compared
    alone, applied = live_schema(alembic_url), live_schema(ledger_url)
    assert compare(applied, name_like_fold(alone, applied), "mysql" if dialect == "mariadb" else dialect) == []


_TABLE = ("op.create_table('t1', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('a', sa.Integer()),"
          " sa.Column('b', sa.String(40)))")
#: each kind the generator draws, once on its own: (dialects, revisions)
KINDS = {
    "drop_pk_column": (("postgresql", "mariadb"), [
        [_TABLE, "op.create_index('ix_t1_a', 't1', ['a'])"],
        ["op.drop_column('t1', 'id')"]]),
    # Alembic's batch rebuild remakes every index it reflected: the one on the column goes first
    "drop_pk_column_in_batch": (("sqlite",), [
        [_TABLE, "op.create_index('ix_t1_id', 't1', ['id', 'a'])"],
        ["with op.batch_alter_table('t1') as batch_op:", "    batch_op.drop_index('ix_t1_id')",
         "    batch_op.drop_column('id')"]]),
    "multi_column_index_shrinks": (("postgresql", "mariadb"), [
        [_TABLE, "op.create_index('ix_t1_ab', 't1', ['a', 'b'])"],
        ["op.drop_column('t1', 'b')"]]),
    "enum_add_value": (("postgresql",), [
        ["op.create_table('t1', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('state', sa.Enum('a', 'b', name='e1'), nullable=True))"],
        ["op.execute(\"ALTER TYPE e1 ADD VALUE 'v2'\")"],
        ["with op.get_context().autocommit_block():", "    op.execute(\"ALTER TYPE e1 ADD VALUE 'v3'\")"]]),
}


@pytest.mark.parametrize(("kind", "dialect"), [(k, d) for k, (dialects, _) in KINDS.items() for d in dialects])
@pytest.mark.parametrize("years", [False, True], ids=["versions", "year-folders"])
def test_each_kind_goes_up_down_and_up_with_the_hook_and_imports(
    kind: str, dialect: str, years: bool, database_factory: Callable[[str], str], tmp_path: Path
) -> None:
    _up_down_up_and_import(tmp_path, dialect, KINDS[kind][1], database_factory, naming=NAMING if years else None,
                           batch=dialect == "sqlite", years=years)
