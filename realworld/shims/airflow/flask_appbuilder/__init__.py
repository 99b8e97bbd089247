from airflow.settings import Nothing

SQLA = Nothing()
