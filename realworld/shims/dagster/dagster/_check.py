def invariant(condition, message=""):
    if not condition:
        raise AssertionError(message)
    return True


def __getattr__(name):
    return lambda value, *args, **kwargs: value
