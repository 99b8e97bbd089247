"""bentoml.yatai.db (bentoml 0.13.1): the declarative base of its stores (base.py, copied); the engine
and session helpers beside it are not used by the revisions."""
from bentoml.yatai.db.base import Base

__all__ = ["Base"]
