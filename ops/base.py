"""The base of every operation, the op-type registry and the error hierarchy."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from .state import SchemaState

__all__ = [
    "InvalidOperationError",
    "IrreversibleError",
    "LedgerError",
    "LedgerFormatError",
    "MigrateOperation",
    "OP_TYPES",
    "RegistrationError",
    "UnknownTypeError",
    "op_type",
]


class LedgerError(Exception):
    """Base of every error schema-ledger raises for a user's input or a ledger's content."""


class InvalidOperationError(LedgerError, ValueError):
    """An operation does not fit the schema it is applied to."""


class IrreversibleError(LedgerError, RuntimeError):
    """An operation's reverse is unknown."""


class UnknownTypeError(LedgerError, LookupError):
    """A column type is neither built in nor registered."""


class RegistrationError(LedgerError, ValueError):
    """A plugin registration that clashes with another (a tag or type name taken) or lacks what it needs."""


class LedgerFormatError(LedgerError, ValueError):
    """A stored payload cannot be read: unknown tag, malformed JSON, wrong field types."""


#: Names for constraints and indexes created without one, in SQLAlchemy's template syntax.
DEFAULT_NAMING_CONVENTION: Mapping[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: op tag -> op class; every concrete operation registers here with :func:`op_type`.
OP_TYPES: dict[str, type[MigrateOperation]] = {}


def op_type(tag: str, *, version: int = 1):
    """Class decorator: give an operation class its payload tag and payload version."""

    def decorate(cls: type[MigrateOperation]) -> type[MigrateOperation]:
        if tag in OP_TYPES and OP_TYPES[tag] is not cls:
            raise RegistrationError(f"op type {tag!r} is already registered to {OP_TYPES[tag].__name__}")
        cls.op_tag = tag
        cls.payload_version = version
        OP_TYPES[tag] = cls
        return cls

    return decorate


class MigrateOperation:
    """Base of every schema operation: an inert value that folds onto a SchemaState."""

    op_tag: ClassVar[str] = ""
    payload_version: ClassVar[int] = 1

    @functools.cached_property
    def info(self) -> dict[Any, Any]:
        """A dict for arbitrary information about this op; outside equality and payloads."""
        return {}

    @property
    def reversible(self) -> bool:
        try:
            self.reverse()
        except IrreversibleError:
            return False
        return True

    def reverse(self) -> MigrateOperation:
        raise IrreversibleError(f"{self.describe()} has no reverse")

    def to_diff_tuple(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def apply(self, state: SchemaState) -> SchemaState:
        raise NotImplementedError

    def complete(self, state: SchemaState) -> MigrateOperation:
        """This op with what its reverse needs filled in from ``state`` (the state before it)."""
        return self

    def describe(self) -> str:
        return self.op_tag
