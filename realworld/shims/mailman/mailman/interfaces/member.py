"""The enum of mailman.interfaces.member that revisions import (values as in mailman 3.3.10)."""
from enum import Enum


class MemberRole(Enum):
    member = 1
    owner = 2
    moderator = 3
    nonmember = 4
