"""Alembic's op dispatch and batch flush, wrapped once per process for the contexts a recorder is attached to."""

from __future__ import annotations

import contextlib
import re
import sys
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from alembic.operations.base import AbstractOperations as AlembicAbstractOperations
from alembic.operations.batch import BatchOperationsImpl
from alembic.runtime.migration import MigrationContext

if TYPE_CHECKING:
    from ledger.integrations.alembic.recorder import Recorder

#: the recorder of each attached migration context
RECORDERS: weakref.WeakKeyDictionary[MigrationContext, Recorder] = weakref.WeakKeyDictionary()
#: Alembic's own methods, as they were before the wrapping
ORIGINAL: dict[str, Callable[..., Any]] = {}


#: Modules whose frames a warning skips (SQLAlchemy skips its own and Alembic's; the hook's too).
_NOT_USER_CODE = re.compile(r"^(?:sqlalchemy\.|alembic\.|ledger\.)")
_SHOWN_WARNINGS: dict[Any, Any] = {}


@contextlib.contextmanager
def _warnings_as_without_hook(recorder: Any) -> Iterator[None]:
    """Alembic prints what it prints without the hook: a warning from Alembic's own work (a batch
    reflection's SAWarning) is shown where SQLAlchemy shows it without the hook; the hook's own
    warnings (its reflections) are not shown."""
    saved, kept = recorder._alembic_warnings, []
    recorder._alembic_warnings = kept
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        recorder._alembic_warnings = saved
        if kept:
            frame: Any = sys._getframe(0)
            while frame is not None and _NOT_USER_CODE.match(frame.f_globals.get("__name__", "")):
                frame = frame.f_back
            for caught in kept:
                where = (caught.filename, caught.lineno) if frame is None else (frame.f_code.co_filename,
                                                                                  frame.f_lineno)
                # once per place, as Python's default filter does (catch_warnings resets its registries);
                # a change of the filters (the migration's own) resets them, as it does for Python
                filters = tuple(warnings.filters)
                if _SHOWN_WARNINGS.get("filters") != filters:
                    _SHOWN_WARNINGS.clear()
                    _SHOWN_WARNINGS["filters"] = filters
                key = (str(caught.message), caught.category, *where)
                if key in _SHOWN_WARNINGS:
                    continue
                _SHOWN_WARNINGS[key] = True
                warnings.warn_explicit(caught.message, caught.category, *where,
                                       module=None if frame is None else frame.f_globals.get("__name__"),
                                       module_globals=None if frame is None else frame.f_globals)


def patch_alembic() -> None:
    """Wrap Alembic's op dispatch and batch flush once; unattached contexts run unchanged."""
    if ORIGINAL:
        return
    ORIGINAL["invoke"] = AlembicAbstractOperations.invoke
    ORIGINAL["flush"] = BatchOperationsImpl.flush

    def invoke(self: Any, operation: Any) -> Any:
        recorder = RECORDERS.get(self.migration_context)
        if recorder is None or not recorder.active:
            return ORIGINAL["invoke"](self, operation)
        with _warnings_as_without_hook(recorder):
            return recorder.invoke(self, operation)

    def flush(self: BatchOperationsImpl) -> None:
        recorder = RECORDERS.get(self.operations.migration_context)
        if recorder is None or not recorder.active:
            ORIGINAL["flush"](self)
            return
        with _warnings_as_without_hook(recorder):
            recorder.flush_batch(self)

    AlembicAbstractOperations.invoke = invoke  # type: ignore[method-assign]
    BatchOperationsImpl.flush = flush  # type: ignore[method-assign]
