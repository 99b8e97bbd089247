"""What dagster's migrations use of dagster._core.storage.sql."""
import sqlalchemy as db
from sqlalchemy.dialects import mysql
from sqlalchemy.ext.compiler import compiles


class get_sql_current_timestamp(db.sql.expression.FunctionElement):  # noqa: N801 - as dagster names it
    type = db.types.DateTime()
    inherit_cache = True


@compiles(get_sql_current_timestamp, "mysql")
def _mysql_timestamp(element, compiler, **kw):
    return "CURRENT_TIMESTAMP(6)"


@compiles(get_sql_current_timestamp)
def _timestamp(element, compiler, **kw):
    return "CURRENT_TIMESTAMP"


LongText = db.Text().with_variant(mysql.LONGTEXT, "mysql")


class MySQLCompatabilityTypes:
    UniqueText = db.String(512)
    LongText = LongText
