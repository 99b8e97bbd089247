"""What datajunction-server's Alembic history (datajunction_server/alembic) imports of it."""
