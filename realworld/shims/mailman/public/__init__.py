"""atpublic's ``@public`` (adds a name to ``__all__``): mailman's helper modules decorate with it."""


def public(thing):
    return thing
