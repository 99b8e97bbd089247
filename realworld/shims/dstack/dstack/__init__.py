"""What dstack's Alembic history (dstack/_internal/server/migrations) imports of dstack."""
