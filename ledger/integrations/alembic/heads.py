"""Alembic's version table after the ledger undoes a revision, as Alembic's own downgrade leaves it.

A rollback undoes revisions in the ledger; Alembic's version table must then name where the
database stands, so that ``alembic upgrade heads`` runs the undone revisions again. In a history
with branches, merges and ``depends_on`` the rows are not simply the last revision still in effect:
undoing a revision is Alembic's downgrade step of it (a branch's first revision deletes its row,
a merge's becomes the rows of the revisions it merged), worked out here by Alembic's own
``HeadMaintainer`` on a set of rows, from the project's revision files.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

#: the version rows after a revision is undone (None: the project's files do not tell)
Downgrade = Callable[[Collection[str], str, Collection[str]], "set[str] | None"]


def project_downgrade(folder: Path | None = None) -> Downgrade | None:
    """From the Alembic project whose ``alembic.ini`` (or ``$ALEMBIC_CONFIG``) is in ``folder`` (the
    working folder by default), as Alembic finds it: how its version rows follow an undone revision;
    None without such a project, without Alembic, or when its revision files do not load."""
    ini = (folder or Path.cwd()) / os.environ.get("ALEMBIC_CONFIG", "alembic.ini")
    if not ini.is_file():
        return None
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        revisions = ScriptDirectory.from_config(Config(str(ini))).revision_map
        revisions.heads  # noqa: B018 - the files are read here, not in the middle of the rollback
    except Exception:  # noqa: BLE001 - a project that does not load: the ledger's own rule is used
        return None
    return lambda rows, revision, kept: _downgraded(revisions, rows, revision, kept)


def _downgraded(revisions: Any, rows: Collection[str], revision: str, kept: Collection[str]) -> set[str] | None:
    """``rows`` after Alembic's downgrade of ``revision``; first the revisions above it that hold
    nothing in the ledger (``kept``: the revisions still in effect there and those a baseline
    adopted), as Alembic downgrades them on its way to it; then the merges that downgrade brings to
    the top that hold nothing either, as
    ``alembic downgrade`` to a revision below a merge leaves both its branches. None when the
    project's files do not know ``revision`` or Alembic refuses a step."""
    from alembic.runtime.migration import HeadMaintainer, RevisionStep

    class Rows(HeadMaintainer):
        def _insert_version(self, version: str) -> None:
            self.heads.add(version)

        def _delete_version(self, version: str) -> None:
            self.heads.discard(version)

        def _update_version(self, from_: str, to_: str) -> None:
            self.heads.discard(from_)
            self.heads.add(to_)

    def down(name: str) -> None:
        heads.update_to_step(RevisionStep(revisions, revisions.get_revision(name), False))

    def empty_above(name: str) -> list[str]:
        return [h for h in heads.heads if h not in kept and h != name
                and name in {r.revision for r in revisions._get_ancestor_nodes([revisions.get_revision(h)])}]

    try:
        if revisions.get_revision(revision) is None:
            return None
        heads = Rows(None, rows)  # type: ignore[arg-type]
        while revision not in heads.heads:
            above = empty_above(revision)
            if not above:
                return None  # the rows do not stand on it: not this table's revision
            down(above[0])
        down(revision)
        # only the merges the undo itself brought to the top: rows that stood before are left alone
        while merges := [h for h in heads.heads - set(rows) if h not in kept
                         and len(revisions.get_revision(h)._all_down_revisions) > 1]:
            down(merges[0])
        return set(heads.heads)
    except Exception:  # noqa: BLE001 - a revision the files do not know, a step Alembic refuses: the ledger's rule
        return None
