"""invenio_jobs.models' RunStatusEnum, whose values 356496a01197 stores in the runs' status column
(sqlalchemy_utils' ChoiceType), as invenio-jobs 11.1.0 defines it."""
import enum


class RunStatusEnum(enum.Enum):
    """Enumeration of a run's possible states."""

    QUEUED = "Q"
    RUNNING = "R"
    SUCCESS = "S"
    FAILED = "F"
    WARNING = "W"
    CANCELLING = "C"
    CANCELLED = "X"
    PARTIAL_SUCCESS = "P"
