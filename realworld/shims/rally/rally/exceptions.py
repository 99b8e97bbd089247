"""rally.exceptions: the two errors its revisions raise."""


class RallyException(Exception):
    pass


class DowngradeNotSupported(RallyException):
    pass


class InvalidTaskException(RallyException):
    pass
