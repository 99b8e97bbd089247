"""orjson's ``loads``/``dumps`` (bytes), as the standard library's json does them."""
import json


def loads(value):
    return json.loads(value)


def dumps(value, *args, **kwargs):
    return json.dumps(value, separators=(",", ":")).encode()
