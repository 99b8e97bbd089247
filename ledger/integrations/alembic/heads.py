"""Alembic's version table after the ledger undoes a revision, as Alembic's own downgrade leaves it.

A rollback undoes revisions in the ledger; Alembic's version table must then name where the
database stands, so that ``alembic upgrade heads`` runs the undone revisions again. In a history
with branches, merges and ``depends_on`` the rows are not simply the last revision still in effect:
undoing a revision is Alembic's downgrade step of it (a branch's first revision deletes its row,
a merge's becomes the rows of the revisions it merged), worked out here by Alembic's own
``HeadMaintainer`` on a set of rows. The graph it walks is the one the hook recorded when it ran
each revision's upgrade (``revision_record``: an ``alembic`` event, ledger/format/alembic_record.py),
so no revision file and no ``alembic.ini`` is needed; for a revision of a ledger written before
those records, the project's revision files when its ``alembic.ini`` is at hand; else the rollback's
own rule (the latest revision still in effect, right for a linear history).
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from ledger.format.alembic_record import AlembicRevision

#: the version rows after a revision is undone (None: the project's files do not tell)
Downgrade = Callable[[Collection[str], str, Collection[str]], "set[str] | None"]

#: where the version rows of an undone revision came from (``VersionRows.sources``)
RECORDED, FILES, RULE = "recorded", "files", "rule"


def revision_record(migration_context: Any, revision: str | None) -> str | None:
    """The ``alembic`` event's payload for ``revision`` as the running Alembic knows it (None: the
    context has no script directory, or it does not know the revision)."""
    script = getattr(migration_context, "script", None)
    if script is None or revision is None:
        return None
    try:
        found = script.revision_map.get_revision(revision)
        return AlembicRevision.of(found.revision, found.down_revision, found._resolved_dependencies,
                                  found._orig_branch_labels, migration_context.version_table,
                                  migration_context.version_table_schema).payload()
    except Exception:  # noqa: BLE001 - recording never breaks a migration Alembic completed
        return None


class VersionRows:
    """How Alembic's version rows follow each revision a rollback undoes, and from what:
    ``sources`` maps each revision to ``RECORDED`` (the hook's record of it), ``FILES`` (the
    revision files beside the ``alembic.ini`` in ``folder``) or ``RULE`` (neither told: None was
    returned, and the rollback's own rule applies)."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.sources: dict[str, str] = {}
        self._files: Downgrade | None | bool = False  # False: not looked for yet
        #: the records and rows the graph was built for, and the graph
        self._graph: tuple[Mapping[str, AlembicRevision], set[str], frozenset[str], Any] | None = None

    def __call__(self, rows: Collection[str], revision: str, kept: Collection[str],
                 recorded: Mapping[str, AlembicRevision]) -> set[str] | None:
        after, source = None, RULE
        if revision in recorded:
            graph = self.recorded_graph(recorded, rows, frozenset(kept) - recorded.keys())
            if graph is not None:
                after, source = _downgraded(graph, rows, revision, kept), RECORDED
        else:
            if self._files is False:
                self._files = project_downgrade(self.folder)
            if callable(self._files):
                after, source = self._files(rows, revision, kept), FILES
        self.sources[revision] = source if after is not None else RULE
        return after

    def recorded_graph(self, recorded: Mapping[str, AlembicRevision], rows: Collection[str],
                       standing: frozenset[str] = frozenset()) -> Any:
        """Alembic's revision map of the recorded revisions and the ``rows`` of a version table
        (built again only for records, rows or ``standing`` revisions it has not seen)."""
        if self._graph is None or self._graph[0] is not recorded or not set(rows) <= self._graph[1] \
                or standing != self._graph[2]:
            seen = set(rows) | (self._graph[1] if self._graph is not None and self._graph[0] is recorded else set())
            self._graph = (recorded, seen, standing, recorded_map(recorded, seen, standing))
        return self._graph[3]


def recorded_map(recorded: Mapping[str, AlembicRevision], rows: Collection[str] = (),
                 standing: Collection[str] = ()) -> Any:
    """A ``RevisionMap`` of the recorded revisions; a revision they name or a version table holds
    (``rows``) that none records (one a baseline adopted, one recorded before these records)
    stands in as a base of its own. ``standing``: such revisions still in effect (those a baseline
    adopted); a revision a record names that is none of these nor a row was in effect before the
    first recorded revision ran, below the adopted ones, so it stands in as a down revision of each
    (a branch a later version of the history starts below the stamped heads: undoing it deletes its
    row, as Alembic's downgrade does, rather than bringing back a revision under another row). None
    when Alembic refuses the graph."""
    from alembic.script.revision import Revision, RevisionMap

    class Recorded(Revision):
        """A revision as recorded: no file, no module (Alembic's downgrade step names its function)."""
        module = doc = None

        def __init__(self, revision: str, down_revision: Any, **kw: Any) -> None:
            super().__init__(revision, down_revision, **kw)
            self.module = types.SimpleNamespace(upgrade=None, downgrade=None)

    def build(labels: bool) -> Any:
        revisions = {name: Recorded(name, r.down_revisions or None, dependencies=r.depends_on or None,
                                    branch_labels=r.branch_labels if labels else None)
                     for name, r in recorded.items()}
        named = {n for r in recorded.values() for n in (*r.down_revisions, *r.depends_on)} | set(rows)
        below = tuple(sorted(named - revisions.keys() - set(rows) - set(standing))) if standing else ()
        revisions.update({n: Recorded(n, below if n in standing and below else None)
                          for n in sorted(named - revisions.keys())})
        graph = RevisionMap(lambda: list(revisions.values()))
        graph._revision_map  # noqa: B018 - built here, so that a graph Alembic refuses is found now
        return graph

    try:
        return build(True)
    except Exception:  # noqa: BLE001 - labels recorded at different times that clash: the graph without them
        try:
            return build(False)
        except Exception:  # noqa: BLE001 - a graph Alembic refuses: the rollback's own rule
            return None


def project_downgrade(folder: Path | None = None) -> Downgrade | None:
    """From the Alembic project whose ``alembic.ini`` (or ``$ALEMBIC_CONFIG``) and ``pyproject.toml``
    (``[tool.alembic]``) are in ``folder`` (the working folder by default), as the ``alembic`` command
    finds them: how its version rows follow an undone revision; None without such a project, without
    Alembic, or when its revision files do not load."""
    ini = (folder or Path.cwd()) / os.environ.get("ALEMBIC_CONFIG", "alembic.ini")
    toml = ini.parent / "pyproject.toml"
    if not ini.is_file() and not toml.is_file():
        return None
    try:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config(str(ini) if ini.is_file() else None, toml_file=str(toml) if toml.is_file() else None)
        revisions = ScriptDirectory.from_config(config).revision_map
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
    graph (``revisions``: recorded, or the project's files) does not know ``revision`` or Alembic
    refuses a step."""
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
