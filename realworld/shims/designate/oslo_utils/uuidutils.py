"""oslo_utils.uuidutils.generate_uuid: what designate's revisions call."""
import uuid


def generate_uuid() -> str:
    return str(uuid.uuid4())
