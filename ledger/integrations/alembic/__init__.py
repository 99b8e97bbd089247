"""The Alembic hook: record what Alembic runs in the ledger of the database it changes: one call in ``env.py``.

::

    context.configure(connection=connection, target_metadata=target_metadata)
    ledger.alembic.attach(context)
    with context.begin_transaction():
        context.run_migrations()

How it works. Alembic's ``Operations.invoke`` (every ``op.*`` call) and its batch flush are
wrapped once per process; they act only for migration contexts that :func:`attach` was called
with. Each Alembic operation runs exactly as Alembic runs it; after it succeeds it is turned
into the ops vocabulary (from the SQLAlchemy objects Alembic built), completed from the fold
of the ledger, and appended as an ``apply`` event on the same connection, so it commits or
rolls back with Alembic's own transaction. Batch blocks are recorded as their logical ops
after the block ran. Statements a migration runs by other means (``op.execute``,
``op.bulk_insert``, ``op.get_bind().execute(...)``) are captured at the cursor after they
succeed and recorded as ``execute`` events whose message starts with ``[data change]``,
irreversible but for an ``INSERT`` of rows with the values of a key, which a ``DELETE`` by that key
undoes (:mod:`ledger.schema.seedrows`); one that carries a value the revision read back earlier (a generated id)
is kept only to be read, never replayed (:mod:`.readback`). DDL among them (``op.execute("ALTER TABLE ...")``) is folded: the tables it
changed are reflected and the difference from the fold is recorded as ordinary, reversible
ops. Operations the vocabulary lacks are recorded as irreversible ``execute`` events holding
their SQL, with a message starting ``[not in vocabulary]``.

The applier lock. :func:`attach` takes the lock ``schema-ledger apply`` takes before Alembic
reads its version table, and each revision checks that table and the ledger's head under it,
so concurrent runs on one database do not interleave. On MySQL/MariaDB, where each DDL
statement commits on its own, the event of each DDL is committed with it.

Names the database chooses. A constraint Alembic creates without a name gets its name from
the database (PostgreSQL ``t_pkey``, ``t_x_fkey``, ...). The hook reads that name back after
the operation ran, so that the fold holds the names later revisions drop. Where the database
keeps no name (SQLite), the fold uses the default naming convention, as reflection does.

The parts: :mod:`.hook` (``attach``), :mod:`.patch` (Alembic's dispatch, wrapped),
:mod:`.recorder` (one migration context, revision by revision) with :mod:`.lock` (the applier
lock) and :mod:`.folds` (each op applied to the fold, and what lets it follow the database), :mod:`.capture` (statements run as SQL) with :mod:`.readback` (values a revision read back), :mod:`.convert` (Alembic op -> ledger op),
:mod:`.names` (names the database chose), :mod:`.stored` (what the database stored and did
implicitly), :mod:`.fallback` (reflect and diff, re-sync) and :mod:`.unseen` (the ledger's table
left out of the tables the migration lists).
"""

from __future__ import annotations

import importlib

#: What the hook and import-alembic say when Alembic is not installed.
MISSING_ALEMBIC = "the Alembic hook and import-alembic need Alembic: pip install 'schema-ledger[alembic]'"

try:
    importlib.import_module("alembic")
except ModuleNotFoundError:
    raise ModuleNotFoundError(MISSING_ALEMBIC, name="alembic") from None

from ledger.format.events import RESYNC, RESYNCED  # noqa: E402
from ledger.integrations.alembic.base import (  # noqa: E402
    ADJUSTED,
    DATA_CHANGE,
    NOT_MODELLED,
    PARTIAL,
    REFLECTED,
    SCHEMA_SQL,
    AlembicHookError,
    is_data_change,
)
from ledger.integrations.alembic.hook import attach  # noqa: E402
from ledger.integrations.alembic.recorder import Recorder  # noqa: E402

__all__ = [
    "ADJUSTED",
    "DATA_CHANGE",
    "MISSING_ALEMBIC",
    "NOT_MODELLED",
    "PARTIAL",
    "REFLECTED",
    "RESYNC",
    "RESYNCED",
    "SCHEMA_SQL",
    "AlembicHookError",
    "Recorder",
    "attach",
    "is_data_change",
]
