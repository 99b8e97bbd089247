"""``attach(context)``: the hook in an ``env.py``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ledger.storage.store import LedgerStore
from ledger.integrations.alembic.base import AlembicHookError, log
from ledger.integrations.alembic.patch import attached_to
from ledger.integrations.alembic.recorder import Recorder


def attach(context: Any, *, table_name: str = "schema_ledger", message: str | None = None,
           by: str | None = None, lock_timeout: float = 60.0, sign_key: str | None = None,
           anchor: str | Path | None = None) -> Recorder | None:
    """Record every operation of this Alembic run in the ledger table ``table_name``.

    Call once in ``env.py`` after ``context.configure(connection=...)`` and before
    ``context.run_migrations()``. ``message`` is recorded as the why of every event (default:
    each revision's message); ``by`` names who asked for the change (default
    ``$SCHEMA_LEDGER_BY``). In offline (``--sql``) mode nothing runs, so nothing is recorded.

    The applier lock that ``schema-ledger apply`` takes is taken here, before Alembic reads its
    version table, and held until the connection goes back to its pool (after Alembic's
    commit): a second ``alembic upgrade`` (or ``schema-ledger apply``) on the same database
    waits up to ``lock_timeout`` seconds, then reads where the first one left the database.

    The ``plugins`` of the project's configuration (``schema-ledger.toml`` or
    ``[tool.schema-ledger]`` found from the working folder up) are imported first, so that a
    ledger holding plugin operations can be read (a configuration that names no ``plugins`` or
    ``types`` is not read).

    ``sign_key`` (default ``$SCHEMA_LEDGER_SIGNING_KEY``: a path or the PEM text) signs the head
    this run leaves with a checkpoint event; ``anchor`` (default ``$SCHEMA_LEDGER_ANCHOR``) gets
    the head appended (docs/audit.md). Both happen when the connection goes back to its pool.
    """
    _load_plugins()
    _shown()
    migration_context = _configured(context)
    if migration_context.as_sql:
        log.warning("schema-ledger: offline (--sql) mode: operations are not recorded")
        return None
    store = LedgerStore(table_name)
    earlier = attached_to(migration_context.connection)
    if earlier is not None:
        return _again(earlier, migration_context, store)
    recorder = Recorder(migration_context, store, message=message, by=by)
    recorder.seal = _seal(recorder, sign_key, anchor)
    if _no_io_here(recorder.conn):
        # an async env.py that attaches outside connection.run_sync(...): the lock is taken where
        # Alembic's run begins, before it reads its version table, inside run_sync (lock.py)
        recorder.lock_at_start(lock_timeout)
    else:
        recorder.lock(lock_timeout)
    recorder.install()
    return recorder


#: what attach says when it is given something other than an Alembic context configured with a connection
_CALL = "call ledger.alembic.attach(context) after context.configure(connection=...) and before context.run_migrations()"


def _configured(context: Any) -> Any:
    """The migration context of ``context`` (env.py's ``alembic.context``, or a MigrationContext)."""
    if hasattr(context, "get_context"):
        try:
            context = context.get_context()
        except Exception:  # noqa: BLE001 - Alembic raises a bare Exception: no context configured yet
            raise AlembicHookError(f"schema-ledger: no Alembic context is configured yet: {_CALL}") from None
    if not hasattr(context, "as_sql") or (not context.as_sql and not hasattr(context, "connection")):
        raise AlembicHookError(f"schema-ledger: attach() takes Alembic's context (from alembic import context), "
                               f"not {type(context).__name__}: {_CALL}")
    return context


def _again(earlier: Recorder, migration_context: Any, store: LedgerStore) -> Recorder:
    """A second ``attach`` for a connection the hook already records: the first one records it, once."""
    if store.fullname != earlier.store.fullname:
        raise AlembicHookError(f"schema-ledger: attach(context) was called again for this connection, with another "
                               f"ledger table ({store.fullname}; already recording into {earlier.store.fullname}): "
                               f"call it once, after context.configure(connection=...)")
    if earlier.migration_context is not migration_context:
        earlier.follow(migration_context)  # env.py configured the connection's context again
    log.warning("schema-ledger: attach(context) was called again for this connection: it records once "
                "(one call, after context.configure(connection=...), is enough)")
    return earlier


def _no_io_here(conn: Any) -> bool:
    """``conn`` runs on an async driver and this is not inside ``connection.run_sync(...)``: no statement
    can run on it here."""
    if not getattr(conn.dialect, "is_async", False):
        return False
    from sqlalchemy.util.concurrency import in_greenlet

    return not in_greenlet()


def _shown() -> None:
    """The hook's loggers show what they log again: the ``fileConfig(...)`` that env.py runs after its
    imports (every Alembic template does) disables the loggers that exist then, this one with them once
    ``import ledger.alembic`` came first, and its warnings and errors would go unseen."""
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if name.startswith("schema_ledger") and isinstance(logger, logging.Logger):
            logger.disabled = False


def _load_plugins() -> None:
    """The project's plugins imported, its column types registered: a configuration that names neither
    is not read (nor checked: the hook records with or without it)."""
    from ledger.project.config import find_config, load_config, load_plugins, names_modules

    path = find_config()
    if path is not None and names_modules(path):
        load_plugins(load_config(path))


def _seal(recorder: Recorder, sign_key: str | None, anchor: str | Path | None) -> Any:
    import os

    # the names of ledger.storage.seal's KEY_ENV and ANCHOR_ENV: the module (and the cryptography it
    # imports) is loaded only when a run signs or anchors
    key_text = sign_key or os.environ.get("SCHEMA_LEDGER_SIGNING_KEY") or None
    anchor_text = anchor or os.environ.get("SCHEMA_LEDGER_ANCHOR") or None
    if key_text is None and anchor_text is None:
        return None
    from ledger.storage.seal import Seal, database_identity, load_private_key

    key = load_private_key(str(key_text), where="sign_key") if key_text is not None else None
    url = recorder.conn.engine.url.render_as_string(hide_password=True)
    return Seal(database_identity(url, recorder.store.fullname), key=key,
                anchor=Path(anchor_text) if anchor_text is not None else None)
