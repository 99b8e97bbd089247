"""Orders and their lines; deleting a customer deletes their orders."""

import sqlalchemy as sa

revision = "0003"
down_revision = "0002"


def upgrade(op):
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False, server_default="new"),
        sa.Column("placed_at", sa.DateTime),
    )
    op.create_foreign_key(None, "orders", "customers", ["customer_id"], ["id"], ondelete="CASCADE")
    op.create_index(None, "orders", ["customer_id"])
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Integer, sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
        sa.Column("line_no", sa.Integer, nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("order_id", "line_no"),
        sa.CheckConstraint("quantity > 0", name="ck_order_lines_quantity_positive"),
    )
