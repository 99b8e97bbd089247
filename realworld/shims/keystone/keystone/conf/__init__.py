"""keystone.conf.CONF: the option keystone's initial revision reads, at keystone's default."""
import types

CONF = types.SimpleNamespace(saml=types.SimpleNamespace(relay_state_prefix="ss:mem:"))
