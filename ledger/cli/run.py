"""The commands that change the database: ``apply`` and ``rollback``, with the consent to data loss
and the line a Ctrl-C leaves about where the database stands (``baseline``, ``stamp``, ``drill`` and
``recover``: :mod:`ledger.cli.adopt`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ops import LedgerError
from ops.base import IrreversibleError

from ledger.cli.app import LOCK_TIMEOUT, CliContext, main, pass_cli, plural, sealing

if TYPE_CHECKING:
    from ledger.project.config import Config
    from ledger.project.revisions import Revision
    from ledger.schema.dataloss import Loss

__all__ = ["apply", "rollback"]


_ALLOW_DATA_LOSS = click.option(
    "--allow-data-loss", is_flag=True,
    help="Go on when the run drops a table or column holding rows, or narrows a type under values "
         "(without a terminal to ask, such a run is refused otherwise).")


def _interactive() -> bool:
    """Whether a person can answer a question: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _consent(allow: bool, what: str) -> Callable[[Sequence[Loss]], None]:
    """The consent of ``apply``/``rollback`` to the data their plan loses, asked before anything runs:
    each loss is a line on stderr; then --allow-data-loss goes on, a terminal is asked, and without
    one the run is refused (exit 1, nothing run)."""
    from ledger.schema.dataloss import DataLossRefused

    def consent(losses: Sequence[Loss]) -> None:
        for loss in losses:
            click.echo(f"schema-ledger: data loss: {loss.describe()}", err=True)
        if allow:
            return
        count = len(losses)
        objects = f"{count} table{'s' if count != 1 else ''}/column{'s' if count != 1 else ''}"
        if _interactive():
            try:
                go_on = click.confirm(f"{what} loses the data of the {objects} above. Go on?", default=False, err=True)
            except click.exceptions.Abort:  # Ctrl-C at the question: an interrupt like any other
                raise KeyboardInterrupt from None
            if go_on:
                return
            raise DataLossRefused(f"{what} not confirmed: nothing was run")
        raise DataLossRefused(f"{what} would lose the data of the {objects} above; nothing was run "
                              "(give --allow-data-loss to go on; no terminal to ask)")

    return consent


def _progress(text: str) -> None:
    """``click.echo(text, err=True, nl=False)`` for a progress or warning line: straight to stderr where
    click writes the text as it is (ASCII, no escape sequence to strip), a third of echo's cost a line."""
    stream = sys.stderr
    if stream is not None and text.isascii() and "\x1b" not in text:
        stream.write(text)
        stream.flush()
    else:
        click.echo(text, err=True, nl=False)


class _RunMarks:
    """The revisions a run finished ("ok": committed, unless in one transaction) and the one at work."""

    __slots__ = ("finished", "running")

    def __init__(self) -> None:
        self.finished: list[str] = []
        self.running: str | None = None

    def mark(self, revision: str, done: bool) -> None:
        if done:
            self.finished.append(revision)
            self.running = None
        else:
            self.running = revision


def _standing(config: Config, run: _RunMarks, did: str, one_transaction: bool) -> str:
    """Where the database stands after Ctrl-C stopped ``apply`` or ``rollback``: what was committed,
    what the open transaction took back, and any intent in doubt (read from the ledger afresh)."""
    from ledger import dialects
    from ledger.storage.db import dialect_of
    from ledger.inspect.status import in_doubt_note

    parts: list[str] = []
    names = ", ".join(run.finished)
    if one_transaction:
        parts.append("the run's one transaction was rolled back: "
                     + (f"the revisions printed \"ok\" ({names}) were rolled back with it, and " if names else "")
                     + "the database is as it was before the run")
    else:
        parts.append(f"{plural(len(run.finished), 'revision')} {did} and committed" + (f" ({names})" if names else ""))
        if run.running is not None:
            if not dialects.transactional_ddl(dialect_of(config.url)):
                parts.append(f"{run.running} stopped part way (MariaDB/MySQL commit each op: the ops recorded before "
                             "the interrupt stay)")
            else:
                parts.append(f"the open transaction of {run.running} was rolled back, so {run.running} is as it was "
                             "before the run")
    parts.append(in_doubt_note(config) or "nothing is in doubt")
    return "; ".join(parts)


