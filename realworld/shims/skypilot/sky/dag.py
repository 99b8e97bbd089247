"""sky.dag's DagExecution, whose value a spot_jobs revision writes as a column's default."""
import enum


class DagExecution(enum.Enum):
    SERIAL = 'serial'
    PARALLEL = 'parallel'
