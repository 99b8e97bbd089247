"""Rollback drills: prove on a scratch database that every revision can be undone exactly.

A drill runs on a scratch database of the target's kind (a temporary SQLite file for a
SQLite target; a temporary database on the same server for PostgreSQL and MariaDB, created
and dropped by the drill; or ``--scratch URL``, which must be empty and is left in place):

1. up: apply each revision on its own; after each, the reflected live schema must equal the
   fold of the scratch ledger;
2. down: roll back one revision at a time to base, with the same check after each;
3. again: apply every revision to the head, with the same check.

Each phase is one ``apply`` or ``rollback`` run that reports each revision as it commits;
the check after a revision reflects only the tables its events name (and the tables joined to
them by a foreign key), against the same tables of a fold kept up to date with the events read
since the last check, so a drill costs a few times one ``apply``, linear in revisions. A
revision with raw SQL (``execute``) is checked against the whole database, and so is the end of
each phase. A phase that cannot start (its plan does not fit) runs revision by revision instead.

A failure names the revision, the op(s) concerned and the difference between the live schema
and the fold, and the drill stops there (what follows is "not reached"). An irreversible op
(``execute`` without ``reverse_sql``) fails the down step of its revision; with
``allow_irreversible`` it is reported but the drill goes on, undoing it in the scratch ledger
only. ``record`` appends a ``drill`` event with the result and the head it covered to the
target's ledger; ``apply --require-drill`` then accepts the revisions a passing drill covered.

``from_ledger`` drills the target's ledger instead of the project's files: the events in effect
(after the baseline, which is replayed first) grouped into revisions in ledger order, each
revision's ops being the completed ops its events recorded (:func:`ledger_revisions`). That is
how a database migrated by Alembic with the hook is drilled: it has no migration files.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.run.baseline import replay_baseline
from ledger.format.codec import DRILL_RECORD
from ledger.storage.seal import guard
from ledger.project.config import Config
from ledger.storage.db import THROWAWAY, DatabaseError, create_engine, dialect_of
from ledger.format.events import Event, fold_events, follows_statement_above, in_effect
from ledger.schema.reflect import compare, reflect, reflect_schemas
from ledger.project.points import net_in_effect
from ledger.project.revisions import Revision, RevisionChain, Step, checksum, load_revisions
from ledger.run.rollback import data_loss, rollback
from ledger.run.apply import apply
from ledger.storage.session import connect, store_for, tx, wrap_db_errors
from ledger.storage.view import LedgerView
from ledger.storage.store import LedgerStore

__all__ = [
    "DRILL_FORMAT",
    "DrillReport",
    "DrillRequired",
    "DrillRow",
    "covered_revisions",
    "drill",
    "ledger_revisions",
    "record_drill",
    "require_drill",
    "scratch_database",
]

DRILL_FORMAT = DRILL_RECORD
DRILL_VERSION = 1

#: ``progress(phase, revision, ok)``: called after each step of each phase ("up", "down", "again").
DrillProgress = Callable[[str, str, bool], None]


@attrs.frozen
class DrillRow:
    """One revision's line of the report; None means the drill did not get that far."""

    revision: str
    title: str
    checksum: str
    up: bool | None = None
    down: bool | None = None
    again: bool | None = None
    #: the ops of the revision that have no reverse
    irreversible: tuple[str, ...] = ()
    #: tables and columns whose data undoing the revision drops or cannot bring back
    data_loss: tuple[str, ...] = ()
    #: whether the live schema equalled the fold at every comparison after the revision's steps;
    #: None when none was made (a step refused or failing before the comparison is none)
    live_equals_fold: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "revision": self.revision, "title": self.title, "checksum": self.checksum, "up": self.up,
            "down": self.down, "again": self.again, "live_equals_fold": self.live_equals_fold,
            "irreversible": list(self.irreversible), "data_loss": list(self.data_loss),
        }


