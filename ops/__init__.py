"""The vocabulary of schema change: operations as plain values, and the schema as a value."""

# The exceptions come from ops.base alone; any other name loads every module of the package
# (so that every op type is registered): importing ``ops`` for its errors stays cheap.

from typing import TYPE_CHECKING

from .base import (
    InvalidOperationError,
    IrreversibleError,
    LedgerError,
    LedgerFormatError,
    RegistrationError,
    UnknownTypeError,
)

if TYPE_CHECKING:
    from .base import OP_TYPES, MigrateOperation, op_type
    from .column import AddColumnOp, AlterColumnOp, DropColumnOp
    from .constraint import (
        AddConstraintOp,
        CreateCheckConstraintOp,
        CreateForeignKeyOp,
        CreatePrimaryKeyOp,
        CreateUniqueConstraintOp,
        DropConstraintOp,
    )
    from .index import CreateIndexOp, DropIndexOp
    from .operations import AbstractOperations, BatchOperations, Operations, record
    from .specs import (
        DEFAULT_NAMING_CONVENTION,
        CheckSpec,
        ColumnSpec,
        ComputedSpec,
        DefaultSpec,
        ForeignKeySpec,
        IdentitySpec,
        IndexElement,
        IndexSpec,
        PrimaryKeySpec,
        TableSpec,
        TypeSpec,
        UniqueSpec,
        register_type,
    )
    from .sql import ExecuteSQLOp
    from .state import SchemaState
    from .table import AlterTableOptionsOp, CreateTableCommentOp, CreateTableOp, DropTableCommentOp, DropTableOp, RenameTableOp

#: where each name of the package is defined
_WHERE = {
    "OP_TYPES": "base",
    "MigrateOperation": "base",
    "op_type": "base",
    "AddColumnOp": "column",
    "AlterColumnOp": "column",
    "DropColumnOp": "column",
    "AddConstraintOp": "constraint",
    "CreateCheckConstraintOp": "constraint",
    "CreateForeignKeyOp": "constraint",
    "CreatePrimaryKeyOp": "constraint",
    "CreateUniqueConstraintOp": "constraint",
    "DropConstraintOp": "constraint",
    "CreateIndexOp": "index",
    "DropIndexOp": "index",
    "AbstractOperations": "operations",
    "BatchOperations": "operations",
    "Operations": "operations",
    "record": "operations",
    "DEFAULT_NAMING_CONVENTION": "specs",
    "CheckSpec": "specs",
    "ColumnSpec": "specs",
    "ComputedSpec": "specs",
    "DefaultSpec": "specs",
    "ForeignKeySpec": "specs",
    "IdentitySpec": "specs",
    "IndexElement": "specs",
    "IndexSpec": "specs",
    "PrimaryKeySpec": "specs",
    "TableSpec": "specs",
    "TypeSpec": "specs",
    "UniqueSpec": "specs",
    "register_type": "specs",
    "ExecuteSQLOp": "sql",
    "SchemaState": "state",
    "AlterTableOptionsOp": "table",
    "CreateTableCommentOp": "table",
    "CreateTableOp": "table",
    "DropTableCommentOp": "table",
    "DropTableOp": "table",
    "RenameTableOp": "table",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import base, column, constraint, index, operations, specs, sql, state, table

    modules = {"base": base, "column": column, "constraint": constraint, "index": index, "operations": operations,
               "specs": specs, "sql": sql, "state": state, "table": table}
    for key, module in _WHERE.items():
        globals()[key] = getattr(modules[module], key)
    return globals()[name]

__all__ = [
    "AbstractOperations",
    "AddColumnOp",
    "AddConstraintOp",
    "AlterColumnOp",
    "AlterTableOptionsOp",
    "BatchOperations",
    "CheckSpec",
    "ColumnSpec",
    "ComputedSpec",
    "CreateCheckConstraintOp",
    "CreateForeignKeyOp",
    "CreateIndexOp",
    "CreatePrimaryKeyOp",
    "CreateTableCommentOp",
    "CreateTableOp",
    "CreateUniqueConstraintOp",
    "DEFAULT_NAMING_CONVENTION",
    "DefaultSpec",
    "DropColumnOp",
    "DropConstraintOp",
    "DropIndexOp",
    "DropTableCommentOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "ForeignKeySpec",
    "IdentitySpec",
    "IndexElement",
    "IndexSpec",
    "InvalidOperationError",
    "IrreversibleError",
    "LedgerError",
    "LedgerFormatError",
    "MigrateOperation",
    "OP_TYPES",
    "Operations",
    "PrimaryKeySpec",
    "RegistrationError",
    "RenameTableOp",
    "SchemaState",
    "TableSpec",
    "TypeSpec",
    "UniqueSpec",
    "UnknownTypeError",
    "op_type",
    "record",
    "register_type",
]
