AIRFLOW_MOVED_TABLE_PREFIX = "_airflow_moved"
