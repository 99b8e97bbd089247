"""mistral_lib.utils.utc_now_sec, a fixed clock (044 writes it into a row; 027 makes it a column default)."""
import datetime


def utc_now_sec():
    return datetime.datetime(2026, 1, 1, 0, 0, 0)