def _sql_losses(losses: Sequence[Loss]) -> None:
    """--sql: the data the statements would lose, as SQL comments before them."""
    for loss in losses:
        click.echo(f"-- data loss: {loss.describe()}")



# ---------------------------------------------------------------------------------------------
# apply
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--to", "to", metavar="REVISION", help="Apply up to and including this revision (default: head).")
@click.option("--sql", "sql_only", is_flag=True, help="Print the DDL and ledger INSERTs instead of running them.")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every event (default: the revision's message).")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@LOCK_TIMEOUT
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--require-drill", is_flag=True,
              help="Refuse revisions that no passing recorded drill (drill --record) covered.")
@click.option("--one-transaction", is_flag=True,
              help="PostgreSQL and SQLite: all pending revisions in one transaction (a failure anywhere "
                   "leaves schema and ledger as before the run).")
@click.option("--ignore-drift", is_flag=True,
              help="Apply even when the tables the plan touches differ from the ledger (by hand changes).")
@_ALLOW_DATA_LOSS
@sealing
@pass_cli
def apply(state: CliContext, to: str | None, sql_only: bool, why: str | None, by: str | None, lock_timeout: float,
          quiet: bool, require_drill: bool, one_transaction: bool, allow_data_loss: bool, ignore_drift: bool) -> None:
    """Apply pending revisions, recording every operation in the ledger.

    PostgreSQL and SQLite apply each revision in one transaction (with --one-transaction,
    all of them in one); MariaDB/MySQL record an intent before each operation and its event
    after it. With --sql nothing is changed: the statements are printed, starting from the
    ledger's current state.

    \b
    With --require-drill, every revision to apply must have been covered (same id, same
    checksum) by a passing drill recorded in this database's ledger.

    Before anything runs, every table or column the run drops while it holds rows, and every
    type it narrows under values, is named with its row count; on a terminal you are asked
    to go on, without one the run is refused unless --allow-data-loss is given.

    \b
    Example: schema-ledger apply --to 0004 -m "release 2.3" --by alice
    """
    from ledger.run import apply as runner

    config, chain = state.config, state.chain
    if require_drill:
        from ledger.run.drill import require_drill as check_drilled

        check_drilled(config, chain, to)

    line_open = False
    run = _RunMarks()

    def progress(revision: Revision, position: int, total: int, done: bool) -> None:
        nonlocal line_open
        run.mark(revision.id, done)
        if quiet or sql_only:
            return
        if not done:
            _progress(f"[{position}/{total}] {revision.id}  {revision.title} ...")
            line_open = True
        else:
            ops = len(revision.ops)
            _progress(f" ok ({ops} op{'s' if ops != 1 else ''})\n")
            line_open = False

    if not sql_only:
        state.on_interrupt = lambda: _standing(config, run, "applied", one_transaction)
    try:
        result = runner.apply(config, chain=chain, to=to, sql_only=sql_only, why=why, by=by,
                              lock_timeout=lock_timeout, progress=progress, one_transaction=one_transaction,
                              consent=_consent(allow_data_loss, "apply"), ignore_drift=ignore_drift)
    except (LedgerError, KeyboardInterrupt) as exc:
        if line_open:
            click.echo(" interrupted" if isinstance(exc, KeyboardInterrupt) else " failed", err=True)
        raise
    if sql_only:
        _sql_losses(result.losses)
        for statement in result.sql:
            click.echo(statement.rstrip().rstrip(";") + ";")
        if not result.sql:  # said, not an empty output taken for a script
            click.echo(f"schema-ledger: nothing to apply: at {result.current or 'base'}; no SQL", err=True)
        return
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    if result.applied:
        click.echo(f"applied {plural(len(result.applied), 'revision')}; at {result.applied[-1].revision.id} ({where})")
    elif to is not None and result.current is not None and result.current not in {r.id for r in chain.upto(to)}:
        # Nothing ran: the target is below where the database stands.
        from ledger.project.revisions import RevisionError

        target = chain.resolve(to).id
        raise RevisionError(f"revision {target} is below the current revision {result.current}: apply only goes "
                            f"forward; to go back, use `schema-ledger rollback --to {target}`")
    else:
        click.echo(f"nothing to apply: at {result.current or 'base'} ({where})")
    # A revision file changed since it was applied: exit 1, as in status, history and verify.
    for warning in result.warnings:
        click.echo(f"schema-ledger: problem: {warning}", err=True)
    if result.warnings:
        sys.exit(1)

