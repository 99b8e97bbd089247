"""solum.objects.sqlalchemy.models (solum 15.0.0): the two column types its revisions use, as solum
writes them; its YAML one (solum's yamlutils wraps PyYAML) as JSON, no revision writing a row."""
import json

from sqlalchemy import types


class JSONEncodedDict(types.TypeDecorator):
    """Represents an immutable structure as a json-encoded string."""

    impl = types.TEXT

    def process_bind_param(self, value, dialect):
        if value is not None:
            value = json.dumps(value)
        return value

    def process_result_value(self, value, dialect):
        if value is not None:
            value = json.loads(value)
        return value


class YAMLEncodedDict(JSONEncodedDict):
    """Represents an immutable structure as a yaml-encoded string (here as JSON, which YAML reads)."""
