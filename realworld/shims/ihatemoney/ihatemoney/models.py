"""ihatemoney.models.BillType: the enum a revision makes its column's type from (ihatemoney 7.2.1)."""
from enum import Enum


class BillType(Enum):
    EXPENSE = "Expense"
    REIMBURSEMENT = "Reimbursement"
