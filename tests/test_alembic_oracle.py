"""The Alembic hook records what the database did, as the database stores it."""

from __future__ import annotations

from pathlib import Path

from tests.test_alembic_fallback import _events, _up_and_down, hook_url  # noqa: F401 - the fixture


def test_server_defaults_are_recorded_as_the_database_stores_them(tmp_path: Path, hook_url: str) -> None:  # noqa: F811
    alter = (["with op.batch_alter_table('t') as batch_op:",
              "    batch_op.alter_column('h', server_default=sa.false(), existing_type=sa.Boolean())"]
             if "sqlite" in hook_url else
             ["op.alter_column('t', 'h', server_default=sa.false(), existing_type=sa.Boolean())"])
    events = _up_and_down(tmp_path, hook_url, [[
        "op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
        " sa.Column('f', sa.Boolean(), server_default=sa.false(), nullable=False),"
        " sa.Column('g', sa.Boolean(), server_default='0'), sa.Column('h', sa.Boolean(), server_default=sa.text('true')))",
        "op.add_column('t', sa.Column('k', sa.Boolean(), server_default=sa.true(), nullable=False))",
        *alter,
    ]], batch="sqlite" in hook_url)
    created = events[0].op.table  # type: ignore[union-attr]
    defaults = {c.name: c.server_default.value for c in created.columns if c.server_default is not None}
    if "sqlite" in hook_url:
        assert defaults["f"] == "0"  # SQLite keeps sa.false() as SQLAlchemy wrote it for SQLite
    if "postgresql" in hook_url:
        assert defaults["g"] == "false"  # PostgreSQL stores '0' on a boolean as false
