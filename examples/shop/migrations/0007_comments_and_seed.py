"""Document the tables and add the gift-card product."""

import sqlalchemy as sa

revision = "0007"
down_revision = "0006"


def upgrade(op):
    op.create_table_comment("customers", "People and companies who order")
    op.drop_table_comment("products")
    op.create_table_comment("products", "Everything the shop sells, by SKU")
    op.alter_column("orders", "note", comment="Free text from the customer")
    op.execute(
        "INSERT INTO products (sku, name, price) VALUES ('GIFT-25', 'Gift card', 25.00)",
        reverse_sql="DELETE FROM products WHERE sku = 'GIFT-25'",
    )
