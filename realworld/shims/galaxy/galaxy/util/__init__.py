"""What galaxy's revisions and their helper modules take from galaxy.util (galaxy-util 26.1.2)."""
from datetime import datetime, timezone


def listify(item, do_strip=False):
    """galaxy.util.listify: a list of ``item`` (a comma-separated string is split)."""
    if not item:
        return []
    if isinstance(item, list):
        return item
    if isinstance(item, tuple):
        return list(item)
    if isinstance(item, str) and item.count(","):
        return [token.strip() for token in item.split(",")] if do_strip else item.split(",")
    return [item]


def now():
    """galaxy.util.now: the current UTC time without a time zone, as galaxy stores it."""
    return datetime.now(timezone.utc).replace(tzinfo=None)
