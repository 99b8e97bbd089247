"""Orders get a note and a known set of statuses (one table rebuild on SQLite)."""

import sqlalchemy as sa

revision = "0006"
down_revision = "0005"


def upgrade(op):
    with op.batch_alter_table("orders") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text))
        batch_op.create_check_constraint(
            "ck_orders_status_known", "status IN ('new', 'paid', 'shipped', 'cancelled')"
        )
        batch_op.alter_column("placed_at", nullable=False, server_default=sa.func.current_timestamp())
