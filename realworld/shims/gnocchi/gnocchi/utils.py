"""gnocchi/utils.py: what its revisions and indexer/sqlalchemy_types.py use (the module imports
daiquiri, numpy, oslo_config and tenacity)."""

import datetime
import uuid

RESOURCE_ID_NAMESPACE = uuid.UUID('0a7a15ff-aa13-4ac2-897c-9bdf30ce175b')


def ResourceUUID(value, creator):
    if isinstance(value, uuid.UUID):
        return value
    if '/' in value:
        raise ValueError("'/' is not supported in resource id")
    try:
        return uuid.UUID(value)
    except ValueError:
        if len(value) <= 289:
            return uuid.uuid5(RESOURCE_ID_NAMESPACE, value + "\x00" + creator)
        raise ValueError('transformable resource id >289 max allowed characters')


def utcnow():
    # fixed, so that every run writes the same values
    return datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def normalize_time(timestamp):
    """Normalize time in arbitrary timezone to UTC naive object."""
    offset = timestamp.utcoffset()
    if offset is None:
        return timestamp
    return timestamp.replace(tzinfo=None) - offset
