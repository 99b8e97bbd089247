"""nonebot's logger and ``require``, which the plugins' revisions import: no other plugin is loaded, so
``require`` of one (nonebot_plugin_datastore, whose data the data revisions move) raises as nonebot's does."""
from .log import logger

__all__ = ["logger", "require"]


def require(name: str):
    raise RuntimeError(f"Cannot load plugin {name!r}")
