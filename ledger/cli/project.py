"""The commands that write the project's files: ``init``, ``new`` (with ``--autogenerate``) and
``import-alembic``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ledger.cli.app import CliContext, Databases, main, pass_cli, plural

__all__ = ["import_alembic", "init", "new"]


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
    from ledger.project.folders import alembic_script_folder

    config_file = directory / CONFIG_FILE
    if config_file.exists():
        raise ConfigError(f"{config_file} already exists")
    folder = directory / migrations
    if alembic_script_folder(folder):  # alembic init migrations, Flask-Migrate: that folder is Alembic's
        raise ConfigError(f"{folder} is an Alembic script folder (it holds env.py): give schema-ledger a "
                          "migrations folder of its own: --migrations NAME")
    directory.mkdir(parents=True, exist_ok=True)
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
# import-alembic
# ---------------------------------------------------------------------------------------------


def _key_values(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values:
        key, equals, given = value.partition("=")
        if not equals or not key.strip().isidentifier():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE (a keyword argument of run_migrations())")
        pairs[key.strip()] = given
    return pairs


@main.command("import-alembic")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dialect", type=Databases(flavours=False), default="sqlite", show_default=True,
              help="The database each upgrade() runs on: its dialect conditionals take this branch.")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Where the migration files go (default: the project's migrations folder).")
@click.option("--scratch-url", metavar="URL",
              help="An empty database of --dialect to run the revisions on (needed for postgresql and mysql; "
                   "default: $SCHEMA_LEDGER_SCRATCH_URL).")
@click.option("--naming-convention", "naming", metavar="MODULE:ATTR",
              help="The project's naming convention (a dict, or a MetaData such as its target_metadata) for "
                   "constraints and indexes made without a name (default: the config's target_metadata).")
@click.option("--from-url", "from_url", metavar="URL",
              help="A database of --dialect at the point the history starts from (tables made by "
                   "metadata.create_all(), its Alembic version table stamped); only read. The revisions run "
                   "on its schema, after the revisions its version table holds; DIR gets the schema as "
                   "baseline.json.")
@click.option("--autocommit", is_flag=True,
              help="Run the revisions on an AUTOCOMMIT connection, as the project's env.py does when it "
                   "configures one (each statement commits on its own).")
@click.option("--migration-arg", "migration_args", multiple=True, metavar="KEY=VALUE", callback=_key_values,
              help="A keyword argument the project's env.py passes to run_migrations(), handed to every "
                   "revision's upgrade() (Alembic's multidb template: engine_name=NAME imports that "
                   "database's history); repeatable.")
@click.option("--config-arg", "config_args", multiple=True, metavar="NAME",
              help="The keyword under which the project's env.py passes Alembic's Config to run_migrations() "
                   "(context.run_migrations(config=config): --config-arg config): every revision's upgrade() gets "
                   "the Config the import runs with, read from the folder's alembic.ini; repeatable.")
@click.option("--version-table", "version_table", metavar="NAME",
              help="The Alembic version table the project's env.py configures (version_table=NAME); the one "
                   "read in --from-url's database (default: alembic_version, or its only version table).")
@click.option("-n", "--name", default="alembic", show_default=True, metavar="NAME",
              help="The section of alembic.ini to read, as `alembic -n NAME` reads it.")
@click.option("-x", "x_arguments", multiple=True, metavar="KEY=VALUE",
              help="What `alembic -x KEY=VALUE` gives: context.get_x_argument() in a revision; repeatable.")
@pass_cli
def import_alembic(state: CliContext, path: Path, dialect: str, into: Path | None, scratch_url: str | None,
                   naming: str | None, from_url: str | None, autocommit: bool, migration_args: dict[str, str],
                   config_args: tuple[str, ...], version_table: str | None, name: str,
                   x_arguments: tuple[str, ...]) -> None:
    """Convert an Alembic script folder (or its alembic.ini or pyproject.toml) into schema-ledger migration files.

    The revisions run as `alembic upgrade heads` runs them (Alembic's Config from the folder's
    alembic.ini and pyproject.toml, one transaction per revision) on a scratch database of --dialect with the
    Alembic hook; one file per revision is written, same id and message, in Alembic's upgrade
    order (branches and merges are linearized, and the file says so). Data migrations become
    op.execute calls with the SQL that ran. What cannot be imported is listed with its file
    and line, the command exits 1, and no file is written.

    A history that starts from tables made by metadata.create_all() imports from a database at
    that point (--from-url): the folder then starts from its schema (baseline.json), which
    `schema-ledger baseline` adopts on a database before `apply`.

    \b
    Example: schema-ledger import-alembic alembic/ --dialect postgresql --scratch-url postgresql://localhost/scratch
    Example: schema-ledger import-alembic alembic.ini --from-url sqlite:///made-by-create_all.db
    """
    from ledger.integrations.alembic_import import ImportError_, import_alembic as run_import, naming_convention_from
    from ledger.integrations.alembic_rows import ROW_LIMIT
    from ledger.integrations.alembic.base import ALEMBIC_CONFIG
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
        arguments: dict[str, object] = {**migration_args, **dict.fromkeys(config_args, ALEMBIC_CONFIG)}
        result = run_import(path, dialect, into, url=scratch_url, naming_convention=convention, from_url=from_url,
                            autocommit=autocommit, migration_args=arguments, version_table=version_table,
                            name=name, x_arguments=x_arguments)
    except ImportError_ as exc:
        raise click.UsageError(str(exc)) from None
    for revision in result.revisions:
        note = "  (linearized)" if revision.linearized else ""
        click.echo(f"wrote {revision.path}  {revision.ops} op{'s' if revision.ops != 1 else ''}{note}")
    if result.start is not None and result.start.rows_left:
        click.echo(f"schema-ledger: warning: {result.start.url} holds more than {ROW_LIMIT:,} rows: the revisions "
                   "ran on its schema alone, without its rows (a data revision that relies on them fails)", err=True)
    for problem in result.problems:
        click.echo(f"schema-ledger: problem: {problem}", err=True)
    for skipped in result.not_replayed:
        click.echo(f"schema-ledger: warning: {skipped}", err=True)
    if result.problems:
        click.echo(f"nothing written to {result.into}: {plural(len(result.problems), 'problem')}")
    else:
        click.echo(f"imported {plural(len(result.revisions), 'revision')} into {result.into}")
        start = result.start
        if result.baseline is not None and start is not None:
            at = f" at Alembic revision {', '.join(start.alembic)}" if start.alembic else ""
            click.echo(f"wrote {result.baseline}  the schema the revisions start from "
                       f"({plural(len(start.state.tables), 'table')}{at}): adopt a database at that point with "
                       "`schema-ledger baseline`, then `schema-ledger apply`")
    if result.problems:
        sys.exit(1)


