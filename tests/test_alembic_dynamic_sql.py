"""SQL text of several statements is recorded as what its most far-reaching statement does: MySQL's
dynamic SQL (``SET @s = ...; PREPARE s FROM @s; EXECUTE s``) runs DDL its first word does not name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.integrations.alembic_sql import DATA, OTHER, READ, SCHEMA, classify
from tests.alembic_histories import check_everything, upgrade_with_hook

#: airflow 2.9's revision 686269002441 drops a unique constraint only where it exists
_DROP_IF_THERE = (
    "set @var=if((SELECT true FROM information_schema.TABLE_CONSTRAINTS WHERE"
    " CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = 'connection' AND CONSTRAINT_NAME = 'unique_conn_id'"
    " AND CONSTRAINT_TYPE = 'UNIQUE') = true,'ALTER TABLE connection DROP INDEX unique_conn_id','select 1');"
    " prepare stmt from @var; execute stmt; deallocate prepare stmt;")


@pytest.mark.parametrize(("statement", "category"), [
    (_DROP_IF_THERE, OTHER),
    ("SET lock_timeout = '1s'; ALTER TABLE t ADD x int", SCHEMA),
    ("SET @a = 1; UPDATE t SET x = @a", DATA),
    ("SELECT 1; SELECT 2;", READ),
    ("CREATE TABLE t (x int); INSERT INTO t VALUES (1)", SCHEMA),
    ("CREATE FUNCTION f() RETURNS int AS $$ BEGIN SELECT 1; RETURN 1; END $$ LANGUAGE plpgsql", SCHEMA),
    ("SET x = 1;", READ),
])
def test_a_text_of_several_statements_is_classified_by_its_most_far_reaching(statement: str, category: str) -> None:
    assert classify(statement) == category


def test_dynamic_sql_that_drops_a_unique_constraint_is_recorded_as_the_drop(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Run as airflow runs it (PyMySQL with CLIENT.MULTI_STATEMENTS): the fold follows the drop."""
    url = database_factory("mariadb") + "?client_flag=65536"
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('connection', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('conn_id', sa.String(250)))"],
        ["with op.batch_alter_table('connection') as batch_op:",
         "    batch_op.create_unique_constraint(constraint_name='unique_conn_id', columns=['conn_id'])"],
        [f"op.get_bind().execute(sa.text({_DROP_IF_THERE!r}))"],
    ], batch=True)
    check_everything(tmp_path, url, database_factory, "mariadb")
