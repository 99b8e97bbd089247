"""fastapi_users.exceptions: the one exception 482cd6517ce4 imports."""


class FastAPIUsersException(Exception):
    pass


class UserAlreadyExists(FastAPIUsersException):
    pass
