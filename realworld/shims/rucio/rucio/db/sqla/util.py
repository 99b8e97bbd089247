"""rucio.db.sqla.util.try_drop_constraint (rucio 41.5.1), as rucio writes it: a drop of a constraint that an
Oracle database may not hold."""
from alembic import op
from sqlalchemy.exc import DatabaseError


def try_drop_constraint(constraint_name: str, table_name: str) -> None:
    try:
        op.drop_constraint(constraint_name, table_name)
    except DatabaseError as e:
        if 'nonexistent constraint' not in str(e):
            raise RuntimeError(e)
