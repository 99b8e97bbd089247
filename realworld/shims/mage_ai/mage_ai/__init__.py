"""mage_ai as its Alembic history imports it (mage_ai/orchestration/db/migrations/versions)."""
