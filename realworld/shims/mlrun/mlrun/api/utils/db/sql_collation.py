"""mlrun.api.utils.db.sql_collation: ``utf8_bin`` when mlrun's DSN is MySQL's, SQLite's default
collation otherwise. mlrun reads the DSN from its environment; here the migration's own connection
tells (the revisions call ``collation()`` inside ``upgrade()``)."""
from alembic import op


class SQLCollationUtil:
    class Collations:
        # with sqlite we use the default collation
        sqlite = None
        mysql = "utf8_bin"

    @staticmethod
    def collation():
        if op.get_bind().dialect.name == "mysql":
            return SQLCollationUtil.Collations.mysql
        return SQLCollationUtil.Collations.sqlite
