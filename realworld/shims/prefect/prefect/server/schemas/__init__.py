from . import core, schedules, states  # noqa: F401
