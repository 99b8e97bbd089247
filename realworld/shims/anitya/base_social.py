"""What anitya 0.12's app does to its models before it runs (anitya.app.create): python-social-auth's
tables (social_flask_sqlalchemy's models) are completed with the columns that refer to anitya's
users (``init_social``), as anitya's feeaa70ead67 made them; its 8ba7d4c42044 drops them."""
import types

from anitya.db import Session
from social_flask_sqlalchemy import models

models.init_social(types.SimpleNamespace(config={"SOCIAL_AUTH_USER_MODEL": "anitya.db.models.User"}), Session)
metadata = models.PSABase.metadata
