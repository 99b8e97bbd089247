"""The command line's frame: the ``schema-ledger`` group and its global options, the exit-code
table, the one-line errors, and what every command shares (:class:`CliContext`, ``--sign-key``/
``--anchor``, printing).

Exit codes: 0 success; 1 the command ran and found a problem (a failed statement, an
in-doubt intent, a changed revision file, a lock that could not be had); 2 a usage or input
error (bad options, a bad configuration file, a malformed migration file). A LedgerError is
one line on stderr; ``-v`` adds the traceback.

The commands are in the modules beside this one, one per command group; each imports what it
needs when it runs, so that start-up (and ``--help``) stays cheap.
"""

from __future__ import annotations

import functools
import importlib
import io
import json
import logging
import math
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from ops import InvalidOperationError, LedgerError

from ledger import __version__

if TYPE_CHECKING:  # what a command needs is imported in the command: start-up stays cheap
    from ledger.project.config import Config
    from ledger.project.revisions import RevisionChain

__all__ = [
    "ALEMBIC_COMMANDS",
    "COMMAND_MODULES",
    "INTERRUPTED",
    "SECONDS",
    "CliContext",
    "Databases",
    "Failure",
    "exit_code",
    "exit_codes",
    "keep",
    "load_commands",
    "main",
    "pass_cli",
    "plural",
    "print_json",
    "printable",
    "sealing",
]

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
        # The global options are accepted after the subcommand as well (`schema-ledger status --url URL`),
        # but for a flag the subcommand has of its own (import-alembic's -n reads its PATH's alembic.ini)
        own = {flag for param in cmd.params for flag in getattr(param, "opts", ())}
        cmd.params.extend(o for o in _late_global_options() if not own.intersection(o.opts))
        super().add_command(cmd, name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # A command line loads its own command's module only (start-up: `status` needs no `apply`).
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None:
            importlib.import_module(f"ledger.cli.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_commands()
        return super().list_commands(ctx)

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
#: command -> the module of ``ledger.cli`` that defines it (``tests/test_startup.py`` checks it
#: against what each module registers): a command line imports only its command's module.
COMMAND_MODULES = {
    **dict.fromkeys(("status", "history", "log", "verify", "blame", "schema", "materialize", "diff", "report"),
                    "inspect"),
    **dict.fromkeys(("init", "new", "import-alembic"), "project"),
    **dict.fromkeys(("apply", "rollback"), "run"),
    **dict.fromkeys(("baseline", "stamp", "drill", "recover"), "adopt"),
    **dict.fromkeys(("keygen", "grants", "sign"), "trust"),
}


def load_commands() -> None:
    """Import every command module of ``ledger.cli``, each registering its commands with :func:`main`."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"ledger.cli.{module}")


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
    """--url, --config, -n, -v and --load-timeout, as options of a subcommand (hidden in its help)."""
    return [
        click.Option(["--url"], metavar="URL", expose_value=False, callback=_set_late_global, hidden=True),
        click.Option(["--config", "config_path"], type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                     expose_value=False, callback=_set_late_global, hidden=True),
        click.Option(["-n", "--name", "alembic_name"], metavar="NAME", expose_value=False, callback=_set_late_global,
                     hidden=True),
        click.Option(["-v", "--verbose"], is_flag=True, default=None, expose_value=False, callback=_set_late_global,
                     hidden=True),
        click.Option(["--load-timeout", "load_timeout"], type=SECONDS, metavar="SECONDS", expose_value=False,
                     callback=_set_late_global, hidden=True),
    ]


def print_json(data: Any) -> None:
    """``data`` as indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def plural(count: int, word: str, plural: str | None = None) -> str:
    """``1 table``, ``2 tables``."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


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

#: The option of every command that takes the applier lock.
LOCK_TIMEOUT = click.option("--lock-timeout", type=SECONDS, default=60.0, show_default=True, metavar="SECONDS",
                            help="How long to wait for another applier to finish.")


class Databases(click.Choice):
    """The supported databases, read from the database objects (:mod:`ledger.dialects`) when a
    command line is parsed or help is shown; ``flavours``: MariaDB's "mariadb" too; ``with_roles``:
    only the databases that have users to grant to (``current_user_sql``)."""

    def __init__(self, *, flavours: bool, with_roles: bool = False) -> None:
        self.flavours = flavours
        self.with_roles = with_roles
        super().__init__([])

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        from ledger import dialects

        found = dialects.choices() if self.flavours else dialects.names()
        if self.with_roles:
            found = tuple(name for name in found if dialects.database(name).current_user_sql is not None)
        return found

    @choices.setter
    def choices(self, _value: object) -> None:
        pass


class CliContext:
    """What every command gets: the global options, the configuration and the revisions, loaded once.

    ``load_timeout``: seconds each migration file may take to load (None: $SCHEMA_LEDGER_LOAD_TIMEOUT
    or the default). A plain class: attrs compiled its methods at every command's start.
    """

    __slots__ = ("url", "config_path", "verbose", "load_timeout", "alembic_name", "sign_key", "anchor", "_config",
                 "_chain", "on_interrupt")

    def __init__(self, url: str | None = None, config_path: Path | None = None, verbose: bool = False,
                 load_timeout: float | None = None, alembic_name: str | None = None) -> None:
        self.url, self.config_path, self.verbose, self.load_timeout = url, config_path, verbose, load_timeout
        #: -n NAME: the section of the Alembic configuration that names the database (None: [alembic])
        self.alembic_name = alembic_name
        #: --sign-key and --anchor of the command, over the environment and the file
        self.sign_key: str | None = None
        self.anchor: Path | None = None
        self._config: Config | None = None
        self._chain: RevisionChain | None = None
        #: what a Ctrl-C says about the database (set by the commands that change it)
        self.on_interrupt: Callable[[], str] | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from ledger.project.config import URL_ENV, load_config, load_plugins

            config = load_config(self.config_path, url=self.url)
            if config.source is None and not self.url and not os.environ.get(URL_ENV):
                config = _alembic_project(config, self.alembic_name)
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
        from ledger.project.folders import holds_migrations, why_no_migrations

        if holds_migrations(config.migrations_dir):
            return self.chain
        from ledger.run.drill import ledger_revisions
        from ledger.project.revisions import display_path
        from ledger.inspect.status import ledger_events_or_none

        events = ledger_events_or_none(config)
        if events is None:  # no ledger either: the missing folder is the error, and the database is named
            from ledger.inspect.status import no_ledger
            from ledger.project.revisions import RevisionError

            try:
                return self.chain
            except RevisionError as exc:
                raise RevisionError(f"{exc}; and {no_ledger(config)}") from None
        if not quiet:
            click.echo(f"{display_path(config.migrations_dir)} {why_no_migrations(config.migrations_dir)}: the "
                       "revisions are those of the ledger", err=True)
        return ledger_revisions(events)


pass_cli = click.make_pass_decorator(CliContext)


def _alembic_project(config: Config, name: str | None = None) -> Config:
    """Without a configuration file: the database of the Alembic project here (a project that records
    with the hook), said on stderr; ``name``: the section of its configuration (``alembic -n NAME``).
    Outside any project nothing is invented: no default database file, no ledger."""
    from ledger.integrations.alembic_url import alembic_url
    from ledger.project.config import CONFIG_FILE, ConfigError, with_found_url

    found = alembic_url(Path.cwd(), name=name or "alembic")
    if found is None:
        raise ConfigError(f"no {CONFIG_FILE} found (nor an Alembic project's alembic.ini or pyproject.toml) in "
                          f"{Path.cwd()} or any folder above it: run the command in the project's folder (or "
                          "`schema-ledger init` one), or give --config FILE or --url URL")
    config = with_found_url(config, found.url, where=found.where, folder=found.folder)
    from sqlalchemy import make_url

    click.echo(printable(f"schema-ledger: database {make_url(config.url).render_as_string(hide_password=True)} "
                         f"from {found.where}"), err=True)
    return config

#: characters that would move the cursor, end a line or reorder text on a terminal
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))} | {
    c: f"\\u{c:04x}" for c in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x0a``): what the ledger holds cannot forge a line."""
    return text.translate(_CONTROL)


def keep(name: str) -> Any:
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
                           expose_value=False, callback=keep("anchor"), help=_ANCHOR_HELP)(command)
    return click.option("--sign-key", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                        expose_value=False, callback=keep("sign_key"),
                        help="Sign the new head with this Ed25519 key (default: $SCHEMA_LEDGER_SIGNING_KEY).")(command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="schema-ledger")
@click.option("--url", metavar="URL", help="Database URL; overrides SCHEMA_LEDGER_URL and the config file.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Configuration file (default: the nearest schema-ledger.toml or pyproject.toml).")
@click.option("-n", "--name", "alembic_name", metavar="NAME",
              help="In a hooked Alembic project with no schema-ledger.toml: the section of alembic.ini whose "
                   "sqlalchemy.url names the database, as `alembic -n NAME` (default: alembic).")
@click.option("-v", "--verbose", is_flag=True,
              help="Show the traceback of an error, and notes such as the driver a URL runs on.")
@click.option("--load-timeout", type=SECONDS, metavar="SECONDS",
              help="How long loading one migration file may take (default: $SCHEMA_LEDGER_LOAD_TIMEOUT or 30; 0: no limit).")
@click.pass_context
def main(ctx: click.Context, url: str | None, config_path: Path | None, alembic_name: str | None, verbose: bool,
         load_timeout: float | None) -> None:
    """Schema migrations where the history is data.

    Every schema operation is recorded as an immutable, hash-chained event in a ledger table
    inside the database it changed.

    \b
    Example: schema-ledger --url postgresql://app@db/app status
    """
    ctx.obj = CliContext(url=url, config_path=config_path, verbose=verbose, load_timeout=load_timeout,
                         alembic_name=alembic_name)
    _NOTES.shown = verbose


class _Notes(logging.Handler):
    """The notes of ``schema_ledger.engine`` (which driver runs a URL naming an async one) on stderr,
    with ``-v`` only."""

    shown = False

    def filter(self, record: logging.LogRecord) -> bool:
        return self.shown

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


_NOTES = _Notes()
_ENGINE_LOG = logging.getLogger("schema_ledger.engine")
_ENGINE_LOG.addHandler(_NOTES)
_ENGINE_LOG.setLevel(logging.INFO)
_ENGINE_LOG.propagate = False


