"""``stamp``: adopt a database that is already at a known revision of the project's files.

What Alembic's ``stamp`` does, for a database Alembic (or anything else) migrated and whose
history is now in migration files (``import-alembic``): the revisions up to the given one (by
default the one in the database's ``alembic_version`` table) are recorded as ``baseline``
events, one per op and each under its revision's id and checksum, so that those revisions are
applied as far as ``status`` and ``apply`` are concerned and the ledger's fold is the schema they
build. Nothing is run. The live schema must equal that fold first; when it does not, the command
is refused and the difference is shown, and the database is left as it was (``force`` records
the files' schema anyway, and the result and the events' message say so).

Migrations that start from a schema rather than from an empty database (``baseline.json``: a
history ``import-alembic --from-url`` imported from a database ``create_all()`` made) are
folded on top of it: its sequences and tables are recorded first, as ``baseline`` records
them, then the revisions up to the given one, so a database part way through such a history
is adopted where it stands.
"""

from __future__ import annotations

import re

import attrs
import sqlalchemy as sa

from ops import MigrateOperation, SchemaState

from ledger import dialects
from ledger.inspect.drift import drift, reflect_live
from ledger.run.baseline import BASELINE_FILE, Adoption, BaselineError, adopt, alembic_version, baseline_ops, starting_schema
from ledger.project.config import Config
from ledger.format.events import Event
from ledger.project.revisions import Revision, RevisionChain, RevisionError
from ledger.run.apply import plan_revision
from ledger.storage.session import connect, tx, wrap_db_errors

__all__ = ["StampResult", "alembic_revision", "stamp"]

DEFAULT_MESSAGE = "stamp: the database was found at revision {revision}"
#: the note import-alembic writes in a file whose Alembic parents are not the file before it
_FOLLOWS = re.compile(r"Alembic revision (\S+) follows (.+?); linearized in Alembic's upgrade order")
#: how a forced stamp's message says what it recorded over
_FORCED_NOTE = " (forced over {} with the live schema)"


@attrs.frozen
class StampResult:
    revision: str
    #: the revisions recorded as in effect, in chain order
    revisions: tuple[str, ...]
    events: tuple[Event, ...]
    tables: int
    #: where the revision came from: "alembic_version" or "given"
    source: str
    #: the tables of the schema the migrations start from (``baseline.json``), recorded first
    start_tables: int = 0
    #: how the live schema differs from the files' (recorded anyway: ``force``), as drift's lines
    differences: tuple[str, ...] = ()

    @property
    def head(self) -> Event | None:
        return self.events[-1] if self.events else None


