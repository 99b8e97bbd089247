"""The vocabulary of schema change: operations as plain values, and the schema as a value."""

from .base import (
    OP_TYPES,
    InvalidOperationError,
    IrreversibleError,
    LedgerError,
    LedgerFormatError,
    MigrateOperation,
    UnknownTypeError,
    op_type,
)
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
from .table import CreateTableCommentOp, CreateTableOp, DropTableCommentOp, DropTableOp, RenameTableOp

__all__ = [
    "AbstractOperations",
    "AddColumnOp",
    "AddConstraintOp",
    "AlterColumnOp",
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
