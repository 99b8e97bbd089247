"""oslo_db.exception: the exception classes ironic's revisions catch."""


class DBError(Exception):
    pass


class DBNonExistentConstraint(DBError):
    pass
