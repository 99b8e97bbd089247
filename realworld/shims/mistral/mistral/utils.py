"""mistral.utils (mistral 23.0.0): the JSON helpers of mistral.db.sqlalchemy.types (copied)."""
import json


def to_json_str(obj):
    return None if obj is None else json.dumps(obj)


def from_json_str(json_str):
    return None if json_str is None else json.loads(json_str)
