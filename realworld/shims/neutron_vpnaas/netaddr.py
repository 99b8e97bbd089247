"""netaddr's IPAddress, as one neutron-vpnaas revision uses it (its ``version``), on the standard library."""

import ipaddress


class IPAddress:
    def __init__(self, address):
        self.version = ipaddress.ip_address(address).version
