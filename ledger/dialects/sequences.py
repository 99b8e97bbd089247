"""Sequences a database holds on their own (PostgreSQL's and MariaDB's ``CREATE SEQUENCE``).

The fold holds tables only: a sequence is recorded as the ledger records any DDL it does not
model, an ``execute`` op holding its ``CREATE SEQUENCE`` with its ``DROP SEQUENCE`` as the reverse.
A baseline writes one for each sequence the database holds (flask_appbuilder's models draw their
ids from ``sa.Sequence``: without them a replayed baseline lacks what the next revision's
``INSERT`` reads). A sequence a column owns (PostgreSQL's ``SERIAL``, an identity) is not one of
them: replaying its column makes it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from ops import ExecuteSQLOp
from ops.base import LedgerFormatError

__all__ = ["SequenceSpec", "sequence_op", "sequences_from_json", "sequences_to_json"]

#: PostgreSQL's sequence types other than its default (bigint), as ``CREATE SEQUENCE ... AS`` takes them
_DATA_TYPES: dict[str, type[sa.types.TypeEngine[Any]]] = {"integer": sa.Integer, "smallint": sa.SmallInteger}
_NUMBERS = ("start", "increment", "minvalue", "maxvalue", "cache")


@attrs.frozen
class SequenceSpec:
    """A sequence as the database stores it: its name and every option it reports."""

    name: str
    schema: str | None = None
    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cache: int | None = None
    cycle: bool = False
    #: "integer" or "smallint" (PostgreSQL's ``AS``); None: the database's default, bigint
    data_type: str | None = None

    def to_sa(self) -> sa.Sequence:
        data_type = _DATA_TYPES[self.data_type]() if self.data_type in _DATA_TYPES else None
        return sa.Sequence(self.name, schema=self.schema, start=self.start, increment=self.increment,
                           minvalue=self.minvalue, maxvalue=self.maxvalue, cache=self.cache, cycle=self.cycle,
                           data_type=data_type)

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: Any) -> SequenceSpec:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"]:
            raise LedgerFormatError("a sequence must be an object with a name")
        unknown = set(data) - {f.name for f in attrs.fields(cls)}
        if unknown:
            raise LedgerFormatError(f"sequence {data['name']}: unknown fields {', '.join(sorted(unknown))}")
        for key in _NUMBERS:
            value = data.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise LedgerFormatError(f"sequence {data['name']}: {key} must be an integer")
        if not isinstance(data.get("cycle", False), bool):
            raise LedgerFormatError(f"sequence {data['name']}: cycle must be true or false")
        for key in ("schema", "data_type"):
            if data.get(key) is not None and not isinstance(data[key], str):
                raise LedgerFormatError(f"sequence {data['name']}: {key} must be a string")
        if data.get("data_type") is not None and data["data_type"] not in _DATA_TYPES:
            raise LedgerFormatError(f"sequence {data['name']}: unknown data_type {data['data_type']!r}")
        return cls(**data)


def sequence_op(sequence: SequenceSpec, dialect: sa.engine.Dialect) -> ExecuteSQLOp:
    """The ``execute`` op that makes ``sequence`` on ``dialect``, its ``DROP SEQUENCE`` the reverse."""
    made = sequence.to_sa()
    return ExecuteSQLOp(str(sa.schema.CreateSequence(made).compile(dialect=dialect)),
                        reverse_sql=str(sa.schema.DropSequence(made).compile(dialect=dialect)))


def sequences_to_json(sequences: Sequence[SequenceSpec]) -> list[dict[str, Any]]:
    return [s.to_json() for s in sorted(sequences, key=lambda s: (s.schema or "", s.name))]


def sequences_from_json(data: Any) -> tuple[SequenceSpec, ...]:
    """The ``sequences`` of a schema document (none when it has no such key)."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise LedgerFormatError("a schema document's sequences must be a list")
    return tuple(SequenceSpec.from_json(item) for item in data)
