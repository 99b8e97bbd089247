"""oslo_utils.timeutils.normalize_time: what senlin.db.sqlalchemy.types reads rows with."""


def normalize_time(timestamp):
    offset = timestamp.utcoffset()
    return timestamp if offset is None else timestamp.replace(tzinfo=None) - offset
