"""Every customer has a name; order lines become order items."""

import sqlalchemy as sa

revision = "0005"
down_revision = "0004"


def upgrade(op):
    # Fill the gaps before the column becomes NOT NULL; the reverse empties them again.
    op.execute(
        "UPDATE customers SET name = email WHERE name IS NULL",
        reverse_sql="UPDATE customers SET name = NULL WHERE name = email",
    )
    op.alter_column("customers", "name", type_=sa.String(160), nullable=False)
    op.rename_table("order_lines", "order_items")
    op.alter_column("products", "title", new_column_name="name")
