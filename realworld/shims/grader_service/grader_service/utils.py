"""grader_service.utils: the token generator ba71c755c153 fills new rows with (UUIDs, as the package's)."""
import uuid


def new_token(*args, **kwargs):
    return uuid.uuid4().hex
