"""Loaded at start-up (sitecustomize): SQLAlchemy 1.4's behaviours for a history written for it
(realworld_sqlalchemy14.py)."""
from realworld_sqlalchemy14 import as_sqlalchemy_14

as_sqlalchemy_14()
