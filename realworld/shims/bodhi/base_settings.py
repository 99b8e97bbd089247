"""Run before bodhi 5.7.5's models are imported: bodhi's settings (its defaults), with the two secrets
its validation requires to differ from their defaults, as a deployment's production.ini sets them, and
an empty celery configuration (bodhi.server.tasks reads it when imported)."""
import os

from bodhi.server.config import config

config.load_config({"authtkt.secret": "realworld-authtkt", "session.secret": "realworld-session",
                    "celery_config": os.path.join(os.path.dirname(os.path.abspath(__file__)), "base_celeryconfig.py")})
