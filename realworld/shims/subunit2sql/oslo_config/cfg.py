"""oslo_config.cfg.CONF with the option subunit2sql's 1679b5bc102c reads, at subunit2sql's default."""
import types

CONF = types.SimpleNamespace(disable_microsecond_data_migration=False)
