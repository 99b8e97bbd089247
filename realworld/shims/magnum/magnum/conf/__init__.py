"""magnum.conf.CONF: 592131657ca1 reads it at import and uses nothing of it."""
import types

CONF = types.SimpleNamespace()
