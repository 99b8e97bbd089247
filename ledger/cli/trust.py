"""The commands of signed, anchored history: ``keygen`` and ``grants`` (see docs/audit.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ledger.cli.app import LOCK_TIMEOUT, CliContext, Databases, main, pass_cli, sealing

__all__ = ["grants", "keygen", "sign"]


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def keygen(file: Path) -> None:
    """Make an Ed25519 key pair for signed checkpoints: FILE (private, mode 0600) and FILE.pub.

    The private key signs each run's new head (--sign-key FILE or $SCHEMA_LEDGER_SIGNING_KEY,
    a CI secret); list FILE.pub in the config's trusted_keys so that verify trusts it. An
    existing file is never overwritten.

    \b
    Example: schema-ledger keygen keys/ci && git add keys/ci.pub
    """
    from ledger.storage.seal import keygen as make

    if not file.name:
        raise click.BadParameter(f"{str(file)!r} names no file", param_hint="FILE")
    private, public, key = make(file)
    click.echo(f"wrote {private} (private: keep it secret) and {public} (public: list it in trusted_keys)")
    click.echo(f"key id {key}")


@main.command()
@click.option("--applier", required=True, metavar="ROLE",
              help="The role that runs apply/rollback: it may only read the ledger and INSERT into it.")
@click.option("--owner", metavar="ROLE", help="PostgreSQL: the role that owns the ledger table and its triggers.")
@click.option("--dialect", type=Databases(flavours=True, with_roles=True),
              help="Write for this database (default: the configured database's).")
@pass_cli
def grants(state: CliContext, applier: str, owner: str | None, dialect: str | None) -> None:
    """Print the SQL of the privilege split: the ledger owned by a role the applier is not.

    Run the SQL once as the owner (or a superuser), before the applier's first run. It creates
    the ledger table, its indexes and refusal triggers, and grants the applier SELECT and
    INSERT on it only, so that the applier cannot change, delete, truncate the ledger or drop
    its triggers. MariaDB/MySQL: the ledger must be in a database of its own (ledger_schema).

    \b
    Example: schema-ledger grants --applier app --owner ledger_owner | psql -U postgres app
    """
    import sqlalchemy as sa

    from ledger.storage.db import create_engine
    from ledger.inspect.grants import grants_sql
    from ledger.storage.store import LedgerStore

    config = state.config
    if dialect is None:
        engine = create_engine(config.url)
        sa_dialect = engine.dialect
    else:
        from ledger import dialects

        sa_dialect = dialects.compile_dialect(dialect)
    del sa
    store = LedgerStore(config.ledger_table, config.ledger_schema)
    for statement in grants_sql(store, sa_dialect, applier=applier, owner=owner):
        click.echo(f"{statement};")


@main.command()
@LOCK_TIMEOUT
@sealing
@pass_cli
def sign(state: CliContext, lock_timeout: float) -> None:
    """Sign the ledger's current head (a checkpoint event), after checking its chain.

    For a head that runs without the key left unsigned: check it first (`schema-ledger
    verify` shows what is unsigned), then sign it. With --anchor (or a configured anchor) the
    head is anchored too.

    \b
    Example: schema-ledger verify && schema-ledger sign --sign-key keys/ci
    """
    from ledger.project.config import ConfigError
    from ledger.format.events import verify_chain
    from ledger.storage.session import connect, store_for, wrap_db_errors
    from ledger.storage.scan import events as read_events
    from ledger.storage.seal import GuardError

    config = state.config
    if config.sign_key is None:
        raise ConfigError("sign needs the key: --sign-key FILE or $SCHEMA_LEDGER_SIGNING_KEY")
    store = store_for(config)
    seal, store.seal = store.seal, None
    assert seal is not None
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout), \
            store.lock(conn, lock_timeout):
        problems = verify_chain(read_events(conn, store))
        if problems:
            raise GuardError(f"sign refused: the ledger does not verify: {problems[0]}")
        event = seal.finish(conn, store, None)
    if event is None:
        click.echo("nothing to sign: the head is a checkpoint already, or the ledger is empty")
    else:
        click.echo(f"signed head seq {event.seq - 1} (checkpoint seq {event.seq}, hash {event.hash})")
