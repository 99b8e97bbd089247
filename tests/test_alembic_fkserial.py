"""A foreign key declared on an added column, and PostgreSQL's SERIAL columns, recorded as the
database holds them: verify --live is clean, materialize equals, drill passes, rollback to base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import check_everything, live_schema, upgrade_with_hook
from tests.conftest import DIALECTS


_PARENTS = [
    "op.create_table('projects', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(40)))",
    "op.create_table('builders', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(40)))",
]


# SQLite adds a foreign key only by a batch rebuild (which Alembic refuses for an unnamed one).
_FK_CASES = [(dialect, batch) for dialect in DIALECTS for batch in (False, True) if batch or dialect != "sqlite"]


@pytest.mark.parametrize(("dialect", "batch"), _FK_CASES)
def test_a_foreign_key_declared_on_an_added_column_is_recorded_and_rolled_back(
    tmp_path: Path, dialect: str, database_factory: Callable[[str], str], batch: bool
) -> None:
    """As buildbot's revisions 060 and 065 do; outside a batch block the database names an unnamed
    one itself."""
    url = database_factory(dialect)
    columns = ["sa.Column('projectid', sa.Integer(), sa.ForeignKey('projects.id', name='fk_builders_projectid',"
               " ondelete='SET NULL'))"]
    if not batch:
        columns.append("sa.Column('parentid', sa.Integer(), sa.ForeignKey('builders.id'))")
    if batch:
        step = ["with op.batch_alter_table('builders') as b:", *(f"    b.add_column({c})" for c in columns)]
    else:
        step = [f"op.add_column('builders', {c})" for c in columns]
    upgrade_with_hook(tmp_path, url, [_PARENTS, step], batch=batch)
    live = live_schema(url).table("builders")
    assert "fk_builders_projectid" in {fk.name for fk in live.foreign_keys}
    assert len(live.foreign_keys) == len(columns)
    check_everything(tmp_path, url, database_factory, dialect)


@pytest.mark.parametrize("how", ["create_table", "variant", "sql", "batch"])
def test_a_postgresql_serial_column_is_recorded_as_autoincrement_without_its_sequence_default(
    tmp_path: Path, database_factory: Callable[[str], str], how: str
) -> None:
    """A BIGSERIAL/SERIAL column: its ``nextval('..._seq')`` default belongs to the sequence the
    column owns, which SERIAL makes again on replay; the ledger holds no such default."""
    url = database_factory("postgresql")
    parent = "op.create_table('snapshots', sa.Column('snapshot_id', sa.String(255), primary_key=True))"
    if how == "sql":
        step = ["op.execute('CREATE TABLE instigators (id BIGSERIAL PRIMARY KEY, name VARCHAR(40),"
                " snapshot_id VARCHAR(255) REFERENCES snapshots (snapshot_id))')"]
    else:
        id_type = ("sa.BigInteger().with_variant(sa.Integer(), 'sqlite')" if how == "variant" else "sa.BigInteger()")
        step = [f"op.create_table('instigators', sa.Column('id', {id_type}, primary_key=True, autoincrement=True),"
                " sa.Column('name', sa.String(40)))"]
        fk = "sa.Column('snapshot_id', sa.String(255), sa.ForeignKey('snapshots.snapshot_id'))"
        if how == "batch":
            step += ["with op.batch_alter_table('instigators') as b:", f"    b.add_column({fk})"]
        else:
            step += [f"op.add_column('instigators', {fk})"]
    step += ["op.create_table('runs', sa.Column('id', sa.Integer(), primary_key=True),"
             " sa.Column('n', sa.SmallInteger(), nullable=False))"]
    upgrade_with_hook(tmp_path, url, [[parent], step], batch=how == "batch")
    from tests.alembic_histories import hook_events

    for event in hook_events(url):
        for table in [getattr(event.op, "table", None)] if event.op is not None else []:
            if table is not None:
                assert all(c.server_default is None for c in table.columns), table
    check_everything(tmp_path, url, database_factory, "postgresql")
