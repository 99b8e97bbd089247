"""superset.tags.models: the enums superset's migrations declare columns with (copied from 6.1.0)."""
import enum


class TagType(enum.Enum):
    custom = 1
    type = 2
    owner = 3
    favorited_by = 4


class ObjectType(enum.Enum):
    query = 1
    chart = 2
    dashboard = 3
    dataset = 4
