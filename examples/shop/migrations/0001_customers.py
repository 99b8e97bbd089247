"""Customers: who buys things."""

import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade(op):
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(80)),
        sa.Column("created_at", sa.DateTime, nullable=False, server_default=sa.func.current_timestamp()),
    )
    op.create_index("ix_customers_name", "customers", ["name"])
