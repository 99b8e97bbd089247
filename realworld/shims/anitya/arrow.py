"""arrow.utcnow(), a fixed clock: anitya's 1bf8aead6179 takes ``arrow.utcnow().datetime`` as a
column's Python-side default (nothing of it reaches the database)."""
import datetime
import types


def utcnow() -> types.SimpleNamespace:
    return types.SimpleNamespace(datetime=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