# ---------------------------------------------------------------------------------------------
# rollback
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--to", "to", required=True, metavar="POINT",
              help="Where to go back to: a revision id, @SEQ, an ISO 8601 time, base, or -N (N revisions back).")
@click.option("--sql", "sql_only", is_flag=True, help="Print the DDL and ledger INSERTs instead of running them.")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every revert (default: 'rollback to POINT').")
@click.option("--by", metavar="WHO", help="Who asked for the rollback (default: $SCHEMA_LEDGER_BY).")
@LOCK_TIMEOUT
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--skip-irreversible", is_flag=True,
              help="Mark irreversible operations in the way (an execute without reverse_sql, data changes "
                   "recorded from Alembic) as undone without running anything for them: what they did stays.")
@click.option("--one-transaction", is_flag=True,
              help="PostgreSQL and SQLite: the whole rollback in one transaction (a failure anywhere leaves "
                   "schema and ledger as before the run).")
@click.option("--through-baseline", is_flag=True,
              help="Allow going below the baseline (dropping the adopted tables); without it a baseline is a floor.")
@_ALLOW_DATA_LOSS
@sealing
@pass_cli
def rollback(state: CliContext, to: str, sql_only: bool, why: str | None, by: str | None, lock_timeout: float,
             quiet: bool, skip_irreversible: bool, one_transaction: bool, through_baseline: bool,
             allow_data_loss: bool) -> None:
    """Undo every change made after POINT by appending revert events (nothing is deleted).

    The whole plan is checked first: an irreversible operation (an execute without
    reverse_sql) in the way stops the command before anything changes. Data in the tables
    and columns that the rollback drops, or that a rolled-back drop took away, is gone:
    each such object is named in a warning. Rows that a constraint the rollback adds back
    cannot hold (a NOT NULL, a foreign key, a unique key) refuse it before anything runs,
    unless their table, and every table referring to it, is one it drops later: then they
    are deleted just before that constraint, named in a warning. Migration files are not needed: the reverse of every
    change comes from the ledger.

    A baseline is a floor: -N counts revisions (never the baseline), `base` on a baselined
    ledger is the state the database was adopted in, and a point below the baseline is
    refused, naming the tables it would drop, unless --through-baseline is given.

    \b
    Example: schema-ledger rollback --to 0004 -m "release 1.1 broke checkout" --by alice
    """
    from ledger.run.rollback import rollback as run_rollback

    line_open = False

    run = _RunMarks()

    def progress(revision: str | None, position: int, total: int, done: bool) -> None:
        nonlocal line_open
        run.mark(revision or "(no revision)", done)
        if quiet:
            return
        if not done:
            _progress(f"[{position}/{total}] rolling back {revision or '(no revision)'} ...")
            line_open = True
        else:
            _progress(" ok\n")
            line_open = False

    if not sql_only:
        state.on_interrupt = lambda: _standing(state.config, run, "rolled back", one_transaction)

    consent = _consent(allow_data_loss, "rollback")
    # the Alembic project's folder: where its alembic.ini was found (no configuration file), else here
    alembic_rows = _AlembicRows(state.config.project_dir if state.config.source is None else None)
    try:
        result = run_rollback(state.config, to=to, sql_only=sql_only, why=why, by=by, lock_timeout=lock_timeout,
                              progress=progress, skip_irreversible=skip_irreversible,
                              one_transaction=one_transaction, through_baseline=through_baseline,
                              consent=None if sql_only else consent, defined=lambda: _defined_revisions(state),
                              downgrade=alembic_rows)
    except IrreversibleError as exc:  # refused before anything ran: say what goes on past them
        raise IrreversibleError(f"{exc} (--skip-irreversible marks them undone without running anything: "
                                "what they did stays)") from None
    except (LedgerError, KeyboardInterrupt) as exc:
        if line_open:
            click.echo(" interrupted" if isinstance(exc, KeyboardInterrupt) else " failed", err=True)
        raise
    if sql_only:
        for warning in result.warnings:
            click.echo(f"schema-ledger: warning: {warning}", err=True)
        _sql_losses(result.losses)
        for statement in result.sql:
            click.echo(statement.rstrip().rstrip(";") + ";")
        if not result.sql:  # said, not an empty output taken for a script
            click.echo(f"schema-ledger: nothing to roll back: nothing after @{result.to_seq} is in effect; no SQL", err=True)
        return
    shown = {loss.describe() for loss in result.losses}  # named before the run, by the consent
    for warning in result.warnings:  # one a table or column a rollback to base drops: as click writes them
        if warning not in shown:
            _progress(f"schema-ledger: warning: {warning}\n")
    if state.verbose:
        for note in alembic_rows.notes():
            click.echo(f"schema-ledger: {note}", err=True)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    at = result.current or "base"
    if result.reverted:
        count = len(result.reverted)
        ops = sum(len(r.events) for r in result.reverted)
        click.echo(f"rolled back {count} revision{'s' if count != 1 else ''} ({ops} revert event{'s' if ops != 1 else ''})"
                   f" to @{result.to_seq}; at {at} ({where})")
    else:
        click.echo(f"nothing to roll back: nothing after @{result.to_seq} is in effect; at {at} ({where})")