def stamp(
    config: Config, chain: RevisionChain, revision: str | None = None, *, why: str | None = None,
    by: str | None = None, lock_timeout: float = 60.0, force: bool = False,
) -> StampResult:
    """Record the revisions of ``chain`` up to ``revision`` (default: the database's ``alembic_version``)
    as baseline events, on top of the schema they start from (``baseline.json``) when there is one,
    after checking that the live schema is the schema they build (``force``: recorded anyway)."""
    source = "given"
    target: Revision | None = None
    upto: list[Revision] = []
    start_tables = 0
    differences: list[str] = []

    def examine(conn: sa.Connection, dialect: str) -> Adoption:
        nonlocal revision, source, target, upto, start_tables
        if revision is None:
            found = alembic_version(conn)
            if found is None:
                raise RevisionError("no revision given and the database has no alembic_version row: give "
                                    "the revision the database is at (`schema-ledger stamp REVISION`)")
            if "," in found:
                found = _latest_of_heads(chain, [r.strip() for r in found.split(",")])
            revision, source = found, "alembic_version"
        try:
            target = chain.get(revision) if source == "alembic_version" else chain.resolve(revision)
        except RevisionError:
            target = None
        start = starting_schema(config.migrations_dir, dialect)
        if target is None:
            raise RevisionError(
                f"no migration file defines revision {revision}"
                + (" (found in alembic_version)" if source == "alembic_version" else "")
                + (f": the migrations start from the schema in {BASELINE_FILE}; a database at that point (before "
                   "their first revision) is adopted with `schema-ledger baseline`" if start is not None else
                   ": import the Alembic history first (`schema-ledger import-alembic alembic/`)"))
        upto = list(chain.upto(target.id))
        entries: list[tuple[MigrateOperation | None, SchemaState, str | None, str | None]] = []
        state = dialects.empty_state(dialect)
        if start is not None:
            start_tables = len(start[0].tables)
            for op in baseline_ops(*start, dialect, conn):
                state = op.apply(state)
                entries.append((op, state, None, None))
        for one in upto:
            plan = plan_revision(one, state, dialect)
            steps = [(op, after) for step in plan.steps for op, after in zip(step.ops, step.states[1:])]
            entries += [(op, after, one.id, one.checksum) for op, after in steps or [(None, state)]]
            state = steps[-1][1] if steps else state
        found_drift = drift(state, reflect_live(conn, config, state), dialect)
        message = why or DEFAULT_MESSAGE.format(revision=target.id)
        if found_drift is not None:
            lines = found_drift.lines()
            counted = f"{len(lines)} difference{'s' if len(lines) != 1 else ''}"
            if not force:
                shown = "; ".join(lines[:10]) + (f"; and {len(lines) - 10} more" if len(lines) > 10 else "")
                raise BaselineError(f"the live schema is not the schema revisions up to {target.id} build "
                                    f"({counted}, as the ops that lead from the files' schema to the live one): "
                                    f"{shown}; nothing was recorded (--force records the files' schema anyway)")
            differences[:] = lines
            message += _FORCED_NOTE.format(counted)
        return Adoption(tuple(entries), message, state)

    found, events = adopt(config, examine, who="stamp only", nothing="there is no database to stamp", by=by,
                          lock_timeout=lock_timeout)
    assert target is not None
    return StampResult(target.id, tuple(r.id for r in upto), events, len(found.state.tables), source, start_tables,
                       tuple(differences))


def _alembic_parents(revision: Revision) -> tuple[str, ...]:
    """The Alembic revisions ``revision`` followed in its history: those the import's note names for a
    linearized one (a merge, a branch), else the file before it."""
    found = _FOLLOWS.search(" ".join(revision.message.split()))
    if found is not None and found.group(1) == revision.id:
        return tuple(p.strip() for p in found.group(2).split(",") if p.strip() not in ("", "base"))
    return (revision.down_revision,) if revision.down_revision else ()


def _latest_of_heads(chain: RevisionChain, heads: list[str]) -> str:
    """The revision of the files at which a database whose ``alembic_version`` holds several ``heads``
    (branches not merged) stands: the latest of them in the files' order, when the revisions before it
    are exactly those the heads follow in the Alembic history (the import's linearized order puts no
    revision of another branch between them)."""
    files = {r.id: r for r in chain.revisions}
    unknown = [h for h in heads if h not in files]
    if unknown:
        return unknown[0]  # named as a revision no file defines
    applied: set[str] = set()
    todo = list(heads)
    while todo:
        one = todo.pop()
        if one in applied or one not in files:
            continue
        applied.add(one)
        todo.extend(_alembic_parents(files[one]))
    latest = max(heads, key=chain.ids.index)
    between = [r.id for r in chain.upto(latest) if r.id not in applied]
    if between:
        raise RevisionError(
            f"alembic_version holds several heads ({', '.join(heads)}): the files put {', '.join(between[:5])}"
            f"{' ...' if len(between) > 5 else ''} before {latest}, which none of those heads follows, so the "
            "database is at no one revision of the files: upgrade it with Alembic to heads that are, or give the "
            "revision to stamp")
    return latest


def alembic_revision(config: Config, *, lock_timeout: float | None = None) -> str | None:
    """What the database's ``alembic_version`` table holds (None without one); nothing is created.
    ``lock_timeout``: how long the read may wait for a writer's lock (SQLite's exclusive lock)."""
    with connect(config.url, reads_only=True, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout), \
            tx(conn):
        return alembic_version(conn)
