"""fief: its revisions ``import fief`` and name ``fief.models.generics.GUID``; the package's own
``__init__`` does not load that module, its application does (here this shim)."""

from fief.models import generics

__all__ = ["generics"]
