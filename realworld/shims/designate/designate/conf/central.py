"""designate.conf.central.register_opts: its options are in the CONF shim already."""


def register_opts(conf):
    return None
