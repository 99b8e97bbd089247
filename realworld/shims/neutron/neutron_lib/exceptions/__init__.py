"""neutron_lib.exceptions (neutron-lib): the base class of the errors that revisions raise on duplicate rows."""


class NeutronException(Exception):
    message = "An unknown exception occurred."

    def __init__(self, **kwargs):
        self.msg = self.message % kwargs
        super().__init__(self.msg)


class Conflict(NeutronException):
    pass
