"""One error tree: every error class of `ops` and `ledger` derives from LedgerError, and the CLI's exit
codes come from one table of those classes."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import ledger
import ops
from ledger import cli
from ledger.project.points import InvalidPoint
from ops import LedgerError

#: Not errors a caller gets: pytest's outcome for a failed migration test (pytest reports it; the
#: plugin module stays free of schema-ledger imports until a test runs), and click's exception that
#: carries a LedgerError's one line and exit code out of the CLI.
OUTCOMES = {"ledger.integrations.pytest_plugin.SchemaLedgerTestFailure", "ledger.integrations.pytest_plugin.DrillFailed", "ledger.cli.app.Failure"}


def _modules() -> list[str]:
    names = ["ops", "ledger"]
    for package in (ops, ledger):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name != "ledger.__main__":
                names.append(info.name)
    return names


def _error_classes() -> list[type[BaseException]]:
    found = []
    for name in _modules():
        module = importlib.import_module(name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == name:
                found.append(value)
    return found


def test_every_public_error_class_derives_from_ledger_error() -> None:
    classes = _error_classes()
    assert len(classes) > 20
    outside = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes
                     if not issubclass(c, LedgerError) and not c.__name__.startswith("_"))
    assert set(outside) <= OUTCOMES, outside


def test_one_unsupported_dialect_error() -> None:
    classes = [c for c in _error_classes() if c.__name__ == "UnsupportedDialectError"]
    assert len(classes) == 1


def test_builtin_bases_stay_where_callers_catch_them() -> None:
    from ledger.integrations.alembic_sql import UnrenderableStatement
    from ledger.inspect.audit import InvalidInput
    from ledger.run.executor import StatementFailed, TransactionFailed

    assert issubclass(UnrenderableStatement, ValueError) and issubclass(InvalidInput, ValueError)
    assert issubclass(StatementFailed, LedgerError) and issubclass(TransactionFailed, LedgerError)
    with pytest.raises(ValueError, match="already registered"):
        ops.op_type("add_column")(type("Other", (ops.MigrateOperation,), {}))


@pytest.mark.parametrize(("error", "code"), [
    (InvalidPoint("no such point"), 2),
    (ops.InvalidOperationError("does not fit"), 2),
    (LedgerError("found a problem"), 1),
    (type("Sub", (InvalidPoint,), {})("a subclass of a listed class"), 2),
    (type("Other", (LedgerError, ValueError), {})("not listed"), 1),
])
def test_exit_codes_come_from_the_table(error: LedgerError, code: int) -> None:
    assert cli.exit_code(error) == code
    assert all(issubclass(k, LedgerError) for k in cli.exit_codes())
