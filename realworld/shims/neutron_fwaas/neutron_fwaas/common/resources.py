"""neutron_fwaas.common.resources: FIREWALL_GROUP is fwaas's firewall group model, which only
876782258a43's sanity check queries (neutron-db-manage calls it apart from the upgrade); a class
with no table stands in."""


class FirewallGroup:
    name = None


FIREWALL_GROUP = FirewallGroup
