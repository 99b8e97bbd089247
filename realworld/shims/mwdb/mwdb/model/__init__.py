"""mwdb/model/oauth.py (re-exported by mwdb.model): the enum a revision makes a database enum of."""

from enum import Enum


class OpenIDGroupManagementMode(Enum):
    NONE = "NONE"
    FULL = "FULL"
    MIXED = "MIXED"
