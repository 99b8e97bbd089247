"""Loaded at start-up (sitecustomize): what dagster's env.py sets up before migrating, the instance being
upgraded (here: one without a scheduler)."""
import types

from dagster._core.storage.migration import utils

utils._UPGRADING_INSTANCE = types.SimpleNamespace(scheduler=None)
