"""Benchmarks: schema-ledger against a baseline measured in the same run (raw SQL, Alembic)."""
