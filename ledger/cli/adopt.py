"""The commands that adopt a database (``baseline``, ``stamp``), prove that its revisions can be
rolled back and applied again (``drill``) and settle what a stopped run left (``recover``): apart
from ``apply`` and ``rollback`` (:mod:`ledger.cli.run`), so that those two load none of them."""

from __future__ import annotations

import sys

import click

from ledger.cli.app import LOCK_TIMEOUT, CliContext, main, pass_cli, plural, print_json, sealing
from ledger.cli.run import _defined_revisions

__all__ = ["baseline", "drill", "recover", "stamp"]


@main.command()
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every baseline event.")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@LOCK_TIMEOUT
@sealing
@pass_cli
def baseline(state: CliContext, why: str | None, by: str | None, lock_timeout: float) -> None:
    """Adopt an existing database: record its live schema as baseline events.

    Tables, then indexes, then foreign keys, so that the fold of the ledger is the live
    schema; refused when the ledger already has events. An Alembic revision found in an
    alembic_version table is named in the events' message. The schema is also written to
    baseline.json in the migrations folder, where `new --autogenerate` starts from it.

    \b
    Example: schema-ledger baseline -m "adopt the production database" --by alice
    """
    from ledger.run.baseline import BaselineError, baseline as run_baseline

    from ledger.project.folders import holds_migrations

    if holds_migrations(state.config.migrations_dir):
        from ledger.run.stamp import alembic_revision

        found = alembic_revision(state.config, lock_timeout=lock_timeout)
        defined = _defined_revisions(state) or ()
        if found is not None and all(head.strip() in defined for head in found.split(",")):
            # The files already describe this database (import-alembic): a baseline would leave them pending.
            which = "revision {}, which a migration file defines" if "," not in found else \
                "revisions {}, which migration files define"
            raise BaselineError(f"the database is at Alembic {which.format(found)}: adopt it with `schema-ledger "
                                f"stamp` (the revisions up to {found} then count as applied); a baseline would leave "
                                "them all pending")
    result = run_baseline(state.config, why=why, by=by, lock_timeout=lock_timeout)
    for warning in result.warnings:
        click.echo(f"schema-ledger: warning: {warning}", err=True)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    alembic = f"; Alembic revision {result.alembic_revision}" if result.alembic_revision else ""
    sequences = f" and {plural(result.sequences, 'sequence')}" if result.sequences else ""
    click.echo(f"baseline: {plural(result.tables, 'table')}{sequences} recorded as {plural(len(result.events), 'event')} "
               f"({where}){alembic}")
    if result.snapshot is not None:
        click.echo(f"wrote {result.snapshot}")


@main.command()
@click.argument("revision", required=False, metavar="[REVISION]")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every baseline event.")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@LOCK_TIMEOUT
@click.option("--force", is_flag=True,
              help="Record the files' schema even where the live schema differs (the differences are printed).")
@pass_cli
def stamp(state: CliContext, revision: str | None, why: str | None, by: str | None, lock_timeout: float,
          force: bool) -> None:
    """Adopt a database that is already at REVISION of the migration files (Alembic's stamp).

    REVISION defaults to the one in the database's alembic_version table: the way onto
    native files for a database Alembic migrated, after `import-alembic`. The revisions up to
    it are recorded as baseline events (nothing is run), so they are applied for `status`
    and `apply`; on top of the schema they start from when the folder has a baseline.json
    (`import-alembic --from-url`). Refused, with the difference shown, unless the live schema
    is the schema those revisions build (--force: recorded anyway, and said). Refused when
    the ledger has events.

    \b
    Example: schema-ledger stamp              # at the revision in alembic_version
    Example: schema-ledger stamp 3f2a9c1b0d4e -m "moved off Alembic" --by alice
    """
    from ledger.run.stamp import stamp as run_stamp

    result = run_stamp(state.config, state.chain, revision, why=why, by=by, lock_timeout=lock_timeout, force=force)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    source = " (from alembic_version)" if result.source == "alembic_version" else ""
    start = f" on the schema baseline.json starts from ({plural(result.start_tables, 'table')})" if result.start_tables else ""
    checked = "recorded over the live schema" if result.differences else "checked against the live schema"
    click.echo(f"stamped at {result.revision}{source}: {plural(len(result.revisions), 'revision')}{start} recorded as "
               f"{plural(len(result.events), 'baseline event')}, {plural(result.tables, 'table')} {checked} ({where})")
    if result.differences:
        click.echo(f"schema-ledger: warning: --force: the live schema is not the schema the files build "
                   f"({plural(len(result.differences), 'difference')}, as the ops that lead from the files' schema "
                   "to the live one; `verify --live` shows them):", err=True)
        for line in result.differences:
            click.echo(f"  {line}", err=True)


# ---------------------------------------------------------------------------------------------
# drill
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--scratch", metavar="URL",
              help="An empty database to drill on (default: a temporary SQLite file, or a temporary database "
                   "on the target's server, dropped afterwards).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--record", is_flag=True, help="Append a drill event with the result to the target's ledger.")
