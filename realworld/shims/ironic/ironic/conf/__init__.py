"""ironic.conf.CONF: the options ironic's revisions read, at ironic's defaults."""
import types

CONF = types.SimpleNamespace(
    default_portgroup_mode="active-backup",
    default_network_interface=None,
    dhcp=types.SimpleNamespace(dhcp_provider="neutron"),
)
