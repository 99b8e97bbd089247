from enum import StrEnum


class ConsentMechanism(StrEnum):
    opt_in = "opt_in"
    opt_out = "opt_out"
    notice_only = "notice_only"
