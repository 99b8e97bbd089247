"""oslo_utils.uuidutils.generate_uuid: 882b2d84cb1b gives each attribute row a uuid."""
import uuid


def generate_uuid() -> str:
    return str(uuid.uuid4())
