"""neutron_fwaas._i18n: no translation."""


def _(message):
    return message
