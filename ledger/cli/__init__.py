"""The schema-ledger command line.

Exit codes: 0 success; 1 the command ran and found a problem (a failed statement, an
in-doubt intent, a changed revision file, a lock that could not be had); 2 a usage or input
error (bad options, a bad configuration file, a malformed migration file). A LedgerError is
one line on stderr; ``-v`` adds the traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from ops import InvalidOperationError, LedgerError

from ledger import __version__

if TYPE_CHECKING:  # what a command needs is imported in the command: start-up stays cheap
    from ledger.project.config import Config
    from ledger.project.revisions import Revision, RevisionChain

if TYPE_CHECKING:
    from ledger.schema.dataloss import Loss

__all__ = ["CliContext", "main", "pass_cli"]

#: the exit code of a command stopped by Ctrl-C (128 + SIGINT)
INTERRUPTED = 130


@functools.cache
def exit_codes() -> dict[type[BaseException], int]:
    """The exit code of each error class: the nearest class of an error's MRO listed here decides.

    2: the input is wrong (configuration, migration file, an op that does not fit, a point that
    names nothing); 1: the command ran and found a problem (every other LedgerError). Built on
    first use: what a command needs is imported in the command.
    """
    from ledger.project.config import ConfigError
    from ledger.project.points import InvalidPoint
    from ledger.storage.db import UnknownDatabase
    from ledger.format.events import InputTooLong
    from ledger.project.revisions import RevisionError

    return {LedgerError: 1, ConfigError: 2, RevisionError: 2, InvalidOperationError: 2, InvalidPoint: 2,
            InputTooLong: 2, UnknownDatabase: 2}


def exit_code(exc: LedgerError) -> int:
    """The exit code :func:`exit_codes` gives ``exc``."""
    table = exit_codes()
    for klass in type(exc).__mro__:
        code = table.get(klass)
        if code is not None:
            return code
    return 1


class Failure(click.ClickException):
    """A LedgerError on its way out: one line on stderr and its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        click.echo(printable(f"schema-ledger: error: {self.format_message()}"), err=True)


