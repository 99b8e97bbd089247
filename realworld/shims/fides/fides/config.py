"""fides.config's CONFIG: the two keys fides' revisions encrypt with, at fides' test values."""

from types import SimpleNamespace

CONFIG = SimpleNamespace(security=SimpleNamespace(app_encryption_key="OLMkv91j8DHiDAULnK5Lxx3kSCov30b3"),
                         user=SimpleNamespace(encryption_key="test_encryption_key"))