@click.option("--allow-irreversible", is_flag=True,
              help="Report irreversible ops without failing; the drill goes on past them on the scratch database.")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with the drill event.")
@click.option("--by", metavar="WHO", help="Who ran the drill (default: $SCHEMA_LEDGER_BY).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.option("--from-ledger", is_flag=True,
              help="Drill the revisions in effect in the target's ledger instead of the migration files "
                   "(the default when the migrations folder does not exist, e.g. under Alembic with the hook).")
@sealing
@pass_cli
def drill(state: CliContext, scratch: str | None, as_json: bool, record: bool, allow_irreversible: bool,
          why: str | None, by: str | None, quiet: bool, from_ledger: bool) -> None:
    """Prove on a scratch database that every revision can be undone exactly.

    Applies each revision on its own, rolls back one revision at a time to base, then applies
    everything again, checking after each step that the reflected live schema equals the fold
    of the ledger. Prints a table (revision, up, down, again, live==fold, irreversible ops,
    data-loss warnings); exits 1 on any failure, naming the revision, the op and the
    difference. The target database is only read (and, with --record, appended to).

    The revisions are the migration files', or with --from-ledger (and whenever the
    migrations folder does not exist) those in effect in the target's ledger, with the ops
    its events recorded: how a database migrated by Alembic with the hook is drilled.

    \b
    Example: schema-ledger drill --record --by ci
    """
    from ledger.run.drill import drill as run_drill, record_drill
    from ledger.project.folders import holds_migrations, why_no_migrations
    from ledger.project.revisions import display_path

    def progress(phase: str, revision: str, ok: bool) -> None:
        if not quiet and not as_json:
            click.echo(f"{phase:<5} {revision} {'ok' if ok else 'FAILED'}", err=True)

    folder = state.config.migrations_dir
    if not from_ledger and holds_migrations(folder):
        from ledger.inspect import status as status_mod

        # Files and database must agree: a drill of the files says nothing about a ledger that has
        # revisions in effect no file defines.
        unknown = status_mod.status(state.config, chain=state.chain).unknown
        if unknown:
            click.echo(f"schema-ledger: error: the ledger has {'revision' if len(unknown) == 1 else 'revisions'} "
                       f"{', '.join(unknown)} in effect that no migration file defines: check out the branch that "
                       "has the files, or roll them back first (`schema-ledger rollback` needs no file)", err=True)
            sys.exit(1)
    if not from_ledger and not holds_migrations(folder):
        from_ledger = True
        if not quiet:
            click.echo(f"{display_path(folder)} {why_no_migrations(folder)}: drilling the revisions of the "
                       "ledger (--from-ledger)", err=True)
    report = run_drill(state.config, chain=None if from_ledger else state.chain, scratch=scratch,
                       allow_irreversible=allow_irreversible, progress=progress, from_ledger=from_ledger)
    event = record_drill(state.config, report, why=why, by=by) if record else None
    if as_json:
        data = report.to_json()
        data["recorded_seq"] = event.seq if event is not None else None
        print_json(data)
    else:
        click.echo(report.table(), nl=False)
        if event is not None:
            click.echo(f"recorded as ledger seq {event.seq}, hash {event.hash}")
    if not report.passed:
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# recover
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--assume", type=click.Choice(["applied", "abandoned"]),
              help="For an intent whose op the live schema cannot show (an execute): record it as this.")
@click.option("--dry-run", is_flag=True, help="Say how each intent would be settled; record and run nothing.")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every event recover writes.")
@click.option("--by", metavar="WHO", help="Who settled the intents (default: $SCHEMA_LEDGER_BY).")
@LOCK_TIMEOUT
@sealing
@pass_cli
def recover(state: CliContext, assume: str | None, dry_run: bool, why: str | None, by: str | None,
            lock_timeout: float) -> None:
    """Settle intents in doubt (MariaDB/MySQL) by reflecting the live schema.

    An intent without its event is left by a run that stopped between an op's intent and its
    event. Under the applier lock, each one is compared with the live schema: when the change
    is there its apply (or revert) event is recorded; when it is not, an abandon event; when
    an op ran only in part (a table created, its index not), the missing indexes and
    constraints are created and the event recorded. Exits 1, naming the seq, when the live
    schema matches neither. Afterwards `apply` or `rollback` goes on where the run stopped.

    \b
    Example: schema-ledger recover --by alice -m "applier killed during deploy 2.3"
    """
    from ledger.run.recover import recover as run_recover

    result = run_recover(state.config, why=why, by=by, lock_timeout=lock_timeout, assume=assume, dry_run=dry_run)
    for settled in result.settled:
        click.echo(settled.describe())
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    if not result.settled:
        click.echo(f"nothing in doubt ({where})")
    elif not dry_run:
        count = len(result.settled)
        click.echo(f"settled {count} intent{'s' if count != 1 else ''} ({where})")
