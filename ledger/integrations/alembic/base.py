"""What every part of the hook shares: the messages of its events, its errors, its placeholder names."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from alembic.util import CommandError

from ops import LedgerError
from ledger.format.events import Event


log = logging.getLogger("schema_ledger.alembic")

#: Message prefixes of the ``execute`` events the hook records.
DATA_CHANGE = "[data change]"
NOT_MODELLED = "[not in vocabulary]"
SCHEMA_SQL = "[schema SQL]"
ADJUSTED = "[adjusted]"
PARTIAL = "[partial]"
#: A change of the ledger's own table (or Alembic's version table) a revision made: noted, never replayed.
OWN_TABLE = "[own table]"
#: An operation recorded as what the database holds after it (reflected), not as Alembic described it.
REFLECTED = "[reflected]"

#: A keyword argument of ``run_migrations()`` whose value is Alembic's ``Config`` the revisions run with
#: (an env.py's ``context.run_migrations(config=config)``: every ``upgrade(config)`` reads it).
ALEMBIC_CONFIG = object()

#: Names given to constraints created without one until the database's own name is read back.
PLACEHOLDER = "sl_unnamed__"
PLACEHOLDER_CONVENTION: Mapping[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": PLACEHOLDER + "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": PLACEHOLDER + "ck_%(table_name)s_%(constraint_name)s",
    "fk": PLACEHOLDER + "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": PLACEHOLDER + "pk_%(table_name)s",
}


class AlembicHookError(LedgerError, CommandError, RuntimeError):
    """An operation Alembic ran cannot be recorded consistently (the message names the revision).

    A ``CommandError`` too, so that the ``alembic`` command prints it as one ``FAILED:`` line.
    """


class Unrecordable(AlembicHookError):
    """An operation the database accepted that the fold refuses as converted."""


def is_data_change(event: Event) -> bool:
    """True for the ``execute`` events that hold data work a migration did."""
    return event.op_type == "execute" and (event.message or "").startswith(DATA_CHANGE)


def alembic_step_id(step: Any) -> tuple[str | None, str | None, str | None]:
    """(revision, its message, its file as Alembic names it) of one step of an Alembic run (Nones: no revision)."""
    revision = getattr(step, "revision", None)
    if revision is None:
        return None, None, None
    path = getattr(revision, "path", None)
    return revision.revision, revision.doc, str(path) if path else None


class Origin:
    """``file:line`` of the line of a revision file that issued an operation (``str()`` of it), its
    line number read from the code when the text is first asked for: a frame's ``f_lineno`` walks
    its code's line table from the start, for every operation, and a run of ``alembic upgrade``
    asks for none of them (``import-alembic`` and the hook's errors do)."""

    __slots__ = ("path", "code", "offset", "_text")

    def __init__(self, path: str, code: Any, offset: int) -> None:
        self.path, self.code, self.offset = path, code, offset  # offset: the frame's f_lasti
        self._text: str | None = None

    def __str__(self) -> str:
        if self._text is None:
            # what the frame's f_lineno gave: the line of the range holding the instruction (None: none)
            line = next((line for start, end, line in self.code.co_lines() if start <= self.offset < end), None)
            self._text = f"{self.path}:{line}"
        return self._text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, Origin) else other)

    def __hash__(self) -> int:
        return hash(str(self))


class Origins(dict):  # type: ignore[type-arg]
    """Each event's :class:`Origin`, by seq, read as its text."""

    def __getitem__(self, seq: int) -> str:
        return str(dict.__getitem__(self, seq))

    def get(self, seq: int, default: str | None = None) -> str | None:  # type: ignore[override]
        found = dict.get(self, seq)
        return default if found is None else str(found)
