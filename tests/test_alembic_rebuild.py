"""What an Alembic batch rebuild on SQLite makes of a table, recorded by the hook as the database holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.alembic_histories import check_everything, upgrade_with_hook


def test_a_batch_rebuild_that_loses_the_checks_of_column_types_is_recorded_so(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """glance's images: ``Boolean(create_constraint=True)`` columns made with the table, then a batch
    block that rebuilds it. Alembic makes the table again from its reflection, which holds no such
    CHECK: the columns are recorded as the booleans without one that the database now holds."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('images', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('deleted', sa.Boolean(create_constraint=True), nullable=False),"
         " sa.Column('is_public', sa.Boolean(create_constraint=True), nullable=False))"],
        ["with op.batch_alter_table('images') as batch_op:",
         "    batch_op.drop_column('is_public')"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "sqlite")