class _Group(click.Group):
    """Turns LedgerErrors raised by any command into :class:`Failure`.

    Anything else that escapes a command is a bug, but it still ends as one line (exit 1) that
    says so; ``-v`` shows its traceback. A file that cannot be read or written is not a bug:
    it is named in one line too.
    """

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _usage_failure(exc) from None
        except KeyboardInterrupt:
            click.echo("\nschema-ledger: interrupted: nothing was run", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        # The global options are accepted after the subcommand as well (`schema-ledger status --url URL`).
        cmd.params.extend(_late_global_options())
        super().add_command(cmd, name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name in ALEMBIC_COMMANDS and self.get_command(ctx, name) is None:
            raise click.UsageError(f"no command '{name}'; did you mean `schema-ledger {ALEMBIC_COMMANDS[name]}`?", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _usage_failure(exc) from None
        except BrokenPipeError:
            # The reader (`| head`) has gone: stop quietly, as other command-line tools do.
            _quiet_stdout()
            raise click.exceptions.Exit(0) from None
        except KeyboardInterrupt:
            # Ctrl-C: exit 130 and one line saying where the database stands, never a traceback.
            state = ctx.find_object(CliContext)
            standing = state.on_interrupt if state is not None else None
            line = "interrupted"
            if standing is not None:
                try:
                    line += f": {standing()}"
                except Exception as exc:  # noqa: BLE001 - the line must come out whatever happens
                    line += f" (where the database stands could not be read: {type(exc).__name__}); " \
                            "see `schema-ledger status`"
            click.echo(f"schema-ledger: {line}", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - no traceback reaches the user (see above)
            state = ctx.find_object(CliContext)
            if state is not None and state.verbose:
                traceback.print_exc()
            message = " ".join(str(exc).split()) or type(exc).__name__
            if isinstance(exc, LedgerError):
                raise Failure(message, exit_code(exc)) from None
            if isinstance(exc, OSError):
                raise Failure(f"{exc.filename or ''}{': ' if exc.filename else ''}{exc.strerror or message}", 1) from None
            if isinstance(exc, ModuleNotFoundError) and exc.name == "alembic":
                raise Failure(message if "schema-ledger[alembic]" in message else
                              "this needs Alembic: pip install 'schema-ledger[alembic]'", 1) from None
            if isinstance(exc, ValueError) and "null byte" in message:
                raise Failure("a path or value holds a NUL character", 2) from None
            raise Failure(f"internal error: {type(exc).__name__}: {message[:300]} (run with -v for the traceback, "
                          "and please report it)", 1) from None


#: Alembic's commands that schema-ledger names differently (docs/from-alembic.md)
ALEMBIC_COMMANDS = {
    "upgrade": "apply", "downgrade": "rollback", "current": "status", "heads": "status",
    "stamp": "stamp", "check": "verify --live", "show": "log --revision REV", "branches": "history",
    "revision": "new", "merge": "new", "edit": "new", "list_templates": "init", "ensure_version": "apply",
}


def _usage_failure(exc: click.UsageError) -> Failure:
    """Click's usage error as one line, like every other error (exit 2)."""
    message = " ".join(exc.format_message().split())
    if message.startswith("No such command") or "did you mean `schema-ledger" in message:
        hint = " (see `schema-ledger --help`)" if message.startswith("No such command") else ""
    else:
        sub = exc.ctx.command_path.split()[1:] if exc.ctx is not None else []
        hint = f" (see `{' '.join(['schema-ledger', *sub])} --help`)"
    return Failure(message[:1].lower() + message[1:] + hint, 2)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def _set_late_global(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is None or value is False:
        return
    state = ctx.find_object(CliContext)
    if state is not None:
        setattr(state, str(param.name), value)


def _late_global_options() -> list[click.Option]:
    """--url, --config, -v and --load-timeout, as options of a subcommand (hidden in its help)."""
    return [
        click.Option(["--url"], metavar="URL", expose_value=False, callback=_set_late_global, hidden=True),
        click.Option(["--config", "config_path"], type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     expose_value=False, callback=_set_late_global, hidden=True),
        click.Option(["-v", "--verbose"], is_flag=True, default=None, expose_value=False, callback=_set_late_global,
                     hidden=True),
        click.Option(["--load-timeout", "load_timeout"], type=SECONDS, metavar="SECONDS", expose_value=False,
                     callback=_set_late_global, hidden=True),
    ]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    """``1 table``, ``2 tables``."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _folded(ids: Sequence[str], limit: int = 10) -> str:
    """A list of revision ids, folded when long: ``180 pending: 0001 ... 0180``."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{len(ids)} pending: {ids[0]} ... {ids[-1]}"


class _Seconds(click.ParamType):
    """A finite, non-negative number of seconds."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float):
            return value
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < 0 or seconds > 1e7:
            self.fail(f"{value!r} is not a number of seconds between 0 and 10000000", param, ctx)
        return seconds


SECONDS = _Seconds()


class _Databases(click.Choice):
    """The supported databases, read from the database objects (:mod:`ledger.dialects`) when a
    command line is parsed or help is shown; ``flavours``: MariaDB's "mariadb" too."""

    def __init__(self, *, flavours: bool) -> None:
        self.flavours = flavours
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from ledger import dialects

        return dialects.choices() if self.flavours else dialects.names()

    @choices.setter
    def choices(self, _value: object) -> None:
        pass


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


@attrs.define
class _RunMarks:
    """The revisions a run finished ("ok": committed, unless in one transaction) and the one at work."""

    finished: list[str] = attrs.field(factory=list)
    running: str | None = None

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
        parts.append(f"{_plural(len(run.finished), 'revision')} {did} and committed" + (f" ({names})" if names else ""))
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


@attrs.define
class CliContext:
    """What every command gets: the global options, the configuration and the revisions, loaded once."""

    url: str | None = None
    config_path: Path | None = None
    verbose: bool = False
    #: seconds each migration file may take to load (None: $SCHEMA_LEDGER_LOAD_TIMEOUT or the default)
    load_timeout: float | None = None
    #: --sign-key and --anchor of the command, over the environment and the file
    sign_key: str | None = None
    anchor: Path | None = None
    _config: Config | None = None
    _chain: RevisionChain | None = None
    #: what a Ctrl-C says about the database (set by the commands that change it)
    on_interrupt: Callable[[], str] | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from ledger.project.config import CONFIG_FILE, URL_ENV, ConfigError, load_config, load_plugins

            config = load_config(self.config_path, url=self.url)
            if config.source is None and not self.url and not os.environ.get(URL_ENV):
                # Outside a project nothing is invented: no default database file, no ledger.
                raise ConfigError(f"no {CONFIG_FILE} found in {Path.cwd()} or any folder above it: run "
                                  "`schema-ledger init`, or give --config FILE or --url URL")
            load_plugins(config)  # before any ledger is read or migration file loaded
            if self.sign_key is not None:
                config = attrs.evolve(config, sign_key=self.sign_key)
            if self.anchor is not None:
                config = attrs.evolve(config, anchor=self.anchor.absolute())
            self._config = config
        return self._config

    @property
    def chain(self) -> RevisionChain:
        if self._chain is None:
            from ledger.project.revisions import load_revisions

            config = self.config
            self._chain = load_revisions(config.migrations_dir, naming_convention=config.naming_convention,
                                         load_timeout=self.load_timeout)
        return self._chain


    def chain_or_ledger(self, quiet: bool = False) -> RevisionChain:
        """The project's revisions; without a migrations folder (an Alembic project with the hook)
        the revisions recorded in the database's ledger, as ``drill --from-ledger`` takes them."""
        config = self.config
        if config.migrations_dir.is_dir():
            return self.chain
        from ledger.run.drill import ledger_revisions
        from ledger.project.revisions import display_path
        from ledger.inspect.status import ledger_events_or_none

        events = ledger_events_or_none(config)
        if events is None:
            return self.chain  # no ledger either: the missing folder is the error to report
        if not quiet:
            click.echo(f"{display_path(config.migrations_dir)} does not exist: the revisions are those of the "
                       "ledger", err=True)
        return ledger_revisions(events)


pass_cli = click.make_pass_decorator(CliContext)

#: characters that would move the cursor, end a line or reorder text on a terminal
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {
    c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x0a``): what the ledger holds cannot forge a line."""
    return text.translate(_CONTROL)


def _keep(name: str) -> Any:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        state = ctx.find_object(CliContext)
        if value is not None and state is not None:
            setattr(state, name, str(value) if name == "sign_key" else value)
    return callback


_ANCHOR_HELP = "Append the new head to this anchor file (default: $SCHEMA_LEDGER_ANCHOR, the config's anchor)."


def sealing(command: Any) -> Any:
    """--sign-key and --anchor for a command that writes events (see docs/audit.md); its -m is checked
    against the ledger's message column before anything runs."""
    run = command

    @functools.wraps(run)
    def checked(*args: Any, **kwargs: Any) -> Any:
        from ledger.format.events import MAX_MESSAGE, check_text

        if kwargs.get("why"):
            check_text(kwargs["why"], "-m/--message", MAX_MESSAGE)
        return run(*args, **kwargs)

    command = checked
    command = click.option("--anchor", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                           expose_value=False, callback=_keep("anchor"), help=_ANCHOR_HELP)(command)
    return click.option("--sign-key", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                        expose_value=False, callback=_keep("sign_key"),
                        help="Sign the new head with this Ed25519 key (default: $SCHEMA_LEDGER_SIGNING_KEY).")(command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="schema-ledger")
@click.option("--url", metavar="URL", help="Database URL; overrides SCHEMA_LEDGER_URL and the config file.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: the nearest schema-ledger.toml or pyproject.toml).")
@click.option("-v", "--verbose", is_flag=True, help="Show the traceback of an error.")
@click.option("--load-timeout", type=SECONDS, metavar="SECONDS",
              help="How long loading one migration file may take (default: $SCHEMA_LEDGER_LOAD_TIMEOUT or 30; 0: no limit).")
@click.pass_context
def main(ctx: click.Context, url: str | None, config_path: Path | None, verbose: bool,
         load_timeout: float | None) -> None:
    """Schema migrations where the history is data.

    Every schema operation is recorded as an immutable, hash-chained event in a ledger table
    inside the database it changed.

    \b
    Example: schema-ledger --url postgresql://app@db/app status
    """
    ctx.obj = CliContext(url=url, config_path=config_path, verbose=verbose, load_timeout=load_timeout)


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
    from ledger.project.config import CONFIG_FILE, ConfigError, render_config

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
@click.option("--autogenerate", is_flag=True,
              help="Fill upgrade() with the ops that turn the migrations' head into the target_metadata schema.")
@pass_cli
def new(state: CliContext, message: str, rev_id: str | None, autogenerate: bool) -> None:
    """Write a new revision file on top of the current head (empty, or --autogenerate'd).

    With --autogenerate the project's target_metadata is compared with the schema the
    migration files build (no database is read), and upgrade() holds the ops that close the
    difference; a configured autogenerate_hook may rewrite them first.

    \b
    Example: schema-ledger new -m "add a comment column to orders"
    Example: schema-ledger new -m "sync with the models" --autogenerate
    """
    from ledger.project.revisions import RevisionError, check_revision_id, new_revision_file

    if not message.strip():
        raise click.BadParameter("the message may not be empty: say what the revision does", param_hint="'-m'")
    if rev_id is not None:
        try:
            check_revision_id(rev_id)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="'--rev-id'") from None
    chain = state.chain
    if rev_id is not None and chain.get(rev_id) is not None:
        raise RevisionError(f"revision id {rev_id} is already used by {chain.get(rev_id).path}")  # type: ignore[union-attr]
    if autogenerate:
        from ledger.schema.autogenerate import autogenerate as run_autogenerate

        result = run_autogenerate(state.config, chain, message, rev_id=rev_id)
        if not result.paths:
            click.echo("no changes: the migrations' head already matches the target metadata; nothing written")
        for draft, path in zip(result.drafts, result.paths):
            count = len(draft.ops)
            click.echo(f"wrote {path}  ({count} op{'s' if count != 1 else ''})")
            for op in draft.ops:
                click.echo(f"  {op.describe()}")
        return
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
@click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
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
            click.echo(f"[{position}/{total}] {revision.id}  {revision.title} ...", err=True, nl=False)
            line_open = True
        else:
            ops = len(revision.ops)
            click.echo(f" ok ({ops} op{'s' if ops != 1 else ''})", err=True)
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
        return
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    if result.applied:
        click.echo(f"applied {_plural(len(result.applied), 'revision')}; at {result.applied[-1].revision.id} ({where})")
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
    from ledger.inspect import status as status_mod

    report = status_mod.status(state.config, chain=state.chain_or_ledger(quiet=as_json))
    if as_json:
        _print_json(report.to_json())
    else:
        head = f"seq {report.head.seq}, hash {report.head.hash}" if report.head else "empty"
        current = report.current or "base (nothing applied)"
        title = next((r.message for r in report.revisions if r.id == report.current), "")
        if report.current is not None and report.current in report.unknown:
            title = "(no migration file defines it)"
        rows = [
            ("database", f"{report.url} ({report.dialect})"),
            ("ledger", f"{report.ledger_table}: {head}" if report.ledger_exists else f"{report.ledger_table}: not created yet"),
            ("current", f"{current}  {title}".rstrip()),
            ("pending", _folded(report.pending) or "none"),
            ("in doubt", ", ".join(f"seq {e.seq} ({e.revision}: {e.op_type})" for e in report.in_doubt) or "none"),
            ("checksums", "ok" if not report.mismatched else "changed: " + ", ".join(r.id for r in report.mismatched)),
        ]
        for label, value in rows:
            click.echo(printable(f"{label:<10} {value}"))
        for problem in report.problems:
            click.echo(printable(f"schema-ledger: problem: {problem}"), err=True)
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
    from ledger.inspect import status as status_mod

    revisions = status_mod.history(state.config, chain=state.chain_or_ledger(quiet=as_json))
    if as_json:
        _print_json([r.to_json() for r in revisions])
        if any(r.checksum_matches is False for r in revisions):
            sys.exit(1)
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
        click.echo(printable(line))
    changed = [r for r in revisions if r.checksum_matches is False]
    for revision in changed:
        click.echo(f"schema-ledger: problem: {revision.path}: revision {revision.id} changed since it was applied",
                   err=True)
    if changed:
        sys.exit(1)


def _time(_ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    from ledger.project.points import parse_time

    try:
        moment = parse_time(value)
    except LedgerError as exc:
        raise click.BadParameter(str(exc), param=param) from None
    if moment is None:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time such as 2026-01-31 or 2026-01-31T14:00Z",
                                 param=param)
    return moment


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default=None,
              help="text (default), json, or jsonl: the whole ledger, one event per line, for `verify --ledger`.")
@click.option("--revision", metavar="R", help="Only events of this revision.")
@click.option("--table", metavar="T", help="Only events on this table.")
@click.option("--since", metavar="TIME", callback=_time, help="Only events at or after this ISO 8601 time (UTC if no zone).")
@click.option("--until", metavar="TIME", callback=_time, help="Only events at or before this ISO 8601 time.")
@pass_cli
def log(state: CliContext, as_json: bool, fmt: str | None, revision: str | None, table: str | None,
        since: dt.datetime | None, until: dt.datetime | None) -> None:
    """Show the ledger's events, oldest first: what changed, who, when and why.

    --format jsonl exports the whole ledger (every column of every event) for an offline
    `verify --ledger FILE`; it takes no filters, since a filtered chain cannot verify.

    \b
    Example: schema-ledger log --table orders --since 2026-01-01
    Example: schema-ledger log --format jsonl > ledger.jsonl
    """
    from ledger.inspect import status as status_mod

    if fmt == "jsonl":
        if as_json or revision or table or since or until:
            raise click.UsageError("--format jsonl exports the whole ledger: it takes no --json or filters")
        from ledger.inspect.audit import export_jsonl

        export_jsonl(state.config, sys.stdout)
        return
    if as_json and fmt == "text":
        raise click.UsageError("--json and --format text disagree: give one of them")
    as_json = as_json or fmt == "json"

    events = status_mod.log_events(state.config, revision=revision, table=table, since=since, until=until)
    if revision is not None and not events and \
            (since is None and until is None or not status_mod.log_events(state.config, revision=revision)):
        click.echo(f"schema-ledger: error: no event in the ledger has revision {revision!r}", err=True)
        sys.exit(1)
    if as_json:
        _print_json([status_mod.event_json(e) for e in events])
        return
    for event in events:
        who = event.actor.by or event.actor.os_user
        line = (f"{event.seq:>5}  {event.recorded_at}  {event.kind:<8} {event.revision or '-':<14} "
                f"{status_mod.describe_event(event)}  [{who}@{event.actor.host}]")
        if event.message:
            line += f"  -- {event.message.splitlines()[0]}"
        click.echo(printable(line))


# ---------------------------------------------------------------------------------------------
# verify, baseline, blame
# ---------------------------------------------------------------------------------------------


def _head_hash(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from ledger.inspect.audit import InvalidInput, parse_target

    try:
        return parse_target(value)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc), param=param) from None


@main.command()
@click.option("--live", is_flag=True, help="Also compare the live schema with the fold of the ledger.")
@click.option("--expect-head", metavar="HASH", callback=_head_hash,
              help="The head hash written down earlier (`status` prints it): catches a cut tail.")
@click.option("--ledger", "ledger_file", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Verify an exported ledger (`log --format jsonl`) instead of the database.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--anchor", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", expose_value=False,
              callback=_keep("anchor"), help="Check every head this anchor file holds is still in the ledger "
              "(default: $SCHEMA_LEDGER_ANCHOR, the config's anchor).")
@pass_cli
def verify(state: CliContext, live: bool, expect_head: str | None, ledger_file: Path | None, as_json: bool) -> None:
    """Prove the ledger whole: chain, payloads, revision files and, with --live, the live schema.

    Checks that seq runs without gaps, every hash recomputes, every payload decodes and
    folds, no intent is in doubt, and every applied revision's file still gives the checksum
    recorded when it was applied (an edited or deleted file is named). With --live the
    reflected schema must equal the fold; a difference is shown as the ops that lead from
    the ledger to the live schema. Each problem is one line naming its seq or object; exit
    1 when there is any.

    \b
    Example: schema-ledger verify --live --expect-head 3f9a...c21e
    Example: schema-ledger verify --ledger ledger.jsonl
    """
    from ledger.inspect import audit
    from ledger.project.config import ConfigError

    if ledger_file is not None and live:
        raise click.UsageError("--live compares a database: it cannot be used with --ledger")
    chain = _chain_for_verify(state)
    if ledger_file is not None:
        try:
            trusted, anchor = state.config.trusted_key_paths, state.config.anchor_path
        except ConfigError:
            trusted, anchor = (), state.anchor
        report = audit.verify_file(ledger_file, chain=chain, expect_head=expect_head, trusted_keys=trusted,
                                   anchor=anchor)
    else:
        report = audit.verify(state.config, chain=chain, live=live, expect_head=expect_head)
    if as_json:
        _print_json(report.to_json())
    else:
        for problem in report.problems:
            click.echo(printable(str(problem)))
        for note in report.notes:
            click.echo(printable(f"note: {note}"))
        head = f"head seq {report.head.seq}, hash {report.head.hash}" if report.head else "empty ledger"
        checked = ["chain", "payloads"] + (["checksums"] if report.checksums_checked else []) \
            + (["signatures"] if report.signatures_checked else []) + (["anchor"] if report.anchor_checked else []) \
            + (["expected head"] if expect_head else []) + (["live schema"] if report.live_checked else [])
        verdict = "ok" if report.ok else _plural(len(report.problems), "problem")
        click.echo(f"verify: {verdict}: {_plural(report.events, 'event')} ({head}); checked {', '.join(checked)}")
    if not report.ok:
        sys.exit(1)


def _chain_for_verify(state: CliContext) -> RevisionChain | None:
    """The project's revisions; an empty chain when the migrations folder is missing (so that a
    recorded checksum without its file is still reported), None without any project."""
    from ledger.project.config import ConfigError

    try:
        config = state.config
    except ConfigError:
        return None
    if config.source is None and not config.migrations_dir.is_dir():
        return None
    if not config.migrations_dir.is_dir():
        from ledger.project.revisions import RevisionChain

        return RevisionChain()
    return state.chain


@main.command()
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every baseline event.")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
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

    if state.config.migrations_dir.is_dir():
        from ledger.run.stamp import alembic_revision

        found = alembic_revision(state.config)
        if found is not None and "," not in found and found in (_defined_revisions(state) or ()):
            # The files already describe this database (import-alembic): a baseline would leave them pending.
            raise BaselineError(f"the database is at Alembic revision {found}, which a migration file defines: "
                                f"adopt it with `schema-ledger stamp` (the revisions up to {found} then count as "
                                "applied); a baseline would leave them all pending")
    result = run_baseline(state.config, why=why, by=by, lock_timeout=lock_timeout)
    for warning in result.warnings:
        click.echo(f"schema-ledger: warning: {warning}", err=True)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    alembic = f"; Alembic revision {result.alembic_revision}" if result.alembic_revision else ""
    click.echo(f"baseline: {_plural(result.tables, 'table')} recorded as {_plural(len(result.events), 'event')} "
               f"({where}){alembic}")
    if result.snapshot is not None:
        click.echo(f"wrote {result.snapshot}")


@main.command()
@click.argument("revision", required=False, metavar="[REVISION]")
@click.option("-m", "--message", "why", metavar="WHY", help="Why: recorded with every baseline event.")
@click.option("--by", metavar="WHO", help="Who asked for the change (default: $SCHEMA_LEDGER_BY).")
@click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
@pass_cli
def stamp(state: CliContext, revision: str | None, why: str | None, by: str | None, lock_timeout: float) -> None:
    """Adopt a database that is already at REVISION of the migration files (Alembic's stamp).

    REVISION defaults to the one in the database's alembic_version table: the way onto
    native files for a database Alembic migrated, after `import-alembic`. The revisions up to
    it are recorded as baseline events (nothing is run), so they are applied for `status`
    and `apply`; refused, with the difference shown, unless the live schema is the schema
    those revisions build. Refused when the ledger has events.

    \b
    Example: schema-ledger stamp              # at the revision in alembic_version
    Example: schema-ledger stamp 3f2a9c1b0d4e -m "moved off Alembic" --by alice
    """
    from ledger.run.stamp import stamp as run_stamp

    result = run_stamp(state.config, state.chain, revision, why=why, by=by, lock_timeout=lock_timeout)
    head = result.head
    where = f"ledger seq {head.seq}, hash {head.hash}" if head else "empty ledger"
    source = " (from alembic_version)" if result.source == "alembic_version" else ""
    click.echo(f"stamped at {result.revision}{source}: {_plural(len(result.revisions), 'revision')} recorded as "
               f"{_plural(len(result.events), 'baseline event')}, {_plural(result.tables, 'table')} checked "
               f"against the live schema ({where})")


@main.command()
@click.argument("target", metavar="TABLE[.COLUMN]")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_cli
def blame(state: CliContext, target: str, as_json: bool) -> None:
    """Show the events that created and changed a table or a column: revision, actor, time, why.

    Renames are followed back to the earlier names; rollbacks are shown with the seq they
    undo. Exits 1 when the ledger has no event for the object.

    \b
    Example: schema-ledger blame orders.status
    """
    from ledger.inspect.audit import InvalidInput
    from ledger.inspect.audit import blame as run_blame
    from ledger.inspect.status import describe_event

    config = state.config
    try:
        report = run_blame(config, target)
    except InvalidInput as exc:
        raise click.BadParameter(str(exc), param_hint="TABLE[.COLUMN]") from None
    if as_json:
        _print_json(report.to_json())
    else:
        for entry in report.entries:
            event = entry.event
            who = event.actor.by or event.actor.os_user
            line = (f"{event.seq:>5}  {event.recorded_at}  {event.kind:<8} {event.revision or '-':<14} "
                    f"{who}@{event.actor.host}  {describe_event(event)}")
            if entry.note:
                line += f"  ({entry.note})"
            if event.message:
                line += f"  -- {event.message.splitlines()[0]}"
            click.echo(printable(line))
    if not report.entries:
        click.echo(f"schema-ledger: no event in the ledger touches {report.target}", err=True)
        sys.exit(1)


# ---------------------------------------------------------------------------------------------
# import-alembic
# ---------------------------------------------------------------------------------------------


@main.command("import-alembic")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dialect", type=_Databases(flavours=False), default="sqlite", show_default=True,
              help="The database each upgrade() runs on: its dialect conditionals take this branch.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Where the migration files go (default: the project's migrations folder).")
@click.option("--scratch-url", metavar="URL",
              help="An empty database of --dialect to run the revisions on (needed for postgresql and mysql; "
                   "default: $SCHEMA_LEDGER_SCRATCH_URL).")
@click.option("--naming-convention", "naming", metavar="MODULE:ATTR",
              help="The project's naming convention (a dict, or a MetaData such as its target_metadata) for "
                   "constraints and indexes made without a name (default: the config's target_metadata).")
@pass_cli
def import_alembic(state: CliContext, path: Path, dialect: str, into: Path | None, scratch_url: str | None,
                   naming: str | None) -> None:
    """Convert an Alembic script folder (or its alembic.ini) into schema-ledger migration files.

    The revisions run as `alembic upgrade heads` runs them (Alembic's Config from the folder's
    alembic.ini, one transaction per revision) on a scratch database of --dialect with the
    Alembic hook; one file per revision is written, same id and message, in Alembic's upgrade
    order (branches and merges are linearized, and the file says so). Data migrations become
    op.execute calls with the SQL that ran. What cannot be imported is listed with its file
    and line, the command exits 1, and no file is written.

    \b
    Example: schema-ledger import-alembic alembic/ --dialect postgresql --scratch-url postgresql://localhost/scratch
    """
    from ledger.integrations.alembic_import import ImportError_, import_alembic as run_import, naming_convention_from
    from ledger.project.config import ConfigError

    target_metadata = None
    try:
        config = state.config
        target_metadata = config.target_metadata
    except ConfigError:
        config = None
    if into is None:
        if config is None:
            # No project to take the folder from: the one-line "no schema-ledger.toml found" (give --into).
            state.config  # noqa: B018
        assert config is not None
        into = config.migrations_dir
    try:
        convention = None
        if naming or target_metadata:
            convention = naming_convention_from(naming or target_metadata or "")
        result = run_import(path, dialect, into, url=scratch_url, naming_convention=convention)
    except ImportError_ as exc:
        raise click.UsageError(str(exc)) from None
    for revision in result.revisions:
        note = "  (linearized)" if revision.linearized else ""
        click.echo(f"wrote {revision.path}  {revision.ops} op{'s' if revision.ops != 1 else ''}{note}")
    for problem in result.problems:
        click.echo(f"schema-ledger: problem: {problem}", err=True)
    if result.problems:
        click.echo(f"nothing written to {result.into}: {_plural(len(result.problems), 'problem')}")
    else:
        click.echo(f"imported {_plural(len(result.revisions), 'revision')} into {result.into}")
    if result.problems:
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
@click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
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
    each such object is named in a warning. Migration files are not needed: the reverse
    of every change comes from the ledger.

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
            click.echo(f"[{position}/{total}] rolling back {revision or '(no revision)'} ...", err=True, nl=False)
            line_open = True
        else:
            click.echo(" ok", err=True)
            line_open = False

    if not sql_only:
        state.on_interrupt = lambda: _standing(state.config, run, "rolled back", one_transaction)

    consent = _consent(allow_data_loss, "rollback")
    try:
        result = run_rollback(state.config, to=to, sql_only=sql_only, why=why, by=by, lock_timeout=lock_timeout,
                              progress=progress, skip_irreversible=skip_irreversible,
                              one_transaction=one_transaction, through_baseline=through_baseline,
                              consent=None if sql_only else consent, defined=_defined_revisions(state))
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
        return
    shown = {loss.describe() for loss in result.losses}  # named before the run, by the consent
    for warning in result.warnings:
        if warning not in shown:
            click.echo(f"schema-ledger: warning: {warning}", err=True)
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


def _defined_revisions(state: CliContext) -> tuple[str, ...] | None:
    """The revision ids the project's files define, for rollback's check that no revision without a
    file stays in effect; None (no check) when there is no migrations folder (the ledger is then the
    only history, as under Alembic with the hook) or its files do not load."""
    from ledger.project.revisions import RevisionError

    if not state.config.migrations_dir.is_dir():
        return None
    try:
        return state.chain.ids
    except RevisionError:
        return None


# ---------------------------------------------------------------------------------------------
# schema, materialize, diff: the schema at a point, from the ledger alone
# ---------------------------------------------------------------------------------------------

_DIALECT_CHOICE = _Databases(flavours=True)
_LEDGER_FILE = click.option(
    "--ledger", "ledger_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
    help="Read the history from an exported ledger (log --format jsonl) instead of the database.",
)


def _history(state: CliContext, ledger_file: Path | None) -> list[Any]:
    from ledger.project.config import ConfigError
    from ledger.inspect.pointintime import ledger_events

    if ledger_file is not None:
        try:
            state.config  # noqa: B018 - imports the project's plugins, when there is a project
        except ConfigError:
            pass
        return ledger_events(ledger_file=ledger_file)
    return ledger_events(state.config)


def _json_format(fmt: str | None, as_json: bool, default: str) -> str:
    """--json is --format json; the two may not disagree."""
    if as_json and fmt not in (None, "json"):
        raise click.UsageError(f"--json and --format {fmt} disagree: give one of them")
    return "json" if as_json else (fmt or default)


def _own_dialect(state: CliContext) -> str | None:
    """The configured database's dialect, when there is a configuration (no connection is made)."""
    from ledger.project.config import ConfigError
    from ledger.storage.db import dialect_of

    try:
        url = state.config.url
    except ConfigError:
        if state.url is None:
            return None
        url = state.url
    try:
        return dialect_of(url)
    except Exception:  # noqa: BLE001 - an unreadable URL just means no default dialect
        return None


@main.command()
@click.option("--at", "point", metavar="POINT",
              help="A revision id, @SEQ, an ISO 8601 time, base, or -N (default: the head of the ledger).")
@click.option("--format", "fmt", type=click.Choice(["ddl", "json", "mermaid"]), default=None,
              help="CREATE statements (default), a JSON document, or a Mermaid ER diagram.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--dialect", type=_DIALECT_CHOICE,
              help="The SQL dialect of the DDL and of the types shown (default: the database's own).")
@_LEDGER_FILE
@pass_cli
def schema(state: CliContext, point: str | None, fmt: str | None, as_json: bool, dialect: str | None,
           ledger_file: Path | None) -> None:
    """Print the schema as it was at POINT, computed from the ledger alone.

    The live schema is not read: the events up to POINT are folded. With --ledger no
    database is needed at all. Every kind of point is served from the newest snapshot at or
    below it, when the ledger has one; the hash chain is checked first (from the snapshot on;
    `verify` checks the whole chain and every snapshot).

    \b
    Example: schema-ledger schema --at 2026-01-31T14:00Z --format mermaid
    """
    from ledger.inspect.pointintime import render_schema, schema_at
    from ledger.inspect.pointintime import schema_at_point

    fmt = _json_format(fmt, as_json, "ddl")
    if ledger_file is None:
        state.config  # noqa: B018 - outside a project this is the one-line "no schema-ledger.toml found"
    dialect = dialect or _own_dialect(state)
    if fmt == "ddl" and dialect is None:
        raise click.UsageError("give --dialect: there is no configured database to take it from")
    # From the nearest snapshot below the point: at most one snapshot interval of events is read.
    found = schema_at_point(state.config, point) if ledger_file is None else None
    if found is None:
        found = schema_at(_history(state, ledger_file), point)
    click.echo(render_schema(found, fmt, dialect), nl=False)


@main.command()
@click.option("--at", "point", metavar="POINT", help="A revision id, @SEQ, an ISO 8601 time, base, or -N (default: head).")
@click.option("--into", "into", required=True, metavar="URL", help="An empty database to create the schema in.")
@_LEDGER_FILE
@pass_cli
def materialize(state: CliContext, point: str | None, into: str, ledger_file: Path | None) -> None:
    """Create the schema as it was at POINT in an empty database.

    The schema comes from the ledger (or --ledger FILE); the target gets tables,
    constraints and indexes, but no rows and no ledger. The result is reflected and
    compared with the ledger's schema; a difference exits 1.

    \b
    Example: schema-ledger materialize --at 0005 --into postgresql://localhost/shop_at_0005
    """
    from ledger.inspect.pointintime import materialize as run_materialize, schema_at

    events = _history(state, ledger_file)
    target = schema_at(events, point)
    result = run_materialize(target, into)
    for difference in result.differences:
        click.echo(f"schema-ledger: problem: {difference}", err=True)
    tables = len(target.tables)
    click.echo(f"created {tables} table{'s' if tables != 1 else ''} ({_plural(len(result.statements), 'statement')}) "
               f"as of {point or 'head'}")
    if result.differences:
        sys.exit(1)


@main.command("diff")
@click.argument("point_a", metavar="POINT_A")
@click.argument("point_b", metavar="POINT_B")
@click.option("--format", "fmt", type=click.Choice(["text", "python", "sql", "json"]), default=None,
              help="One line per op (default), an upgrade(op) function, SQL statements, or JSON.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json: a list of ops, each as the ledger records it.")
@click.option("--dialect", type=_DIALECT_CHOICE, help="The dialect of --format sql (default: the database's own).")
@_LEDGER_FILE
@pass_cli
def diff_command(state: CliContext, point_a: str, point_b: str, fmt: str | None, as_json: bool, dialect: str | None,
                 ledger_file: Path | None) -> None:
    """Print the operations that lead from the schema at POINT_A to the schema at POINT_B.

    \b
    Example: schema-ledger diff 0003 head --format python
    """
    from ledger.inspect.pointintime import diff_points, schema_at

    fmt = _json_format(fmt, as_json, "text")
    events = _history(state, ledger_file)
    ops = diff_points(events, point_a, point_b)
    if fmt == "json":
        from ledger.format.codec import to_payload

        _print_json([{"describe": op.describe(), "payload": to_payload(op)} for op in ops])
        return
    if fmt == "python":
        from ledger.schema.render import render_python

        click.echo(render_python(ops), nl=False)
        return
    if fmt == "sql":
        from ledger import dialects

        dialect = dialect or _own_dialect(state)
        if dialect is None:
            raise click.UsageError("give --dialect: there is no configured database to take it from")
        current = schema_at(events, point_a)
        for op in ops:
            for statement in dialects.ddl(op, current, dialect):
                click.echo(statement.rstrip().rstrip(";") + ";")
            current = op.apply(current)
        return
    if not ops:
        click.echo("no differences")
    for op in ops:
        click.echo(op.describe())


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
    from ledger.project.revisions import display_path

    def progress(phase: str, revision: str, ok: bool) -> None:
        if not quiet and not as_json:
            click.echo(f"{phase:<5} {revision} {'ok' if ok else 'FAILED'}", err=True)

    if not from_ledger and state.config.migrations_dir.is_dir():
        from ledger.inspect import status as status_mod

        # Files and database must agree: a drill of the files says nothing about a ledger that has
        # revisions in effect no file defines.
        unknown = status_mod.status(state.config, chain=state.chain).unknown
        if unknown:
            click.echo(f"schema-ledger: error: the ledger has {'revision' if len(unknown) == 1 else 'revisions'} "
                       f"{', '.join(unknown)} in effect that no migration file defines: check out the branch that "
                       "has the files, or roll them back first (`schema-ledger rollback` needs no file)", err=True)
            sys.exit(1)
    if not from_ledger and not state.config.migrations_dir.is_dir():
        from_ledger = True
        if not quiet:
            click.echo(f"{display_path(state.config.migrations_dir)} does not exist: drilling the revisions of the "
                       "ledger (--from-ledger)", err=True)
    report = run_drill(state.config, chain=None if from_ledger else state.chain, scratch=scratch,
                       allow_irreversible=allow_irreversible, progress=progress, from_ledger=from_ledger)
    event = record_drill(state.config, report, why=why, by=by) if record else None
    if as_json:
        data = report.to_json()
        data["recorded_seq"] = event.seq if event is not None else None
        _print_json(data)
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
@click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
              help="How long to wait for another applier to finish.")
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


