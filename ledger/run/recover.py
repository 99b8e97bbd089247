"""Settle intents in doubt by reflecting the live schema.

On MySQL/MariaDB each op of ``apply`` and ``rollback`` runs between a committed ``intent``
event and its ``apply``/``revert`` event, because their DDL commits on its own. A run that
stops in between (killed, a lost connection, a failed statement) leaves the intent without
its event: the ledger cannot say whether the change happened. ``recover`` looks, under the
applier lock (so that no other run, nor the last statement of a killed one, is still at
work), and for each intent in doubt, oldest first:

- the live schema is the fold *with* the op: the missing ``apply`` (or ``revert``) event is
  recorded, with the intent's payload;
- the live schema is the fold *without* the op: an ``abandon`` event is recorded, whose
  ``reverses`` is the intent's seq;
- neither: one statement of a multi-statement op ran and the next did not (a table created
  without its indexes, say). When the difference is only indexes and constraints, the
  missing ones are created (and stray ones dropped) from the op's own definition, the live
  schema is checked again, and the event is recorded;
- both (an ``execute``, or a change the database does not keep): reflection cannot tell,
  and ``assume`` (``applied`` or ``abandoned``) has to say which.

Anything else stops with a :class:`RecoverError` naming the seq and the differences, with
nothing recorded for that intent. PostgreSQL and SQLite never leave intents (a revision is
one transaction), so there ``recover`` finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import sqlalchemy as sa

from ops import (
    AddConstraintOp,
    CreateCheckConstraintOp,
    CreateForeignKeyOp,
    CreateIndexOp,
    CreatePrimaryKeyOp,
    CreateUniqueConstraintOp,
    InvalidOperationError,
    LedgerError,
    MigrateOperation,
    SchemaState,
)
from ops.specs import TableSpec

from ledger import dialects
from ledger.support import faults
from ledger.inspect.drift import adopt_names, drift, reflect_live
from ledger.schema.reflect import without_type_checks
from ledger.project.config import Config
from ledger.format.events import Actor, Event
from ledger.storage.journal import Journal
from ledger.storage.session import connect, db_message, db_user, store_for, tx, wrap_db_errors
from ledger.storage.view import LedgerView
from ledger.storage.store import LedgerStore

__all__ = ["ASSUME", "RecoverError", "RecoverResult", "Settled", "recover"]

#: what ``assume`` may say about an intent that reflection cannot decide
ASSUME = ("applied", "abandoned")


class RecoverError(LedgerError, RuntimeError):
    """An intent in doubt that the live schema does not settle (the message names its seq)."""


@attrs.frozen
class Settled:
    """One intent and how it was settled."""

    intent: Event
    #: "applied" (the change is there), "completed" (finished by recover, then recorded),
    #: "abandoned" (the change is not there)
    outcome: str
    #: the event recorded (None with ``dry_run``)
    event: Event | None
    #: the statements recover ran to finish a partly run op
    statements: tuple[str, ...] = ()

    def describe(self) -> str:
        intent = self.intent
        what = f"ledger seq {intent.seq} (revision {intent.revision}, {_describe(intent)})"
        kind = "revert" if intent.reverses is not None else "apply"
        recorded = f"seq {self.event.seq}" if self.event is not None else "(dry run: nothing recorded)"
        if self.outcome == "abandoned":
            return f"{what}: the change is not in the live schema; abandoned {recorded}"
        if self.outcome == "completed":
            return (f"{what}: the op had partly run; {len(self.statements)} statement{'s' if len(self.statements) != 1 else ''} finished it; "
                    f"{kind} event {recorded}")
        return f"{what}: the change is in the live schema; {kind} event {recorded}"


@attrs.frozen
class RecoverResult:
    """What ``recover`` settled, and the ledger head afterwards."""

    settled: tuple[Settled, ...]
    head: Event | None


def _describe(event: Event) -> str:
    try:
        op = event.op
    except LedgerError:
        return event.op_type or "?"
    return op.describe() if op is not None else "(no op)"


# ---------------------------------------------------------------------------------------------
# Finishing an op that ran in part
# ---------------------------------------------------------------------------------------------


def _bare(table: TableSpec) -> TableSpec:
    """``table`` without the items an op can add or drop one statement at a time."""
    return attrs.evolve(table, foreign_keys=(), uniques=(), checks=(), indexes=())


def _finishing_ops(live: SchemaState, after: SchemaState, dialect: str) -> list[MigrateOperation] | None:
    """The ops that turn ``live`` into ``after`` when they differ only in indexes and constraints
    (drops first, then creates, each built from its definition); None when they differ otherwise."""
    # Named as the fold names them, and without the CHECKs a Boolean or Enum column implies.
    live = without_type_checks(adopt_names(live, after, dialect), after, dialect)
    if set(live.tables) != set(after.tables):
        return None
    drops: list[MigrateOperation] = []
    creates: list[MigrateOperation] = []
    for key, want in after.tables.items():
        have = live.tables[key]
        if drift(SchemaState({key: _bare(want)}), SchemaState({key: _bare(have)}), dialect) is not None:
            return None
        if (want.primary_key is None) != (have.primary_key is None):
            if want.primary_key is None:
                return None
            creates.append(CreatePrimaryKeyOp(want.name, want.primary_key, schema=want.schema))
        kinds: Sequence[tuple[str, type[AddConstraintOp] | type[CreateIndexOp]]] = (
            ("uniques", CreateUniqueConstraintOp), ("checks", CreateCheckConstraintOp),
            ("indexes", CreateIndexOp), ("foreign_keys", CreateForeignKeyOp),
        )
        for field, op_class in kinds:
            wanted = {item.name: item for item in getattr(want, field)}
            present = {item.name: item for item in getattr(have, field)}
            for name, item in wanted.items():
                if name not in present:
                    creates.append(op_class(want.name, item, schema=want.schema))  # type: ignore[arg-type]
            for name, item in present.items():
                if name not in wanted:
                    drops.append(op_class(have.name, item, schema=have.schema).reverse())  # type: ignore[arg-type]
    # Foreign keys last: they may need an index or unique key created just before them.
    creates.sort(key=lambda op: isinstance(op, CreateForeignKeyOp))
    return drops + creates


def _finish(conn: sa.Connection, config: Config, after: SchemaState, live: SchemaState,
            dialect: str) -> tuple[str, ...] | None:
    """Run what is missing of ``op`` when only indexes and constraints are missing; the statements
    run, or None when the live schema cannot be brought to ``after`` that way."""
    ops = _finishing_ops(live, after, dialect)
    if not ops:
        return None
    # The statements are built from a state that has exactly what the live schema has.
    current = after
    for finishing in reversed(ops):
        current = finishing.reverse().apply(current)
    statements: list[str] = []
    for finishing in ops:
        ddl = dialects.ddl(finishing, current, dialect, conn=conn)
        with tx(conn):
            for statement in ddl:
                dialects.execute(conn, [statement])
                faults.boundary("ddl recover")
        statements += ddl
        current = finishing.apply(current)
    if drift(after, reflect_live(conn, config, after), dialect) is not None:
        return None
    return tuple(statements)


# ---------------------------------------------------------------------------------------------
# recover
# ---------------------------------------------------------------------------------------------


def _differences(state: SchemaState, live: SchemaState, dialect: str) -> str:
    found = drift(state, live, dialect)
    return "; ".join(found.lines()[:5]) if found is not None else "none"


def _settle_one(conn: sa.Connection, config: Config, store: LedgerStore, view: LedgerView, intent: Event,
                actor: Actor, why: str | None, assume: str | None, dry_run: bool) -> Settled:
    dialect = dialects.dialect_name(conn)
    op = intent.op  # a payload that does not decode is a LedgerFormatError naming the seq
    if op is None:
        raise RecoverError(f"ledger seq {intent.seq}: an intent without an op cannot be settled")
    before = view.state
    try:
        after: SchemaState | None = op.apply(before)
    except InvalidOperationError:
        after = None  # the op does not fit the fold: its change cannot be in the live schema
    with tx(conn):
        live = reflect_live(conn, config)
    is_after = after is not None and drift(after, live, dialect) is None
    is_before = drift(before, live, dialect) is None
    statements: tuple[str, ...] = ()
    where = f"ledger seq {intent.seq} (revision {intent.revision}, {op.describe()})"
    if is_after and is_before:
        if assume is None:
            raise RecoverError(f"{where}: the live schema looks the same with and without this op, so reflection "
                               "cannot tell whether it ran; say which with --assume applied|abandoned")
        outcome = assume
    elif is_after:
        outcome = "applied"
    elif is_before:
        outcome = "abandoned"
    else:
        finished = None
        if after is not None and not dry_run:
            finished = _finish(conn, config, after, live, dialect)
        if finished is None:
            target = f"; with it: {_differences(after, live, dialect)}" if after is not None else ""
            raise RecoverError(
                f"{where}: the live schema matches the ledger neither without this op "
                f"({_differences(before, live, dialect)}){target}; bring it to one of the two by hand and run "
                "recover again")
        outcome, statements = "completed", finished
    if dry_run:
        return Settled(intent, outcome, None, statements)
    message = why or f"recover: {'abandoned' if outcome == 'abandoned' else 'found in the live schema'}" \
        + (" after finishing it" if outcome == "completed" else "")
    with tx(conn):
        if outcome == "abandoned":
            kind, reverses = "abandon", intent.seq
        else:
            kind, reverses = ("revert" if intent.reverses is not None else "apply"), intent.reverses
        event = Journal(conn, store, actor).record(kind, op, revision=intent.revision, message=message,
                                                   revision_checksum=intent.revision_checksum, reverses=reverses)
    faults.boundary("commit")
    view.feed([event])
    return Settled(intent, outcome, event, statements)


def recover(
    config: Config,
    *,
    why: str | None = None,
    by: str | None = None,
    lock_timeout: float = 60.0,
    assume: str | None = None,
    dry_run: bool = False,
) -> RecoverResult:
    """Settle every intent in doubt in ``config``'s ledger from the live schema (see the module docstring).

    ``assume`` ("applied" or "abandoned") decides intents whose op the live schema cannot show;
    ``dry_run`` says what would be recorded, records nothing and runs nothing.
    """
    if assume is not None and assume not in ASSUME:
        raise RecoverError(f"assume must be one of {', '.join(ASSUME)}, not {assume!r}")
    store = store_for(config)
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout):
        actor = Actor.current(db_user=db_user(conn), by=by)
        settled: list[Settled] = []
        # The lock: no other run may record meanwhile, and on MySQL/MariaDB a killed run's last
        # statement (which the server finishes after its client is gone) ends before the lock is free.
        with store.lock(conn, lock_timeout):
            with tx(conn):
                view = LedgerView.read(store, conn)
            seen: set[int] = set()
            while view.in_doubt:
                intent = view.in_doubt[0]
                if intent.seq in seen:  # a dry run settles nothing: each intent is looked at once
                    break
                seen.add(intent.seq)
                try:
                    settled.append(_settle_one(conn, config, store, view, intent, actor, why, assume, dry_run))
                except sa.exc.DBAPIError as exc:
                    raise RecoverError(f"ledger seq {intent.seq} (revision {intent.revision}): {db_message(exc)}; "
                                       "nothing was recorded for it") from None
                if dry_run:
                    view.open_intents.pop(intent.seq, None)
        return RecoverResult(tuple(settled), view.head)
