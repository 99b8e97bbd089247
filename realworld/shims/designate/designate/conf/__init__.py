"""designate.conf.CONF: the options c9f427f7180a reads, at their defaults (designate/conf/base.py, central.py)."""
from types import SimpleNamespace


class _Conf(SimpleNamespace):
    def __getitem__(self, group):
        return getattr(self, group.replace(":", "_"))


CONF = _Conf(default_ttl=3600,
             service_central=SimpleNamespace(default_pool_id="794ccc2c-d751-44fe-b57f-8894c9f5c842"))
