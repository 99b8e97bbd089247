"""The enum of mailman.interfaces.action that revisions import (values as in mailman 3.3.10)."""
from enum import Enum


class Action(Enum):
    hold = 0
    reject = 1
    discard = 2
    accept = 3
    defer = 4
