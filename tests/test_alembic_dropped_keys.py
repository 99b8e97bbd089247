"""Columns dropped with the keys that stand on them, as real histories drop them, roll back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.alembic_histories import up_and_down


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])  # SQLite drops no key column outside batch mode
def test_an_auto_increment_primary_key_column_dropped_for_another_key_rolls_back(tmp_path: Path, db_url: str) -> None:
    """As ziggurat_foundations' 3cfc41c4a5f0: ``groups.id``, the auto-increment primary key, is
    dropped and ``group_name`` becomes the key. The reverse adds ``id`` back with its key, which
    MySQL and MariaDB take only in one statement (an AUTO_INCREMENT column must be a key)."""
    up_and_down(tmp_path, db_url, [
        ["op.create_table('groups', sa.Column('id', sa.Integer(), primary_key=True, autoincrement=True),"
         " sa.Column('group_name', sa.Unicode(50), nullable=False, unique=True))"],
        ["op.drop_column('groups', 'id')",
         "op.alter_column('groups', 'group_name', type_=sa.Unicode(128), existing_type=sa.Unicode(50))",
         "op.create_primary_key('groups_pkey', 'groups', columns=['group_name'])"],
    ])
