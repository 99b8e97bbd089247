"""The FAB models airflow 2's permission migrations query: an empty database has none of their rows."""
from airflow.settings import Nothing

Action = Permission = Resource = Nothing()
