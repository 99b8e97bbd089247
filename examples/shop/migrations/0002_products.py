"""Products, with a price that cannot be negative."""

import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade(op):
    op.create_table(
        "products",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sku", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        comment="Everything the shop sells",
    )
    op.create_unique_constraint("uq_products_sku", "products", ["sku"])
    op.create_check_constraint("ck_products_price_not_negative", "products", "price >= 0")
