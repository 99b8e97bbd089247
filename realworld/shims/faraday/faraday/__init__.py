"""faraday as its revisions import it (``import faraday``, then ``faraday.server.fields.JSONType``)."""
from faraday import server

__all__ = ["server"]
