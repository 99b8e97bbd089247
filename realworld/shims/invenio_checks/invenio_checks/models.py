"""invenio_checks.models' Severity and CheckRunStatus, whose values 1742549302 and 1777225247 store in the
checks' columns (sqlalchemy_utils' ChoiceType), as invenio-checks 12.0.1 defines them."""
import enum


class Severity(enum.Enum):
    """Severity levels for checks."""

    INFO = "I"
    WARN = "W"
    FAIL = "F"


class CheckRunStatus(enum.Enum):
    """Status of a check run."""

    PENDING = "P"
    RUNNING = "R"
    COMPLETED = "C"
    ERROR = "E"