@attrs.frozen
class DrillReport:
    """The drill's result: one row per revision, and every failure in words."""

    dialect: str
    scratch: str
    rows: tuple[DrillRow, ...]
    failures: tuple[str, ...]
    allow_irreversible: bool = False
    #: what was drilled: "files" (the project's migration files) or "ledger" (the target's ledger)
    source: str = "files"

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def head(self) -> str | None:
        return self.rows[-1].revision if self.rows else None

    def to_json(self) -> dict[str, Any]:
        return {
            "format": DRILL_FORMAT, "version": DRILL_VERSION, "passed": self.passed, "dialect": self.dialect,
            "scratch": self.scratch, "head": self.head, "allow_irreversible": self.allow_irreversible,
            "source": self.source,
            "revisions": [r.to_json() for r in self.rows], "failures": list(self.failures),
        }

    def table(self) -> str:
        """The report as a fixed-width table, one revision a line, then the failures."""
        def mark(value: bool | None) -> str:
            return "-" if value is None else "ok" if value else "FAIL"

        header = ("revision", "up", "down", "again", "live==fold", "irreversible", "data-loss warnings")
        lines = [header]
        for row in self.rows:
            lines.append((row.revision, mark(row.up), mark(row.down), mark(row.again), mark(row.live_equals_fold),
                          str(len(row.irreversible)) if row.irreversible else "-",
                          "; ".join(row.data_loss) or "-"))
        widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
        text = ["  ".join(cell.ljust(w) for cell, w in zip(line[:-1], widths)) + "  " + line[-1] for line in lines]
        for row in self.rows:
            for op in row.irreversible:
                skipped = " (skipped: undone in the scratch ledger only)" if self.allow_irreversible else ""
                text.append(f"irreversible: revision {row.revision}: {op}{skipped}")
        text += [f"FAILED: {failure}" for failure in self.failures]
        source = " from the ledger" if self.source == "ledger" else ""
        text.append(f"drill {'passed' if self.passed else 'failed'}: {len(self.rows)} revision{'s' if len(self.rows) != 1 else ''}{source} on "
                    f"{self.dialect} ({self.scratch})")
        return "\n".join(line.rstrip() for line in text) + "\n"


# ---------------------------------------------------------------------------------------------
# The scratch database
# ---------------------------------------------------------------------------------------------


def _safe(url: str | sa.URL) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


