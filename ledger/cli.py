"""The schema-ledger command line.

Exit codes: 0 success; 1 the command ran and found a problem (a failed statement, an
in-doubt intent, a changed revision file, a lock that could not be had); 2 a usage or input
error (bad options, a bad configuration file, a malformed migration file). A LedgerError is
one line on stderr; ``-v`` adds the traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from pathlib import Path
from typing import Any

import attrs
import click

from ops import InvalidOperationError, LedgerError

from . import __version__
from .config import CONFIG_FILE, Config, ConfigError, load_config, render_config
from .revisions import Revision, RevisionChain, RevisionError, load_revisions, new_revision_file

__all__ = ["CliContext", "main", "pass_cli"]

#: errors that mean "the input is wrong" (exit 2) rather than "the run found a problem" (exit 1)
INPUT_ERRORS: tuple[type[BaseException], ...] = (ConfigError, RevisionError, InvalidOperationError)


class Failure(click.ClickException):
    """A LedgerError on its way out: one line on stderr and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(f"schema-ledger: error: {self.format_message()}", err=True)


class _Group(click.Group):
    """Turns LedgerErrors raised by any command into :class:`Failure`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LedgerError as exc:
            state = ctx.find_object(CliContext)
            if state is not None and state.verbose:
                traceback.print_exc()
            code = 2 if isinstance(exc, INPUT_ERRORS) or _is_input_error(exc) else 1
            raise Failure(" ".join(str(exc).split()) or type(exc).__name__, code) from None


def _is_input_error(exc: LedgerError) -> bool:
    # Points and times given on the command line that name nothing are input errors too.
    return type(exc).__name__ in ("InvalidPoint",)


@attrs.define
class CliContext:
    """What every command gets: the global options, the configuration and the revisions, loaded once."""

    url: str | None = None
    config_path: Path | None = None
    verbose: bool = False
    _config: Config | None = None
    _chain: RevisionChain | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path, url=self.url)
        return self._config

    @property
    def chain(self) -> RevisionChain:
        if self._chain is None:
            config = self.config
            self._chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention)
        return self._chain


pass_cli = click.make_pass_decorator(CliContext)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="schema-ledger")
@click.option("--url", metavar="URL", help="Database URL; overrides SCHEMA_LEDGER_URL and the config file.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: the nearest schema-ledger.toml or pyproject.toml).")
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of an error.")
@click.pass_context
def main(ctx: click.Context, url: str | None, config_path: Path | None, verbose: bool) -> None:
    """Schema migrations where the history is data.

    Every schema operation is recorded as an immutable, hash-chained event in a ledger table
    inside the database it changed.

    \b
    Example: schema-ledger --url postgresql://app@db/app status
    """
    ctx.obj = CliContext(url=url, config_path=config_path, verbose=verbose)


# ---------------------------------------------------------------------------------------------
# init, new
# ---------------------------------------------------------------------------------------------


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--migrations", default="migrations", show_default=True, help="Name of the migrations folder.")
@pass_cli
def init(state: CliContext, directory: Path, migrations: str) -> None:
    """Start a project: write schema-ledger.toml and an empty migrations folder.

    The database URL is --url when given, else the embedded default (a SQLite file
    schema-ledger.db next to the config).

    \b
    Example: schema-ledger init myproject
    """
    directory.mkdir(parents=True, exist_ok=True)
    config_file = directory / CONFIG_FILE
    if config_file.exists():
        raise ConfigError(f"{config_file} already exists")
    folder = directory / migrations
    folder.mkdir(parents=True, exist_ok=True)
    config_file.write_text(render_config(**({"url": state.url} if state.url else {}), migrations=migrations),
                           encoding="utf-8")
    click.echo(f"wrote {config_file}")
    click.echo(f"created {folder}/ -- add a revision with: schema-ledger new -m \"create the first tables\"")


@main.command()
@click.option("-m", "--message", required=True, help="What the revision does (becomes its docstring).")
@click.option("--rev-id", metavar="ID", help="The revision id (default: 12 random hex digits).")
@pass_cli
def new(state: CliContext, message: str, rev_id: str | None) -> None:
    """Write a new, empty revision file on top of the current head.

    \b
    Example: schema-ledger new -m "add a comment column to orders"
    """
    chain = state.chain
    if rev_id is not None and chain.get(rev_id) is not None:
        raise RevisionError(f"revision id {rev_id} is already used by {chain.get(rev_id).path}")  # type: ignore[union-attr]
    head = chain.head
    path = new_revision_file(state.config.migrations_dir, message, head.id if head else None, revision=rev_id)
    click.echo(f"wrote {path}")


# ---------------------------------------------------------------------------------------------
# apply
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--to", "to", metavar="REVISION", help="Apply up to and including this revision (default: head).")
@click.option("--sql", "sql_only", is_flag=True, help="Print the DDL and ledger INSERTs instead of running them.")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every event (default: the revision's message).")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@click.option("--lock-timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@pass_cli
def apply(state: CliContext, to: str | None, sql_only: bool, why: str | None, by: str | None, lock_timeout: float,
          quiet: bool) -> None:
    """Apply pending revisions, recording every operation in the ledger.

    PostgreSQL and SQLite apply each revision in one transaction; MariaDB/MySQL record an
    intent before each operation and its event after it. With --sql nothing is changed:
    the statements are printed, starting from the ledger's current state.

    \b
    Example: schema-ledger apply --to 0004 -m "release 2.3" --by alice
    """
    from . import runner

    config, chain = state.config, state.chain

    line_open = False

    def progress(revision: Revision, position: int, total: int, done: bool) -> None:
        nonlocal line_open
        if quiet or sql_only:
            return
        if not done:
            click.echo(f"[{position}/{total}] {revision.id}  {revision.title} ...", err=True, nl=False)
            line_open = True
        else:
            ops = len(revision.ops)
            click.echo(f" ok ({ops} op{'s' if ops != 1 else ''})", err=True)
            line_open = False

    try:
        result = runner.apply(config, chain=chain, to=to, sql_only=sql_only, why=why, by=by,
                              lock_timeout=lock_timeout, progress=progress)
    except LedgerError:
        if line_open:
            click.echo(" failed", err=True)
        raise
    if sql_only:
        for statement in result.sql:
            click.echo(statement.rstrip().rstrip(";") + ";")
        return
    for warning in result.warnings:
        click.echo(f"schema-ledger: warning: {warning}", err=True)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    if result.applied:
        count = len(result.applied)
        click.echo(f"applied {count} revision{'s' if count != 1 else ''}; at {result.applied[-1].revision.id} ({where})")
    else:
        click.echo(f"nothing to apply: at {result.current or 'base'} ({where})")


# ---------------------------------------------------------------------------------------------
# status, history, log
# ---------------------------------------------------------------------------------------------


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def status(state: CliContext, as_json: bool) -> None:
    """Show the current revision, the ledger head, pending and in-doubt changes, changed files.

    Exits 1 when an intent is in doubt, a revision file changed since it was applied, or the
    ledger holds a revision no file defines; pending revisions alone are not a problem.

    \b
    Example: schema-ledger status --json
    """
    from . import runner

    report = runner.status(state.config, chain=state.chain)
    if as_json:
        _print_json(report.to_json())
    else:
        head = f"seq {report.head.seq}, hash {report.head.hash}" if report.head else "empty"
        current = report.current or "base (nothing applied)"
        title = next((r.message for r in report.revisions if r.id == report.current), "")
        rows = [
            ("database", f"{report.url} ({report.dialect})"),
            ("ledger", f"{report.ledger_table}: {head}" if report.ledger_exists else f"{report.ledger_table}: not created yet"),
            ("current", f"{current}  {title}".rstrip()),
            ("pending", ", ".join(report.pending) or "none"),
            ("in doubt", ", ".join(f"seq {e.seq} ({e.revision}: {e.op_type})" for e in report.in_doubt) or "none"),
            ("checksums", "ok" if not report.mismatched else "changed: " + ", ".join(r.id for r in report.mismatched)),
        ]
        for label, value in rows:
            click.echo(f"{label:<10} {value}")
        for problem in report.problems:
            click.echo(f"schema-ledger: problem: {problem}", err=True)
    if report.problems:
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def history(state: CliContext, as_json: bool) -> None:
    """List the revisions in chain order and whether each is applied.

    \b
    Example: schema-ledger history
    """
    from . import runner

    revisions = runner.history(state.config, chain=state.chain)
    if as_json:
        _print_json([r.to_json() for r in revisions])
        return
    if not revisions:
        click.echo("no revisions (write one with: schema-ledger new -m MESSAGE)")
    for revision in revisions:
        data = revision.to_json()
        mark = "x" if revision.applied else " "
        line = f"[{mark}] {revision.id:<14} {revision.message}"
        if revision.applied:
            line += f"  (seq {data['applied_seq']}, {data['applied_at']}, {data['applied_by']})"
        if revision.checksum_matches is False:
            line += "  CHANGED SINCE APPLIED"
        click.echo(line)


def _time(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    from .points import parse_time

    try:
        moment = parse_time(value)
    except LedgerError as exc:
        raise click.BadParameter(str(exc), param=param) from None
    if moment is None:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time such as 2026-01-31 or 2026-01-31T14:00Z",
                                 param=param)
    return moment


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--revision", metavar="R", help="Only events of this revision.")
@click.option("--table", metavar="T", help="Only events on this table.")
@click.option("--since", metavar="TIME", callback=_time, help="Only events at or after this ISO 8601 time (UTC if no zone).")
@click.option("--until", metavar="TIME", callback=_time, help="Only events at or before this ISO 8601 time.")
@pass_cli
def log(state: CliContext, as_json: bool, revision: str | None, table: str | None, since: dt.datetime | None,
        until: dt.datetime | None) -> None:
    """Show the ledger's events, oldest first: what changed, who, when and why.

    \b
    Example: schema-ledger log --table orders --since 2026-01-01
    """
    from . import runner

    events = runner.log_events(state.config, revision=revision, table=table, since=since, until=until)
    if as_json:
        _print_json([runner.event_json(e) for e in events])
        return
    for event in events:
        who = event.actor.by or event.actor.os_user
        line = (f"{event.seq:>5}  {event.recorded_at}  {event.kind:<8} {event.revision or '-':<14} "
                f"{runner.describe_event(event)}  [{who}@{event.actor.host}]")
        if event.message:
            line += f"  -- {event.message.splitlines()[0]}"
        click.echo(line)


# ---------------------------------------------------------------------------------------------
# import-alembic
# ---------------------------------------------------------------------------------------------


@main.command("import-alembic")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dialect", type=click.Choice(["sqlite", "postgresql", "mysql"]), default="sqlite", show_default=True,
              help="The database each upgrade() runs on: its dialect conditionals take this branch.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Where the migration files go (default: the project's migrations folder).")
@click.option("--scratch-url", metavar="URL",
              help="An empty database of --dialect to run the revisions on (needed for postgresql and mysql; "
                   "default: $SCHEMA_LEDGER_SCRATCH_URL).")
@pass_cli
def import_alembic(state: CliContext, path: Path, dialect: str, into: Path | None, scratch_url: str | None) -> None:
    """Convert an Alembic script folder (or its alembic.ini) into schema-ledger migration files.

    Each revision's upgrade() runs on a scratch database of --dialect with the Alembic hook;
    one file per revision is written, same id and message, in Alembic's upgrade order
    (branches and merges are linearized, and the file says so). Data migrations become
    op.execute calls with the SQL that ran. What cannot be imported is listed with its file
    and line, and the command exits 1; the other revisions are still written.

    \b
    Example: schema-ledger import-alembic alembic/ --dialect postgresql --scratch-url postgresql://localhost/scratch
    """
    from .alembic_import import ImportError_, import_alembic as run_import

    if into is None:
        try:
            into = state.config.migrations_dir
        except ConfigError:
            into = Path("migrations")
    try:
        result = run_import(path, dialect, into, url=scratch_url)
    except ImportError_ as exc:
        raise click.UsageError(str(exc)) from None
    for revision in result.revisions:
        note = "  (linearized)" if revision.linearized else ""
        click.echo(f"wrote {revision.path}  {revision.ops} op{'s' if revision.ops != 1 else ''}{note}")
    for problem in result.problems:
        click.echo(f"schema-ledger: problem: {problem}", err=True)
    click.echo(f"imported {len(result.revisions)} revisions into {result.into}"
               + (f"; {len(result.problems)} problem(s)" if result.problems else ""))
    if result.problems:
        sys.exit(1)
