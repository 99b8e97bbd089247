"""datajunction_server/database/measure.py: the column type a revision declares (JSON)."""

from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator


class MeasureAggregationRuleType(TypeDecorator):
    impl = JSON
