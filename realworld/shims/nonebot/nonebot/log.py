"""nonebot's loguru logger, as a logger of the standard library (its info and debug lines are not shown)."""
import logging

logger = logging.getLogger("nonebot")
