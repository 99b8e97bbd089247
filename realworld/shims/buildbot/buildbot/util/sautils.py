"""buildbot.util.sautils.Table: a Table with MySQL's engine and charset options."""
import sqlalchemy as sa


def Table(*args, **kwargs):  # noqa: N802 - as buildbot names it
    kwargs.setdefault("mysql_character_set", "utf8")
    return sa.Table(*args, **kwargs)
