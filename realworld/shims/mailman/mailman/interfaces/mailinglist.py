"""The enums of mailman.interfaces.mailinglist that revisions import (values as in mailman 3.3.10)."""
from enum import Enum


class DMARCMitigateAction(Enum):
    no_mitigation = 0
    munge_from = 1
    wrap_message = 2
    reject = 3
    discard = 4


class SubscriptionPolicy(Enum):
    open = 0
    confirm = 1
    moderate = 2
    confirm_then_moderate = 3
