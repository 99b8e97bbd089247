from enum import StrEnum


class ActionType(StrEnum):
    access = "access"
    consent = "consent"
    erasure = "erasure"
    update = "update"
