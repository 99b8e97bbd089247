"""subunit2sql.read_subunit.get_duration (subunit2sql 1.10.0)."""


def get_duration(start, end):
    if not start or not end:
        duration = ''
    else:
        delta = end - start
        duration = '%d.%06ds' % (delta.days * 86400 + delta.seconds, delta.microseconds)
    return duration
