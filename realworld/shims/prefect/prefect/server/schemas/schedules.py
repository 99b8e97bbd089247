"""Pydantic models named as arguments of the Pydantic column type; their shape is not stored."""


def __getattr__(name):
    return type(name, (), {})
