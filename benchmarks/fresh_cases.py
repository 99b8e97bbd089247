"""The first history's raw-replay comparison with both tools as fresh processes (``--one-transaction``).

``apply-sqlite-1tx-fresh`` and the like run the first synthetic history (the one of ``apply-sqlite-1tx``)
as the second history's cases run theirs: ``python -m ledger --url URL apply --one-transaction`` (or
``rollback --to base --one-transaction``) in the project's folder, against ``python -m benchmarks.replay``
of the statements that run executed (through SQLAlchemy, judged; through the bare driver, informational),
each a fresh process with Python's default bytecode caching, so that start-up counts for both alike.
The in-process cases (``apply-sqlite-1tx`` ...) stay, their raw rows printed for information beside these.
"""

from __future__ import annotations

from collections.abc import Callable

from benchmarks.harness import Prepared, Timed, case
from benchmarks.history2 import Databases, _raw_baselines, ours
from benchmarks.migrate_cases import _build_migrations, _projects, _statements_file

#: the raw targets (one transaction): SQLite, PostgreSQL
TARGETS = {"sqlite": 1.5, "postgresql": 1.3}


def _apply(dialect: str, size: int, workdir: str) -> Prepared:
    project, _alembic = _projects(workdir, size, dialect)
    db = Databases(dialect, workdir)

    def fresh(who: str) -> Callable[[], None]:
        return lambda: db.fresh(f"fresh_apply_{who}_{size}") and None

    return Prepared(
        Timed(ours(project, db.url(f"fresh_apply_ours_{size}"), "apply", "--one-transaction"), setup=fresh("ours")),
        tuple(_raw_baselines(db, db.url(f"fresh_apply_raw_{size}"), _statements_file(workdir, "apply", dialect, size),
                             fresh("raw"), TARGETS[dialect])),
        f"first history: schema-ledger apply --one-transaction of {size} revisions ({dialect}, fresh processes)",
    )


def _rollback(dialect: str, size: int, workdir: str) -> Prepared:
    project, _alembic = _projects(workdir, size, dialect)
    db = Databases(dialect, workdir)

    def at_head(who: str) -> Callable[[], None]:
        return lambda: db.fresh(f"fresh_rollback_{who}_{size}", copy_of=f"applied_ours_{size}") and None

    return Prepared(
        Timed(ours(project, db.url(f"fresh_rollback_ours_{size}"), "rollback", "--to", "base", "--one-transaction"),
              setup=at_head("ours")),
        tuple(_raw_baselines(db, db.url(f"fresh_rollback_raw_{size}"),
                             _statements_file(workdir, "rollback", dialect, size), at_head("raw"), TARGETS[dialect])),
        f"first history: schema-ledger rollback --to base --one-transaction of {size} revisions ({dialect}, "
        "fresh processes)",
    )


@case("apply-sqlite-1tx-fresh", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def apply_sqlite(size: int, workdir: str) -> Prepared:
    return _apply("sqlite", size, workdir)


@case("rollback-sqlite-1tx-fresh", size=500, quick_size=14, build=_build_migrations("sqlite"), repeat=5)
def rollback_sqlite(size: int, workdir: str) -> Prepared:
    return _rollback("sqlite", size, workdir)


@case("apply-postgresql-1tx-fresh", size=500, quick_size=14, build=_build_migrations("postgresql"),
      needs="postgresql", repeat=5)
def apply_postgresql(size: int, workdir: str) -> Prepared:
    return _apply("postgresql", size, workdir)


@case("rollback-postgresql-1tx-fresh", size=500, quick_size=14, build=_build_migrations("postgresql"),
      needs="postgresql", repeat=5)
def rollback_postgresql(size: int, workdir: str) -> Prepared:
    return _rollback("postgresql", size, workdir)
