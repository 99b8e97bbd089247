"""The test servers answer, and every test gets its own empty database."""

import sqlalchemy as sa


def test_fresh_database_is_empty_and_usable(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        assert sa.inspect(conn).get_table_names() == []
        conn.execute(sa.text("CREATE TABLE probe (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
        assert conn.execute(sa.text("SELECT x FROM probe")).scalar_one() == 1
