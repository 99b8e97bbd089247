"""What prefect's migrations use of prefect: the column types of prefect.server.utilities.database."""
import prefect.server.schemas.core  # migrations reach them as prefect.server....
import prefect.server.utilities.database

__all__ = ["prefect"]