class _AlembicRows:
    """How Alembic's version rows follow an undone revision (``ledger.integrations.alembic.heads``,
    loaded, with Alembic, only when the database has a version table to follow), and from what."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.rows: Any = None
        #: the revisions followed by the ledger's own rule because Alembic is not installed
        self.without_alembic: list[str] = []

    def __call__(self, rows: Any, revision: str, *args: Any) -> Any:
        if self.rows is None:
            try:
                from ledger.integrations.alembic.heads import VersionRows
            except ModuleNotFoundError as exc:
                if exc.name != "alembic":
                    raise
                self.without_alembic.append(revision)
                return None  # the rollback's own rule
            self.rows = VersionRows(self.folder)
        return self.rows(rows, revision, *args)

    def notes(self) -> list[str]:
        """For -v: which revisions' rows came from where."""
        if self.without_alembic:
            return [f"Alembic's version rows followed {', '.join(self.without_alembic)} by the ledger's own rule, "
                    "the latest revision still in effect (Alembic is not installed: pip install "
                    "'schema-ledger[alembic]'): right for a linear history only"]
        if self.rows is None:
            return []
        from ledger.integrations.alembic.heads import FILES, RECORDED, RULE

        here = "here" if self.folder is None or self.folder == Path.cwd().resolve() else f"in {self.folder}"
        said = {
            RECORDED: "as Alembic's downgrade of them does, from what the hook recorded of each revision",
            FILES: "as Alembic's downgrade of them does, from the revision files of "
                   f"{os.environ.get('ALEMBIC_CONFIG', 'alembic.ini')} (or pyproject.toml) {here} (the ledger holds no "
                   "record of them: written before such records)",
            RULE: "by the ledger's own rule, the latest revision still in effect (no record of them in the "
                  f"ledger, and no alembic.ini {here} that knows them): right for a linear history only",
        }
        by: dict[str, list[str]] = {}
        for revision, source in self.rows.sources.items():
            by.setdefault(source, []).append(revision)
        return [f"Alembic's version rows followed {', '.join(names)} {said[source]}" for source, names in by.items()]


def _defined_revisions(state: CliContext) -> tuple[str, ...] | None:
    """The revision ids the project's files define, for rollback's check that no revision without a
    file stays in effect; None (no check) when there is no migrations folder (the ledger is then the
    only history, as under Alembic with the hook) or its files do not load."""
    from ledger.project.folders import holds_migrations
    from ledger.project.revisions import RevisionError

    if not holds_migrations(state.config.migrations_dir):
        return None
    try:
        return state.chain.ids
    except RevisionError:
        return None
