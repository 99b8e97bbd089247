"""pytz.utc, which senlin.db.sqlalchemy.types reads rows with."""
import datetime

utc = datetime.timezone.utc
