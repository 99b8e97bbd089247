"""Recorded drills: a drill's report as a ``drill`` event in the target's ledger, and
``apply --require-drill``, which accepts only the revisions a passing recorded drill covered
(by id and checksum: editing a file after its drill needs a new one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ops import LedgerError

from ledger.format.codec import DRILL_RECORD, decode_record, encode_record
from ledger.format.events import Actor, Event
from ledger.inspect.status import status
from ledger.project.config import Config
from ledger.project.revisions import RevisionChain
from ledger.storage.journal import Journal
from ledger.storage.session import connect, db_user, store_for, tx, wrap_db_errors

if TYPE_CHECKING:
    from ledger.run.drill import DrillReport

__all__ = ["DrillRequired", "covered_revisions", "record_drill", "require_drill"]


class DrillRequired(LedgerError, RuntimeError):
    """``apply --require-drill`` found pending revisions that no passing recorded drill covered."""


def record_drill(config: Config, report: DrillReport, *, why: str | None = None, by: str | None = None,
                 lock_timeout: float = 60.0) -> Event:
    """Append a ``drill`` event with ``report`` and the target ledger's head to the target's ledger."""
    store = store_for(config)
    with connect(config.url, lock_timeout=lock_timeout) as conn, wrap_db_errors(lock_timeout):
        actor = Actor.current(db_user=db_user(conn), by=by)
        with store.lock(conn, lock_timeout), tx(conn):
            store.create(conn)
            head = store.head(conn)
            data = {k: v for k, v in report.to_json().items() if k not in ("format", "version")}
            data["ledger_head"] = {"seq": head.seq, "hash": head.hash} if head else None
            return Journal(conn, store, actor, head=head).record(
                "drill", None, payload=encode_record(DRILL_RECORD, data).decode("utf-8"), revision=report.head,
                message=why or f"rollback drill {'passed' if report.passed else 'failed'}",
                revision_checksum=report.rows[-1].checksum if report.rows else None,
            )


def _drill_results(config: Config) -> list[dict[str, Any]]:
    store = store_for(config)
    with connect(config.url) as conn, wrap_db_errors(), tx(conn):
        if not store.exists(conn):
            return []
        rows = conn.execute(sa.select(store.table).where(store.table.c.kind == "drill").order_by(store.table.c.seq))
        results = []
        for row in rows:
            try:
                results.append(decode_record(row.payload, DRILL_RECORD, seq=row.seq))
            except LedgerError:
                continue
        return results


def covered_revisions(config: Config) -> set[tuple[str, str]]:
    """(revision, checksum) of every revision that a passing recorded drill took up and down."""
    covered = set()
    for data in _drill_results(config):
        if data.get("passed") is True:
            for row in data.get("revisions", []):
                if isinstance(row, dict) and row.get("up") and row.get("down") is not False:
                    covered.add((str(row.get("revision")), str(row.get("checksum"))))
    return covered


def require_drill(config: Config, chain: RevisionChain, to: str | None = None) -> None:
    """Refuse (DrillRequired) when a revision ``apply`` would run is not covered by a passing recorded drill.

    A revision is covered by its id and checksum: editing a file after its drill needs a new one.
    """
    targets = {r.id for r in chain.upto(to)}
    pending = [r for r in chain if r.id in targets and r.id in set(status(config, chain=chain).pending)]
    covered = covered_revisions(config)
    missing = [r for r in pending if (r.id, r.checksum) not in covered]
    if missing:
        raise DrillRequired(
            f"no passing recorded drill covers revision{'s' if len(missing) > 1 else ''} "
            f"{', '.join(r.id for r in missing)}; run `schema-ledger drill --record` first"
        )
