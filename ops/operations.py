"""The ``op`` facade of migration files, batch blocks, and the plugin API.

Every facade method exists because an operation class registered itself with
:meth:`Operations.register_operation`; what an operation does to a database is registered apart
with :meth:`Operations.implementation_for`, per database or for all of them. That registry is
the one place every operation's SQL is found: the ledger fills it with its DDL generators for
the built-in ops (see ``ledger.dialects``), plugins with functions for their own ops, and
apply, rollback, drill, recover and ``--sql`` look every op up there (docs/design.md,
"Add an operation").
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from .base import InvalidOperationError, MigrateOperation

__all__ = ["AbstractOperations", "BatchOperations", "Operations", "record"]

_T = TypeVar("_T")
Implementation = Callable[["AbstractOperations", MigrateOperation], Any]


class AbstractOperations:
    """The plumbing shared by ``op`` and ``batch_op``: invoking ops and the plugin registries."""

    #: (op class, database name or None for every database) -> implementation
    _to_impl: dict[tuple[type[MigrateOperation], str | None], Implementation] = {}

    def __init__(
        self,
        invoke: Callable[[MigrateOperation], Any],
        *,
        naming_convention: Mapping[str, str] | None = None,
        context: Any = None,
    ) -> None:
        self._invoke = invoke
        self.naming_convention = naming_convention
        #: What an executing facade runs against (the ledger's migration context); None when recording.
        self.migration_context = context

    # -- plugin API ----------------------------------------------------------------------------

    @classmethod
    def register_operation(cls, name: str, sourcename: str | None = None) -> Callable[[type[_T]], type[_T]]:
        """Class decorator: expose ``op_class.<sourcename or name>`` as facade method ``name``."""

        def register(op_class: type[_T]) -> type[_T]:
            source = getattr(op_class, sourcename or name)

            @functools.wraps(source)
            def method(self: AbstractOperations, *args: Any, **kwargs: Any) -> Any:
                return source(self, *args, **kwargs)

            setattr(cls, name, method)
            return op_class

        return register

    @classmethod
    def implementation_for(
        cls, op_class: type[MigrateOperation], dialect: str | None = None, *, replace: bool = True
    ) -> Callable[[Implementation], Implementation]:
        """Decorator: register ``fn(operations, op)`` as what ``op_class`` does on a database.

        ``dialect`` ("sqlite", "postgresql", "mysql"; MariaDB is "mysql") limits it to one
        database; without it, it serves every database that has no implementation of its own.
        ``fn`` issues the op's SQL through the facade it is given (``operations.execute(sql)``),
        and may read ``operations.migration_context`` (``dialect``, ``state``: the schema before
        the op, ``connection``: None when statements are only printed). ``replace=False``
        registers ``fn`` only where nothing is registered for ``op_class`` on ``dialect`` yet.
        """

        def register(fn: Implementation) -> Implementation:
            if replace:
                cls._to_impl[(op_class, dialect)] = fn
            else:
                cls._to_impl.setdefault((op_class, dialect), fn)
            return fn

        return register

    @classmethod
    def implementation(cls, op: MigrateOperation, dialect: str | None = None) -> Implementation:
        """What carries out ``op`` on ``dialect``: the most specific class of ``op`` that has one,
        the database's own before the one for every database."""
        found = cls.find_implementation(type(op), dialect)
        if found is None:
            where = f" on {dialect}" if dialect else ""
            raise InvalidOperationError(f"no implementation is registered for {type(op).__name__}{where}")
        return found

    @classmethod
    def find_implementation(cls, op_class: type[MigrateOperation], dialect: str | None = None) -> Implementation | None:
        for klass in op_class.__mro__:
            if dialect is not None:
                fn = cls._to_impl.get((klass, dialect))  # type: ignore[arg-type]
                if fn is not None:
                    return fn
            fn = cls._to_impl.get((klass, None))  # type: ignore[arg-type]
            if fn is not None:
                return fn
        return None

    def invoke(self, op: MigrateOperation) -> Any:
        return self._invoke(op)

    # -- conveniences Alembic users expect ------------------------------------------------------

    @staticmethod
    def f(name: str) -> str:
        """Mark a name as final (already conventional); kept for Alembic compatibility."""
        return name



class Operations(AbstractOperations):
    """What ``op`` is in a migration file: each method builds an operation and invokes it."""

    @contextlib.contextmanager
    def batch_alter_table(
        self, table_name: str, schema: str | None = None, recreate: str = "auto", **_ignored: Any
    ) -> Iterator[BatchOperations]:
        """Group changes to one table; on SQLite they share one table rebuild."""
        yield BatchOperations(self, table_name, schema)


class BatchOperations(AbstractOperations):
    """``batch_op`` inside ``with op.batch_alter_table(...)``: the table is implied."""

    def __init__(self, parent: AbstractOperations, table_name: str, schema: str | None) -> None:
        super().__init__(parent.invoke, naming_convention=parent.naming_convention, context=parent.migration_context)
        self.table_name = table_name
        self.schema = schema


def record(
    upgrade: Callable[[Operations], Any], *, naming_convention: Mapping[str, str] | None = None
) -> list[MigrateOperation]:
    """Call ``upgrade(op)`` with a recording facade; return the ops it issued, in order."""
    issued: list[MigrateOperation] = []
    upgrade(Operations(issued.append, naming_convention=naming_convention))
    return issued
