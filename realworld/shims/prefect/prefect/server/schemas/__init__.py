from . import core, schedules, states

__all__ = ["core", "schedules", "states"]