@contextlib.contextmanager
def scratch_database(target_url: str, scratch: str | None = None) -> Iterator[str]:
    """The URL of an empty scratch database for drilling ``target_url``'s migrations.

    ``scratch`` given: it must be empty and is left in place. Otherwise a temporary SQLite
    file (SQLite target) or a temporary database on the target's server, dropped afterwards.
    """
    if scratch is not None:
        _check_empty(scratch)
        yield scratch
        return
    name = f"sl_drill_{uuid.uuid4().hex[:12]}"
    statements = dialects.database(dialect_of(target_url)).scratch_statements(name)
    if statements is None:
        folder = tempfile.mkdtemp(prefix="schema-ledger-drill-")
        path = f"{folder}/drill.db"
        THROWAWAY.add(path)  # deleted afterwards: its commits need not wait for the disk
        try:
            yield f"sqlite:///{path}"
        finally:
            THROWAWAY.discard(path)
            shutil.rmtree(folder, ignore_errors=True)
        return
    create, drop = statements
    engine = create_engine(target_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(create)
        except sa.exc.DBAPIError as exc:
            raise DatabaseError(f"cannot create a scratch database on {_safe(target_url)} ({_message(exc)}); "
                                "give an empty one with --scratch URL") from None
        try:
            yield sa.make_url(target_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with contextlib.suppress(sa.exc.DBAPIError), engine.connect() as conn:
                conn.exec_driver_sql(drop)
    finally:
        engine.dispose()


def _message(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]


def _check_empty(url: str) -> None:
    with connect(url) as conn, wrap_db_errors(), tx(conn):
        tables = sorted(sa.inspect(conn).get_table_names())
    if tables:
        raise LedgerError(f"scratch database {_safe(url)} is not empty ({', '.join(tables[:5])}"
                          f"{', ...' if len(tables) > 5 else ''}): a drill needs an empty one")


# ---------------------------------------------------------------------------------------------
# The drill
# ---------------------------------------------------------------------------------------------


class _Stop(Exception):
    """A check failed after a revision: the run reporting it stops there."""


@attrs.define
class _Drill:
    config: Config
    chain: RevisionChain
    allow_irreversible: bool
    progress: DrillProgress | None
    rows: dict[str, DrillRow] = attrs.field(factory=dict)
    failures: list[str] = attrs.field(factory=list)
    #: where "down" ends: base, or the last baseline event replayed into the scratch ledger
    base: str = "base"
    #: a drill of a ledger: the target's schema, which the replay must build at the head
    expected: SchemaState | None = None
    #: the scratch ledger as far as the checks read it (fed incrementally)
    view: LedgerView = attrs.field(factory=LedgerView)
    store: LedgerStore | None = None
    #: the connection the checks read on, while the phases run
    reader: sa.Connection | None = None

    def set(self, revision: Revision, **changes: Any) -> None:
        self.rows[revision.id] = attrs.evolve(self.rows[revision.id], **changes)

    def events(self) -> list[Event]:
        with connect(self.config.url) as conn, tx(conn):
            return list(store_for(self.config).events(conn))

    def check(self, phase: str, revision: Revision, error: LedgerError | None = None,
              differences: list[str] | None = None) -> bool:
        """Record whether the step went through and live equals fold afterwards; say why not.

        ``differences``: already worked out (by :meth:`touched_differences`); else the whole
        database is compared with the whole fold."""
        if error is not None:
            self.failures.append(f"revision {revision.id}, {phase}: {' '.join(str(error).split())}")
            ok = False
        else:
            if differences is None:
                differences = self.differences()
            ok = not differences
            compared = self.rows[revision.id].live_equals_fold
            self.set(revision, live_equals_fold=ok and compared is not False)
            if differences:
                ops = _suspects(revision, differences)
                self.failures.append(
                    f"revision {revision.id}, {phase} ({'; '.join(op.describe() for op in ops)}): live schema "
                    f"differs from the fold of the ledger: {'; '.join(differences)}"
                )
        self.set(revision, **{phase: ok})
        if self.progress is not None:
            self.progress(phase, revision.id, ok)
        return ok

    def differences(self) -> list[str]:
        """The whole database against the fold of the whole scratch ledger (read again; every schema
        it has tables in), on the checks' connection while the phases run."""
        with contextlib.ExitStack() as stack:
            conn = self.reader if self.reader is not None else stack.enter_context(connect(self.config.url))
            with tx(conn):
                events = list(store_for(self.config).events(conn))
                fold = fold_events(events)
                live = reflect_schemas(conn, fold, exclude=(self.config.ledger_table,))
                dialect = dialect_of(conn)
        return compare(fold, live, dialect)

    def read_new(self, conn: sa.Connection) -> list[Event]:
        """The scratch ledger's events since the last read, folded into :attr:`view`."""
        if self.store is None:
            self.store = store_for(self.config)
        known = True if self.view.head is not None else None  # the ledger table is there once it held events
        new = list(self.store.events(conn, after_seq=self.view.last_seq, table_exists=known))
        self.view.feed(new)
        return new

    def touched_differences(self, conn: sa.Connection, new: Sequence[Event]) -> list[str]:
        """Live against fold for what ``new`` events touched: their tables and the tables a foreign
        key joins to them (the whole database when one ran raw SQL)."""
        state = self.view.state
        database = dialects.database(dialect_of(conn))
        written: set[str] = set()  # the names as the ops wrote them
        parts: set[str] | None = set()  # what their DDL can change of them (None: anything)
        joined = False  # and whether of the tables a foreign key joins to them
        for event in new:
            op = event.op
            if op is not None and op.op_tag == "execute":  # (every schema the fold has tables in)
                live = reflect_schemas(conn, state, exclude=(self.config.ledger_table,))
                return compare(state, live, dialect_of(conn))
            if op is not None:
                written.update(_tables_of(op))
                # what its DDL can change: PostgreSQL's reads say (``postgresql_read.changed_by``); else anything
                changed, joins = database.changed_by(op) if hasattr(database, "changed_by") else (None, True)
                parts = None if parts is None or changed is None else parts | changed
                joined = joined or joins
        if not written:
            return []
        names = {name.casefold() for name in written}
        near = set(names)
        exact = set(written)  # the names as written and as the fold holds them (read by these where
        for table in state.tables.values() if joined else ():  # the database reads tables by name)
            own = table.name.casefold() in names
            for fk in table.foreign_keys:
                referent = fk.referent_table.casefold()
                if own:
                    near.add(referent)
                    exact.add(fk.referent_table)
                elif referent in names:
                    near.add(table.name.casefold())
        expected = SchemaState({key: table for key, table in state.tables.items() if table.name.casefold() in near})
        held = {table.name: table for table in expected.tables.values() if table.schema is None}
        if parts is not None and {name.casefold() for name in held} == names and len(held) == len(expected.tables):
            # the tables are there in the fold, and their DDL changes only ``parts`` of them: those
            # parts are read, the rest is the fold's
            live = reflect(conn, exclude=(self.config.ledger_table,), held=held, parts=parts)
        else:
            exact.update(table.name for table in expected.tables.values())
            live = reflect(conn, exclude=(self.config.ledger_table,), only=exact, exact=True)
            others = sorted({key[0] for key in expected.tables if key[0] is not None})
            if others:  # tables of other schemas (``op.create_table(..., schema="app")``), read there
                inspector = sa.inspect(conn)
                live = SchemaState({**live.tables, **{
                    k: t for schema in others if inspector.has_schema(schema) for k, t in reflect(
                        conn, schema=schema, exclude=(self.config.ledger_table,), only=near).tables.items()}})
        return compare(expected, live, dialect_of(conn))

    def after(self, phase: str, revision: Revision | None, conn: sa.Connection) -> None:
        """A revision of a phase committed: check what it touched; stop the run (``_Stop``) if live
        is not the fold."""
        with tx(conn):
            new = self.read_new(conn)
            differences = self.touched_differences(conn, new)
        if revision is None:
            return
        if phase == "up":
            self.set(revision, irreversible=tuple(
                e.op.describe() for e in new if e.kind == "apply" and e.op is not None and not e.op.reversible))
        elif phase == "down":
            self.set(revision, data_loss=tuple(
                warning for event in new
                if event.kind == "revert" and event.op is not None and event.reverses is not None
                and (warning := data_loss(event.op, event, short=True)) is not None
            ))
        if not self.check(phase, revision, differences=differences):
            raise _Stop

    def whole(self, phase: str, revision: Revision) -> bool:
        """The end of a phase: the whole database against the whole fold."""
        differences = self.differences()
        if differences:
            return self.check(phase, revision, differences=differences)
        return True

    def fast_up(self, phase: str, revisions: Sequence[Revision], conn: sa.Connection) -> bool | None:
        """``phase`` as one ``apply`` run, checked after each revision; None when nothing ran."""
        started: list[Revision] = []

        def progress(revision: Revision, _position: int, _total: int, done: bool) -> None:
            if done:
                self.after(phase, revision, conn)
            else:
                started.append(revision)

        try:
            apply(self.config, chain=self.chain, to=revisions[-1].id, why=f"drill: {phase}", progress=progress)
        except _Stop:
            return False
        except LedgerError as exc:
            if not started:
                return None
            return self.check(phase, started[-1], exc)
        return self.whole(phase, revisions[-1])

    def fast_down(self, revisions: Sequence[Revision], conn: sa.Connection) -> bool | None:
        """"down" as one ``rollback`` run (down to the newest irreversible revision, which then fails
        unless irreversible ops are allowed), checked after each revision; None when nothing ran."""
        stop = None
        if not self.allow_irreversible:
            stop = next((p for p in range(len(revisions) - 1, -1, -1) if self.rows[revisions[p].id].irreversible),
                        None)
        if stop == len(revisions) - 1:
            return None  # nothing to roll back before the failure: the step by step way says it
        by_id = {r.id: r for r in revisions}
        started: list[Revision] = []

        def progress(revision_id: str | None, _position: int, _total: int, done: bool) -> None:
            revision = by_id.get(revision_id) if revision_id is not None else None
            if done:
                self.after("down", revision, conn)
            elif revision is not None:
                started.append(revision)

        point = revisions[stop].id if stop is not None else self.base
        try:
            rollback(self.config, to=point, why="drill: down", skip_irreversible=self.allow_irreversible,
                     progress=progress)
        except _Stop:
            return False
        except LedgerError as exc:
            if not started:
                return None
            return self.check("down", started[-1], exc)
        if stop is not None:
            return self.down(revisions[:stop + 1])
        return self.whole("down", revisions[0])

    def up(self, phase: str, revisions: Sequence[Revision]) -> bool:
        for revision in revisions:
            try:
                apply(self.config, chain=self.chain, to=revision.id, why=f"drill: {phase}")
            except LedgerError as exc:
                return self.check(phase, revision, exc)
            if phase == "up":
                self.set(revision, irreversible=self.irreversible(revision))
            if not self.check(phase, revision):
                return False
        return True

    def irreversible(self, revision: Revision) -> tuple[str, ...]:
        ops = [e.op for e in in_effect(self.events()) if e.revision == revision.id and e.op is not None]
        return tuple(op.describe() for op in ops if not op.reversible)

    def down(self, revisions: Sequence[Revision]) -> bool:
        for position in range(len(revisions) - 1, -1, -1):
            revision = revisions[position]
            point = revisions[position - 1].id if position else self.base
            if self.rows[revision.id].irreversible and not self.allow_irreversible:
                return self.check("down", revision, LedgerError(
                    "cannot be rolled back: " + "; ".join(self.rows[revision.id].irreversible)
                    + " (drill --allow-irreversible goes on past it)"))
            try:
                result = rollback(self.config, to=point, why="drill: down", skip_irreversible=self.allow_irreversible)
            except LedgerError as exc:
                return self.check("down", revision, exc)
            self.set(revision, data_loss=tuple(
                warning for reverted in result.reverted for event in reverted.events
                if event.kind == "revert" and event.op is not None and event.reverses is not None
                and (warning := data_loss(event.op, event, short=True)) is not None
            ))
            if not self.check("down", revision):
                return False
        return True

    def builds_expected(self, head: Revision | None) -> bool:
        """A drill of a ledger: at the head, the scratch's fold is the target's (the replay left nothing out)."""
        if self.expected is None or head is None:
            return True
        differences = compare(self.expected, fold_events(self.events()), dialect_of(self.config.url))
        if differences:
            self.failures.append(f"revision {head.id}, up: the replayed ledger does not build the target's schema: "
                                 + "; ".join(differences))
            self.set(head, up=False)
        return not differences

    def run(self) -> None:
        # Revisions a stamp recorded in the baseline are its floor: they are replayed, not drilled.
        stamped = {e.revision for e in self.events() if e.kind == "baseline" and e.revision is not None}
        revisions = [r for r in self.chain if r.id not in stamped]
        for revision in revisions:
            self.rows[revision.id] = DrillRow(revision.id, revision.title, revision.checksum)
        if not revisions:
            return
        with connect(self.config.url, reads_only=True) as conn:
            # the checks read while no run writes (each runs as a revision has committed, the run
            # waiting): each read needs no transaction of its own, nor its BEGIN and COMMIT
            conn.execution_options(isolation_level="AUTOCOMMIT")
            self.reader = conn
            with tx(conn):
                self.read_new(conn)  # a baseline replayed first

            def up(phase: str) -> bool:
                done = self.fast_up(phase, revisions, conn)
                return self.up(phase, revisions) if done is None else done

            def down() -> bool:
                done = self.fast_down(revisions, conn)
                return self.down(revisions) if done is None else done

            try:
                if up("up") and self.builds_expected(self.chain.head) and down():
                    up("again")
            finally:
                self.reader = None


def _suspects(revision: Revision, differences: Sequence[str]) -> list[MigrateOperation]:
    """The ops of ``revision`` that a difference names (by table), else its raw SQL, else all of them."""
    text = " ".join(differences)
    named = [op for op in revision.ops if any(_mentions(text, name) for name in _tables_of(op))]
    if named:
        return named
    raw = [op for op in revision.ops if op.op_tag == "execute"]
    return raw or list(revision.ops)


def _tables_of(op: MigrateOperation) -> list[str]:
    names = [getattr(op, attr, None) for attr in ("table_name", "new_table_name")]
    return [n for n in names if isinstance(n, str)]


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text) is not None


# ---------------------------------------------------------------------------------------------
# Revisions read from a ledger
# ---------------------------------------------------------------------------------------------


def ledger_revisions(events: Iterable[Event]) -> RevisionChain:
    """The revisions in effect in ``events``, in ledger order: a chain that ``apply`` can run elsewhere.

    Each run of consecutive ``apply`` events in effect (``points.net_in_effect``: an upgrade and
    the Alembic downgrade that undid it are not) with the same revision is one revision (an Alembic
    downgrade recorded between two upgrades of a revision that did not undo it stays in it, as a
    rollback of that revision would undo it too); its ops are the ops the events recorded,
    already completed (a drop carries what it dropped), one step each. Baseline events are
    left out: a drill replays them first. A revision id met again in a later run names that
    run ``REV@SEQ`` (SEQ: its first event). The checksum is the one the events recorded (the
    migration file's, for a native project), else that of the recorded ops.
    """
    runs: list[list[Event]] = []
    for event in net_in_effect(list(events)):
        if event.kind != "apply":
            continue
        if runs and runs[-1][-1].revision == event.revision:
            runs[-1].append(event)
        else:
            runs.append([event])
    revisions: list[Revision] = []
    for run in runs:
        first, last = run[0], run[-1]
        rid = first.revision if first.revision is not None else f"(no revision)@{first.seq}"
        if any(r.id == rid for r in revisions):
            rid = f"{rid}@{first.seq}"
        # a procedural statement whose schema change the ops after it recorded is not run again
        ops = tuple(op for event, after in zip(run, [*run[1:], None]) if (op := event.op) is not None
                    and not (event.op_type == "execute" and after is not None
                             and follows_statement_above(after.message)))
        recorded = {event.revision_checksum for event in run}
        total = recorded.pop() if len(recorded) == 1 and None not in recorded else checksum(ops)
        where = f"ledger seq {first.seq}" + (f"-{last.seq}" if last.seq != first.seq else "")
        revisions.append(Revision(rid, revisions[-1].id if revisions else None, _message_of(run), Path(where),
                                  tuple(Step((op,)) for op in ops), total))
    return RevisionChain(tuple(revisions))


def _message_of(run: Sequence[Event]) -> str:
    """The revision's message: the first event message that is not only a ``[...]`` label of the Alembic hook."""
    for event in run:
        message = event.message or ""
        if message.startswith("["):
            message = message.split(" -- ", 1)[1] if " -- " in message else ""
        if message:
            return message
    return ""


def _target_events(config: Config) -> list[Event]:
    """The target's ledger, read only; a target without one is a clear error."""
    file = dialects.database_file(config.url)
    if file is not None and not file.exists():
        raise LedgerError(f"{file} does not exist: there is no ledger to drill")
    store = store_for(config)
    with connect(config.url, reads_only=True) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            raise LedgerError(f"{_safe(config.url)} has no ledger table {config.ledger_table}: there is no ledger "
                              "to drill")
        guard(conn, store, config, "drill")
        return list(store.events(conn))


def drill(
    config: Config,
    *,
    chain: RevisionChain | None = None,
    scratch: str | None = None,
    allow_irreversible: bool = False,
    progress: DrillProgress | None = None,
    from_ledger: bool = False,
) -> DrillReport:
    """Run the drill for ``config``'s migrations on a scratch database (see the module docstring).

    ``from_ledger``: drill the revisions in effect in the target's ledger (:func:`ledger_revisions`)
    instead of the migration files; ``chain`` is then not used.
    """
    expected = None
    if from_ledger:
        events = _target_events(config)
        chain, expected = ledger_revisions(events), fold_events(events)
        if not len(chain):
            raise LedgerError(f"the ledger of {_safe(config.url)} holds no revision in effect: there is nothing "
                              "to drill")
    elif chain is None:
        chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
    with scratch_database(config.url, scratch) as url:
        # A baselined project starts from its baseline: the scratch gets those tables and events first.
        seeded = replay_baseline(config, url)
        # The scratch's runs are neither signed nor anchored: its history is thrown away.
        run = _Drill(attrs.evolve(config, url=url, trusted_keys=(), anchor=None, sign_key=None), chain, allow_irreversible, progress,
                     base=f"@{seeded}" if seeded else "base", expected=expected)
        run.run()
        where = "--scratch " + _safe(url) if scratch is not None else "temporary scratch database"
    return DrillReport(dialect_of(config.url), where, tuple(run.rows.values()), tuple(run.failures),
                       allow_irreversible, "ledger" if from_ledger else "files")


# Recorded drills: their own module, named here as before.
from ledger.run.drill_records import DrillRequired, covered_revisions, record_drill, require_drill  # noqa: E402
