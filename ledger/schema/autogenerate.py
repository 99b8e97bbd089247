"""``new --autogenerate``: the ops that turn the migrations' head schema into the target MetaData.

No database is read. The starting point is the fold of the project's migration files, in
chain order, on top of ``baseline.json`` when a baseline wrote one (the schema a database
had when it was adopted). The target is the project's SQLAlchemy ``MetaData``, named by
``target_metadata = "module:attribute"`` in the configuration and read with the project's
naming convention (:meth:`SchemaState.from_metadata`). :func:`ledger.schema.diff.diff` gives the ops;
a configured ``autogenerate_hook = "module:function"`` may rewrite them; each resulting
revision is written as ``upgrade(op)`` with ``op.*`` calls (:func:`ledger.schema.pysource.python_source`).

The hook is called as ``hook(ops, context)`` with the list of ops and an
:class:`AutogenerateContext`; it returns the ops to write (a list of ops), or several
revisions to write one after the other (a list of :class:`Draft`, or a list of lists of ops).
"""

from __future__ import annotations

import importlib
import json
import sys
import uuid
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import attrs
import sqlalchemy as sa

from ops import LedgerError, MigrateOperation, SchemaState

from ledger import dialects
from ledger.project.config import BASELINE_FILE, Config, ConfigError
from ledger.schema.diff import diff, models_as_held
from ledger.schema.pysource import python_source
from ledger.schema.render import state_from_json
from ledger.project.revisions import Revision, RevisionChain, display_path, slug

__all__ = [
    "BASELINE_FILE",
    "AutogenerateContext",
    "AutogenerateError",
    "AutogenerateResult",
    "Draft",
    "autogenerate",
    "compare_metadata",
    "head_state",
    "import_object",
    "revision_text",
    "target_state",
]



class AutogenerateError(ConfigError):
    """The configured target metadata or hook cannot be loaded, or the hook returned ops that do not fit.

    A ConfigError: what is wrong is named in the configuration (the CLI exits 2)."""


@attrs.frozen
class Draft:
    """One revision to write: its message and its ops."""

    message: str
    ops: tuple[MigrateOperation, ...] = attrs.field(converter=tuple)


@attrs.frozen
class AutogenerateContext:
    """What a hook may look at: the configuration, the message, the head schema and the target."""

    config: Config
    message: str
    source: SchemaState
    target: SchemaState


@attrs.frozen
class AutogenerateResult:
    drafts: tuple[Draft, ...]
    #: the files written, one per draft (none when there was nothing to do)
    paths: tuple[Path, ...]

    @property
    def ops(self) -> tuple[MigrateOperation, ...]:
        return tuple(op for draft in self.drafts for op in draft.ops)


# ---------------------------------------------------------------------------------------------
# Loading the target and the hook
# ---------------------------------------------------------------------------------------------


def import_object(spec: str, project_dir: Path, what: str) -> Any:
    """The object ``spec`` ("package.module:attribute") names, imported with the project on sys.path."""
    module_name, _, attribute = spec.partition(":")
    added = str(project_dir) not in sys.path
    if added:
        sys.path.insert(0, str(project_dir))
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any failure to import the user's module is reported alike
        raise AutogenerateError(f"{what} {spec}: cannot import {module_name}: {type(exc).__name__}: {exc}") from None
    finally:
        if added:
            sys.path.remove(str(project_dir))
    value: Any = module
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise AutogenerateError(f"{what} {spec}: {module_name} has no attribute {attribute}") from None
    return value


def target_state(config: Config) -> SchemaState:
    """The schema the project's target MetaData (or list of MetaData) describes."""
    return _target(config)[0]


def _target(config: Config) -> tuple[SchemaState, frozenset[tuple[str | None, str, str]]]:
    """:func:`target_state`, and ``(schema, table, column)`` of the columns that draw their values
    from a ``sa.Sequence`` of their own (not ``optional``): on a database with sequences such a
    column is made without SERIAL/AUTO_INCREMENT, the sequence beside it."""
    if not config.target_metadata:
        raise AutogenerateError(
            "no target_metadata in the configuration: add target_metadata = \"package.module:metadata\""
        )
    value = import_object(config.target_metadata, config.project_dir, "target_metadata")
    metadatas = list(value) if isinstance(value, (list, tuple)) else [value]
    if not metadatas or not all(isinstance(m, sa.MetaData) for m in metadatas):
        raise AutogenerateError(f"target_metadata {config.target_metadata} is not a SQLAlchemy MetaData "
                                f"(or a list of them) but {type(value).__name__}")
    state = _empty(config)
    try:
        for metadata in metadatas:
            part = SchemaState.from_metadata(metadata, config.naming_convention)
            for table in part.tables.values():
                state = state.with_table(attrs.evolve(table, foreign_keys=()))
            for table in part.tables.values():
                for fk in table.foreign_keys:
                    state = state.with_constraint(table.name, fk, table.schema)
    except LedgerError as exc:
        raise AutogenerateError(f"target_metadata {config.target_metadata}: {exc}") from None
    drawn = frozenset((table.schema, table.name, str(column.name)) for metadata in metadatas
                      for table in metadata.tables.values() for column in table.columns
                      if isinstance(column.default, sa.Sequence) and not column.default.optional)
    return state, drawn


def _empty(config: Config) -> SchemaState:
    """An empty schema under the name rule of the configured database (the strictest without one)."""
    try:
        return dialects.empty_state(config.url)
    except LedgerError:
        return SchemaState()


