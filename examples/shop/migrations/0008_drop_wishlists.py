"""Wishlists moved to their own service; the customer name index is replaced by email lookups."""

revision = "0008"
down_revision = "0007"


def upgrade(op):
    op.drop_table("wishlist")
    op.drop_index("ix_customers_name", table_name="customers")
    op.drop_constraint("ck_products_price_not_negative", "products", type_="check")
    op.create_check_constraint("ck_products_price_positive", "products", "price > 0")
    op.drop_column("orders", "note")
