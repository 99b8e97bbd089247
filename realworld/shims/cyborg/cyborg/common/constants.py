"""cyborg.common.constants (openstack-cyborg 17.0.0): the states and attach types c1b5abada09c reads."""

ARQ_STATES = (
    ARQ_INITIAL,
    ARQ_BIND_STARTED,
    ARQ_BOUND,
    ARQ_UNBOUND,
    ARQ_BIND_FAILED,
    ARQ_UNBIND_FAILED,
    ARQ_DELETING,
) = ("Initial", "BindStarted", "Bound", "Unbound", "BindFailed", "UnbindFailed", "Deleting")

ATTACH_HANDLE_TYPES = (AH_TYPE_PCI, AH_TYPE_MDEV, AH_TYPE_TEST_PCI) = ("PCI", "MDEV", "TEST_PCI")
