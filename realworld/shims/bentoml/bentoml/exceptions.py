"""bentoml.exceptions: the errors the copied label and lock stores name (raised only by their queries)."""


class BentoMLException(Exception):
    pass


class InvalidArgument(BentoMLException):
    pass


class YataiLabelException(BentoMLException):
    pass


class LockUnavailable(BentoMLException):
    pass
