"""oslo_utils.uuidutils.generate_uuid: a column default of aodh's models."""
import uuid


def generate_uuid() -> str:
    return str(uuid.uuid4())
