"""atpublic's ``public``: adds a name to its module's ``__all__``; here it gives back what it decorates."""


def public(thing=None, **kwargs):
    return thing
