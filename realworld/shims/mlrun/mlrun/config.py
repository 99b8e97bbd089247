"""mlrun.config.config: the one option a revision reads, at mlrun 1.5.2's default."""
import types

config = types.SimpleNamespace(httpdb=types.SimpleNamespace(
    scheduling=types.SimpleNamespace(default_concurrency_limit=1)))
