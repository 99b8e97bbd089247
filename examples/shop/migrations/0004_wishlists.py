"""Wishlists: customers keep products for later."""

import sqlalchemy as sa

revision = "0004"
down_revision = "0003"


def upgrade(op):
    op.create_table(
        "wishlist",
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id", ondelete="CASCADE"), nullable=False),
        sa.Column("product_id", sa.Integer, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
        sa.Column("added_at", sa.DateTime),
    )
    op.create_primary_key("pk_wishlist", "wishlist", ["customer_id", "product_id"])
