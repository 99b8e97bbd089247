"""neutron._i18n: no translation."""


def _(message):
    return message
