"""Loaded at start-up (sitecustomize): modules airflow's data migrations import only to convert rows
(the execution API's models, cadwyn, uuid6, dill, structlog; airflow 2's FAB models and permissions
...). On an empty database they convert nothing; each name they import is a placeholder class."""
from realworld_placeholders import install

install(("airflow.api_fastapi", "airflow.sdk", "airflow.serialization", "airflow.models.taskinstance",
         "airflow.utils.hashlib_wrapper", "cadwyn", "uuid6", "dill", "structlog",
         "airflow.models.dagcode"))
install(("airflow.security",), constants=True)
