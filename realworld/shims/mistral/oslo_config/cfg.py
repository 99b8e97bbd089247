"""oslo_config.cfg.CONF with the one option 027 reads, at its default."""
import types

CONF = types.SimpleNamespace(action_heartbeat=types.SimpleNamespace(first_heartbeat_timeout=3600))