# ---------------------------------------------------------------------------------------------
# report
# ---------------------------------------------------------------------------------------------


@main.command()
@click.option("--html", "html_file", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the report (one self-contained HTML file).")
@click.option("--from", "point_from", metavar="POINT", help="Where the timeline and the diff start (default: base).")
@click.option("--to", "point_to", metavar="POINT", help="Where they end (default: the head of the ledger).")
@click.option("--live", is_flag=True, help="Also compare the live schema with the ledger (drift).")
@click.option("--dialect", type=_DIALECT_CHOICE, help="The dialect of the DDL shown (default: the database's own).")
@click.option("--title", metavar="TEXT", help="The report's title (default: names the ledger).")
@click.option("--no-ddl", "no_ddl", is_flag=True,
              help="Leave out each revision's DDL (the ops stay): rendering it takes most of the time on a long ledger.")
@_LEDGER_FILE
@pass_cli
def report(state: CliContext, html_file: Path, point_from: str | None, point_to: str | None, live: bool,
           dialect: str | None, title: str | None, no_ddl: bool, ledger_file: Path | None) -> None:
    """Write an audit report: one HTML file that opens offline in any browser.

    Integrity first (the hash chain, the head seq and hash, the migration files' checksums
    when they are at hand, drift with --live, intents in doubt; a red banner naming the row
    when anything is wrong), then a timeline of every event, each revision's change as ops
    and DDL, the schema and its ER diagram at any point, the recorded drills, and a diff
    between two points. The file loads nothing from the network. Exits 1 when the
    integrity checks found a problem (the report is written all the same).

    \b
    Example: schema-ledger report --html audit.html --live
    Example: schema-ledger report --html audit.html --ledger ledger.jsonl --dialect postgresql
    """
    from ledger.inspect.report import build_report, write_report

    if ledger_file is not None and live:
        raise click.UsageError("--live compares a database: it cannot be used with --ledger")
    if ledger_file is None:
        state.config  # noqa: B018 - outside a project this is the one-line "no schema-ledger.toml found"
    dialect = dialect or _own_dialect(state)
    if dialect is None:
        raise click.UsageError("give --dialect: there is no configured database to take it from")
    data = build_report(None if ledger_file is not None else state.config, ledger_file=ledger_file,
                        chain=_chain_for_verify(state), live=live, point_from=point_from, point_to=point_to,
                        dialect=dialect, title=title, with_ddl=not no_ddl)
    size = write_report(html_file, data)
    integrity = data["integrity"]
    head = integrity["head"]
    where = f"head seq {head[0]}, hash {head[1]}" if head else "empty ledger"
    verdict = "integrity ok" if integrity["ok"] else f"INTEGRITY PROBLEMS: {len(integrity['problems'])}"
    click.echo(f"wrote {html_file} ({size / 1024:,.0f} KiB): {_plural(integrity['events'], 'event')} ({where}); {verdict}")
    for problem in integrity["problems"]:
        click.echo(f"schema-ledger: problem: {problem['message']}", err=True)
    if not integrity["ok"]:
        sys.exit(1)


from ledger.cli import trust as cli_trust  # noqa: E402, F401 - registers keygen and grants