def head_state(config: Config, chain: RevisionChain) -> SchemaState:
    """The fold of the migration files at head, on top of the baseline snapshot when there is one."""
    state = _empty(config)
    snapshot = config.migrations_dir / BASELINE_FILE
    if snapshot.is_file():
        try:
            state = state_from_json(json.loads(snapshot.read_text(encoding="utf-8")), state)
        except (OSError, ValueError) as exc:
            raise AutogenerateError(f"{display_path(snapshot)}: {exc}") from None
    for revision in chain:
        state = _fold(revision, state)
    return state


def _fold(revision: Revision, state: SchemaState) -> SchemaState:
    for op in revision.ops:
        try:
            state = op.complete(state).apply(state)
        except LedgerError as exc:
            raise AutogenerateError(f"{display_path(revision.path)}: revision {revision.id}, {op.describe()}: {exc}") from None
    return state


def compare_metadata(source: SchemaState, target: SchemaState,
                     drawn: Collection[tuple[str | None, str, str]] = ()) -> list[MigrateOperation]:
    """The completed ops that lead from ``source`` to ``target`` (models: a constraint the ledger
    holds without a name the database keeps is matched whatever name the model gives it; a
    column of ``drawn``, which draws on a sequence of its own, as the ledger holds it whether
    or not the database made it autoincrement)."""
    return diff(source, models_as_held(target, source, drawn))


# ---------------------------------------------------------------------------------------------
# The hook
# ---------------------------------------------------------------------------------------------


def _drafts(result: Any, message: str, spec: str) -> list[Draft]:
    """What a hook returned, as drafts."""
    if result is None or not isinstance(result, Sequence) or isinstance(result, str):
        raise AutogenerateError(f"autogenerate_hook {spec} must return a list of ops or of revisions, "
                                f"not {type(result).__name__}")
    items = list(result)
    if all(isinstance(i, MigrateOperation) for i in items):
        return [Draft(message, items)]
    if all(isinstance(i, Draft) for i in items):
        return items
    if all(isinstance(i, Sequence) and all(isinstance(o, MigrateOperation) for o in i) for i in items):
        return [Draft(f"{message} ({n} of {len(items)})" if len(items) > 1 else message, i)
                for n, i in enumerate(items, start=1)]
    raise AutogenerateError(f"autogenerate_hook {spec} returned something other than ops, Drafts or lists of ops")


def _checked(drafts: Sequence[Draft], source: SchemaState, spec: str | None) -> list[Draft]:
    """Drafts whose ops fold onto ``source`` in order, each op completed; empty drafts dropped."""
    state = source
    out = []
    for draft in drafts:
        done = []
        for op in draft.ops:
            try:
                op = op.complete(state)
                state = op.apply(state)
            except LedgerError as exc:
                who = f"autogenerate_hook {spec} returned" if spec else "autogenerate made"
                raise AutogenerateError(f"{who} an op that does not fit: {op.describe()}: {exc}") from None
            done.append(op)
        if done:
            out.append(Draft(draft.message, done))
    return out


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def revision_text(message: str, revision: str, down_revision: str | None, ops: Sequence[MigrateOperation]) -> str:
    """The text of a migration file whose ``upgrade(op)`` issues ``ops``."""
    source = python_source(ops)
    imports = sorted(set(source.imports) | {"import sqlalchemy as sa"},
                     key=lambda line: (not line.startswith("import "), line))
    doc = message.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return (
        f'"""{doc}"""\n\n' + "\n".join(imports) + "\n\n"
        f"revision = {revision!r}\ndown_revision = {down_revision!r}\n\n\n"
        f"def upgrade(op):\n{source.body}"
    )


def autogenerate(
    config: Config, chain: RevisionChain, message: str, *, rev_id: str | None = None, write: bool = True,
    target: SchemaState | None = None,
) -> AutogenerateResult:
    """Write the revision(s) that take the migrations' head to the target metadata.

    ``target`` stands in for the configured target_metadata when given; ``write=False``
    computes the drafts and writes nothing.
    """
    source = head_state(config, chain)
    drawn: frozenset[tuple[str | None, str, str]] = frozenset()
    if target is None:
        target, drawn = _target(config)
    ops = compare_metadata(source, target, drawn)
    spec = config.autogenerate_hook
    drafts = [Draft(message, ops)]
    if spec:
        hook = import_object(spec, config.project_dir, "autogenerate_hook")
        if not callable(hook):
            raise AutogenerateError(f"autogenerate_hook {spec} is not a function")
        drafts = _drafts(hook(list(ops), AutogenerateContext(config, message, source, target)), message, spec)
    drafts = _checked(drafts, source, spec)
    paths: list[Path] = []
    if write:
        parent = chain.head.id if chain.head else None
        for number, draft in enumerate(drafts):
            revision = rev_id if rev_id and number == 0 else (f"{rev_id}_{number + 1}" if rev_id else uuid.uuid4().hex[:12])
            path = config.migrations_dir / f"{revision}_{slug(draft.message)}.py"
            if path.exists() or chain.get(revision) is not None:
                raise AutogenerateError(f"{display_path(path)}: revision {revision} already exists")
            path.write_text(revision_text(draft.message, revision, parent, draft.ops), encoding="utf-8")
            paths.append(path)
            parent = revision
    return AutogenerateResult(tuple(drafts), tuple(paths))
