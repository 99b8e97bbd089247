from faraday.server import fields

__all__ = ["fields"]
