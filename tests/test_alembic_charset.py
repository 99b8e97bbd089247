"""A table's character set and collation, recorded as MySQL/MariaDB hold them and made again on replay."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

import ops
from ledger.format.codec import decode, encode
from ops.specs import ColumnSpec, TableSpec, TypeSpec
from tests.alembic_histories import (
    check_everything,
    connected,
    hook_events,
    ledger_cli,
    table_names,
    upgrade_with_hook,
)

_CHARSET = ("SELECT t.TABLE_NAME, c.CHARACTER_SET_NAME FROM information_schema.TABLES t"
            " JOIN information_schema.COLLATIONS c ON c.COLLATION_NAME = t.TABLE_COLLATION"
            " WHERE t.TABLE_SCHEMA = DATABASE()")


def _charsets(url: str) -> dict[str, str]:
    with connected(url) as conn:
        return {str(name): str(charset) for name, charset in conn.execute(sa.text(_CHARSET))}


def test_on_mariadb_a_table_made_in_another_character_set_is_materialized_in_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``create_table(..., mysql_charset='utf8')`` in a database whose default is utf8mb4: the
    ledger materialized into a fresh database makes the table in utf8 (utf8mb3) again."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('zones', sa.Column('id', sa.String(36), primary_key=True),"
         " sa.Column('name', sa.String(255)), mysql_charset='utf8')"],
        ["op.create_table('shared_zones', sa.Column('id', sa.String(36), primary_key=True),"
         " sa.Column('zone_id', sa.String(36), sa.ForeignKey('zones.id'), nullable=False),"
         " mysql_charset='utf8')"],
    ])
    held = _charsets(url)
    assert held["zones"] == held["shared_zones"] == "utf8mb3"
    scratch = database_factory("mariadb")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _charsets(scratch) == {"zones": "utf8mb3", "shared_zones": "utf8mb3"}
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_a_table_comment_given_as_a_mysql_option_is_recorded(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As monasca-api: ``create_table(..., mysql_comment='...')``, which MySQL's CREATE TABLE writes as
    ``COMMENT=`` as it does ``comment=``: the table's comment as MariaDB holds it, made again on replay."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('metric_dimension', sa.Column('name', sa.String(255), nullable=False),"
         " mysql_charset='utf8', mysql_comment='PRIMARY KEY (`id`)')"],
    ])
    with connected(url) as conn:
        assert sa.inspect(conn).get_table_comment("metric_dimension")["text"] == "PRIMARY KEY (`id`)"
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_on_mariadb_a_foreign_key_between_tables_of_a_changed_database_default_replays(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As designate: ``zones`` made with ``mysql_charset='utf8'``, then ``ALTER DATABASE DEFAULT
    CHARACTER SET utf8``, then ``shared_zones`` (the new default) with a foreign key to ``zones``.
    The drill replays the ALTER DATABASE; ``zones`` must be made in utf8 too, or MariaDB refuses
    the foreign key between a utf8mb4 and a utf8 column."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('zones', sa.Column('id', sa.String(36), primary_key=True), mysql_charset='utf8')"],
        ["op.execute('ALTER DATABASE DEFAULT CHARACTER SET utf8')"],
        ["op.create_table('shared_zones', sa.Column('id', sa.String(36), primary_key=True),"
         " sa.Column('zone_id', sa.String(36), sa.ForeignKey('zones.id'), nullable=False))"],
    ])
    code, out = ledger_cli(url, tmp_path, "drill", "--from-ledger", "--allow-irreversible", "--json", "-q")
    report = json.loads(out)
    assert "Foreign key constraint is incorrectly formed" not in out, out
    assert code == 0 and report["passed"], out
    scratch = database_factory("mariadb")
    code, out = ledger_cli(url, tmp_path, "materialize", "--into", scratch)
    assert code == 0, out
    assert _charsets(scratch) == {"zones": "utf8mb3", "shared_zones": "utf8mb3"}


def test_a_table_without_options_keeps_the_bytes_it_had_and_one_with_them_round_trips() -> None:
    """Old ledgers stay readable and their hashes stand: a table taking the database's defaults is
    written as before (no ``dialect_options`` key); a table's character set and collation round-trip."""
    plain = TableSpec("t", (ColumnSpec("id", TypeSpec("Integer")),))
    assert b"dialect_options" not in encode(ops.CreateTableOp(plain))
    held = TableSpec("t", plain.columns,
                     dialect_options=(("mysql_charset", "utf8mb3"), ("mysql_collate", "utf8mb3_general_ci")))
    assert decode(encode(ops.CreateTableOp(held))) == ops.CreateTableOp(held)
    table = held.to_table()
    assert table.dialect_kwargs["mysql_charset"] == "utf8mb3"
    assert TableSpec.from_table(table).dialect_options == held.dialect_options


def test_on_mariadb_a_character_set_statement_that_changes_nothing_is_not_an_irreversible_event(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """As neutron's d553edeb540f: ``ALTER TABLE tags CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin``
    then ``ALTER TABLE tags CHARACTER SET utf8mb4 COLLATE utf8mb4_bin``, which finds the table so
    already. The first is the table's new options; the second can change only what the ledger holds
    of the table and changed none of it, so nothing is recorded of it (as of an Alembic op that
    changes nothing) and a plain rollback undoes the revision."""
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('tags', sa.Column('standard_attr_id', sa.BigInteger, primary_key=True),"
         " sa.Column('tag', sa.String(255), primary_key=True), mysql_collate='utf8mb4_unicode_ci')"],
        ["op.execute('ALTER TABLE tags CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')",
         "op.execute('ALTER TABLE tags CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')"],
    ])
    assert [e.op_type for e in hook_events(url)] == ["create_table", "alter_table_options"]
    code, out = ledger_cli(url, tmp_path, "rollback", "--to", "base")
    assert code == 0, out
    assert table_names(url) == []
