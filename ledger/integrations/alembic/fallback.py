"""Recording from the live schema: reflect the tables an operation touched and record the difference from the fold."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import sqlalchemy as sa

import ops as lops
from ops import LedgerError, MigrateOperation, SchemaState
from ops.specs import TableSpec, held_unnamed

from ledger import dialects
from ledger.format.events import RESYNC, RESYNCED
from ledger.integrations.alembic.base import ADJUSTED, REFLECTED, SCHEMA_SQL, Origin, log
from ledger.integrations.alembic_sql import SchemaObject, _unquote, schema_object, statements_in, temporary_object
from ledger.integrations.alembic_readparts import DroppedConstraint
from ledger.integrations.alembic.capture import Captured
from ledger.integrations.alembic.narrow import added_labels, dropped_index, renamed_index, renames_alone
from ops import classes as oc


class FollowsLive:
    """Records what the database holds where an operation cannot be recorded as converted."""

    #: the database's DDL generator (made when first needed)
    _generator: Any = None
    #: the seqs of the SQL recorded marked for re-sync since the last re-sync
    _unfollowed: tuple[int, ...] = ()
    #: the temporary tables and views this run's SQL text made and has not dropped (by name, casefolded)
    _temporaries: frozenset[str] = frozenset()
    #: the schemas this run's SQL text made, read as the fold's (a text that may change any table)
    _made_schemas: frozenset[str] = frozenset()

    def _on_temporary(self, text: str) -> bool:
        """Whether ``text`` only makes or drops a temporary table or view: one made temporary, or a
        plain drop of a name this run saw made temporary (and not dropped since: the session holds
        it until then, and a drop by its name drops it, not a table of the schema it shadows)."""
        found = temporary_object(text)
        if found is None:
            return False
        what, name = found
        if what == "made":
            self._temporaries |= {name}
        elif what == "dropped" or name in self._temporaries:
            self._temporaries -= {name}
        else:
            return False
        return True

    def _schemas_made_by(self, text: str) -> list[str]:
        """The ``CREATE SCHEMA`` statements of a text of several (the tables it makes in them are read as
        the fold's schemas' are, and they are recorded before those tables)."""
        parts = statements_in(text) if "schema" in text.lower() else []
        if len(parts) < 2:
            return []
        made = [(part, found[1].name) for part in parts
                if (found := schema_object(part)) is not None and found[0] == "create" and found[1].kind == "SCHEMA"]
        self._made_schemas = self._made_schemas | {_unquote(name) for _, name in made}
        return [part for part, _ in made]

    def _follow_live(self, table: tuple[str | None, str] | None,
                     parts: Collection[str] | None = None, *,
                     among: Collection[str] | None = None, index: str | None = None,
                     statement: str | None = None, renamed: MigrateOperation | None = None) -> list[MigrateOperation] | None:
        """The ops that lead from the fold to the live schema of ``table`` (None: of every table).

        ``parts``: all that can have changed of ``table`` (of ``reflect.PARTS``): only they are
        read when the fold holds the table, the rest taken from the fold. ``among`` (with no
        ``table``): the only tables of the default schema that can have changed (by name); with
        ``parts``, all that can have changed of each, read so when the fold holds each of them
        by that very name. ``index`` (with ``table`` and ``parts`` its indexes): the name, as
        written, of the one index the statement can have made (``CREATE INDEX``), read alone where
        the database holds it by that name and the fold's table nothing of that name (``reflect``'s
        ``index``: the rest of the table is the fold's), or dropped (``DROP INDEX``): the fold's
        index of that name recorded dropped, with no read of the table, where the database no
        longer holds it (``narrow.dropped_index``). [] when they agree; None when they differ and no list
        of ops leads there. ``statement``: the statement it ran, read right after it ran (None: not
        known, or read after later statements): an ``ALTER TYPE name ADD VALUE`` is recorded as the
        labels of the fold's columns of that type alone (``narrow.added_labels``), an ``ALTER INDEX ...
        RENAME TO`` as that index read alone by its new name (``narrow.renamed_index``). ``renamed``:
        the fold's rename of ``table`` (already folded) by SQL text: [] where the database renames a
        table alone (``narrow.renames_alone``), with nothing read.
        """
        if renamed is not None and renames_alone(self, renamed):
            return []
        # reflection and the comparisons, loaded when a run first reads the live schema
        from ledger.inspect.drift import adopt_names
        from ledger.schema.comparison import compare
        from ledger.schema.diff import diff
        from ledger.schema.reflect import reflect, without_type_checks

        assert self.state is not None
        schema = table[0] if table is not None else None
        ignored = {self.store.table_name, self.migration_context.version_table}
        # every table read: those of the other schemas the fold has tables in too (the catalog's
        # digests, ``among``, tell of the default schema's alone)
        others = sorted({k[0] for k in self.state.tables if k[0] is not None} | self._made_schemas) if table is None else []
        changed = None if among is None or table is not None or others else {
            name.casefold() for name in among if name not in ignored}
        if changed is not None and not changed:
            return []  # the catalog shows no table changed

        wanted = table[1].lower() if table is not None else None

        def touched(key: tuple[str | None, str]) -> bool:
            if wanted is None:
                return (key[0] is None or key[0] in others) and (changed is None or key[1].casefold() in changed)
            return key[0] == schema and key[1].lower() == wanted

        fold = self.state
        mine = {k for k in fold.tables if touched(k)}  # the fold's tables it reads
        held = [fold.tables[k] for k in mine] if parts is not None and not others else []
        if table is None and (among is None or {t.name for t in held} != {n for n in among if n not in ignored}):
            held = []  # a table the fold does not hold by the name the catalog gives: read as any table
        kept = {k: t for k, t in fold.tables.items() if k not in mine}
        if index is not None and table is not None and len(held) == 1:
            dropped = dropped_index(self, held[0], index, kept)
            if dropped is not None:
                return dropped
        if statement is not None and table is None and len(held) == 1 and "indexes" in (parts or ()):
            renamed = renamed_index(self, statement, held[0], kept)
            if renamed is not None:
                return renamed
        with self._quiet():
            live = None
            if held and (table is None or len(held) == 1):
                # what the statement could change of the tables it changed: read from the catalog
                live = reflect(self.conn, schema=schema, held={t.name: t for t in held}, parts=parts,  # type: ignore[arg-type]
                               index=index if table is not None else None)
                if len(live.tables) != len(held):
                    live = None  # not there by the fold's name: read as any table
            if live is None:
                read: dict[tuple[str | None, str], Any] = {}
                for where in (schema, *others):
                    names = sa.inspect(self.conn).get_table_names(schema=where)
                    keep = {n for n in names if n not in ignored and touched((where, n))}
                    # one table: only it is read (the catalog queries filtered by its name), not every table
                    read.update(reflect(self.conn, schema=where, exclude=tuple(sorted(set(names) - keep)),
                                        only=keep if table is not None or changed is not None else None,
                                        tables=names).tables)
                live = SchemaState(read)
        if statement is not None and table is None and held and set(parts or ()) == {"columns"}:
            added = added_labels(self, statement, held, live, kept)
            if added is not None:
                return added
        made = _made_index(held[0], live) if index is not None and len(held) == 1 else None
        if made is not None:
            # the fold's table with the one index the statement made (``reflect``'s ``index``): the
            # rest is the fold's very specs, so the diff is that index's alone, as the whole
            # comparison below finds it; anything else is left to that comparison
            key = held[0].key
            try:
                ops = diff(*_near(fold, fold.derived({**kept, **live.tables}, key), {key}))
                SchemaState.fold(ops, start=fold)
            except LedgerError:
                ops = []
            if len(ops) == 1 and isinstance(ops[0], lops.CreateIndexOp) and ops[0].index is made:
                self._dangling |= _without_dangling_keys(live, kept)[1]
                return ops
        # (the index MariaDB/MySQL made for a foreign key under a name of its own, the key's column's
        # where the key was made without a name, is read as the index of the table it is: the fold
        # takes a key's own index to bear the key's name, which a key made again by name gives it)
        live = adopt_names(live, fold, self.dialect)
        live, dangling = _without_dangling_keys(live, kept)
        self._dangling |= dangling
        # compared table by table: the tables not touched are the fold's own on both sides
        touched_fold = fold if table is None and changed is None else SchemaState(
            {k: t for k, t in fold.tables.items() if k in mine})
        if not compare(touched_fold, live, self.dialect):  # live's names already adopted
            return []
        # The ops are made from the fold's own specs wherever the database kept them as they are,
        # and from the reflected ones for what changed, so that each op holds storable types.
        rebased = _as_checks_held({k: _rebased(t, fold.tables.get(k), self.dialect)
                                   for k, t in without_type_checks(live, fold, self.dialect).tables.items()},
                                  live, self.dialect)
        # the fold with the touched tables as read: only their names are indexed anew
        target = fold.derived({**kept, **rebased}, *(mine | set(rebased)))
        try:
            ops = diff(*_near(fold, target, mine | set(rebased)))
            after = SchemaState.fold(ops, start=fold)
        except LedgerError:
            return None
        # Where the ops lead to the very tables aimed at (the diff's own ops, folded as made),
        # there is nothing to compare with the target: only with what the database holds.
        if not (_agree(*_differing(after.tables, target.tables), self.dialect)
                and _agree(*_differing(after.tables, {**kept, **live.tables}), self.dialect)):
            return None
        return ops

    def _follow_rebuilt(self, schema: str | None, table: str) -> list[MigrateOperation] | None:
        """``_follow_live`` of a table a batch rebuild made: [] without reading it back where the
        database holds the fold's table as the ledger writes it (SQLite keeps the text)."""
        return [] if self._held_as_written(schema, table) else self._follow_live((schema, table))

    def _lost_in_rebuild(self, schema: str | None, table: str) -> None:
        """Record what a batch rebuild of ``table`` lost: its types' CHECKs (``_lost_type_checks``), its triggers."""
        self._lost_type_checks(schema, table)
        self._lost_triggers(schema, table)

    def _lost_triggers(self, schema: str | None, table: str) -> None:
        """Record the triggers on ``table`` that a batch rebuild dropped: Alembic makes the table
        again without them (SQLite drops a table's triggers with it), whoever made them (an earlier
        revision, SQL earlier in the block). Each trigger the ledger's SQL text made on it that the
        database no longer holds is recorded dropped, with its definition as the reverse: replayed
        (a drill, where the ledger's rebuild keeps a table's triggers), the ledger leaves what the
        database holds; rolled back, the trigger comes back."""
        assert self.state is not None
        if not self.state.has_table(table, schema):
            return
        if self._generator is None:
            self._generator = dialects.generator(self.dialect, self.conn)
        with self._quiet():
            live = self._generator.live_triggers(self.state.table(table, schema))
        if live is None:
            return
        held = {found[1].key for found in map(schema_object, live) if found is not None}
        defined = self._definitions()
        for key, sql in list(defined.items()):
            found = schema_object(sql) if sql else None
            if found is None or found[1].kind != "TRIGGER" or key in held or found[1].table is None \
                    or SchemaObject("TABLE", found[1].table).key[1].split(".")[-1].casefold() != table.casefold():
                continue
            defined[key] = None
            self._append(lops.ExecuteSQLOp(self._database.drop_object_sql("TRIGGER", found[1].name,
                                                                          table=found[1].table), sql),
                         self._message(f"{ADJUSTED} the batch rebuild of {table} dropped trigger {found[1].name} "
                                       "(Alembic makes the table again without its triggers)"))

    def _held_as_written(self, schema: str | None, table: str) -> bool:
        """Whether the database holds the fold's ``table`` as the ledger's own DDL writes it (SQLite
        keeps the text): then a read-back would find nothing to record."""
        assert self.state is not None
        if not self.state.has_table(table, schema):
            return False
        if self._generator is None:
            self._generator = dialects.generator(self.dialect, self.conn)
        with self._quiet():
            return self._generator.holds_as_written(self.conn, self.state, self.state.table(table, schema))

    def _dropped_sequences(self, text: str, item: Captured, origin: Origin | None) -> bool:
        """Record a ``DROP SEQUENCE ... CASCADE`` whose sequences were read before it ran
        (``sequences.sequence_reverse``): first each column default it took, as the table read back
        holds the column now (the fold drops the default; its reverse sets it again), then the
        statement, whose reverse makes the sequences again, before those defaults, where what it
        took was only defaults (else no reverse, its message says what else it took). False for
        any other statement: it is followed by reflection."""
        from ledger.dialects.sequences import read_sequence_statement  # a sequence dropped: rare

        statement = read_sequence_statement(text) if len(statements_in(text)) == 1 else None
        held = self._sequence_reverses().pop(" ".join(text.split()), None) if statement is not None else None
        if held is None or statement is None or statement.verb != "drop":
            return False
        reverse, why, taken = held
        assert self.state is not None
        read: dict[tuple[str | None, str], dict[str, Any]] = {}
        for schema, table, column in taken:
            key = self._unqualified((schema, table))
            if not self.state.has_table(table, key[0]):
                continue  # not a table the ledger holds
            if key not in read:
                with self._quiet():
                    read[key] = {c["name"]: c.get("default") for c in sa.inspect(self.conn).get_columns(table, key[0])}
            held_column = next((c for c in self.state.table(table, key[0]).columns if c.name == column), None)
            if held_column is None or held_column.server_default is None or read[key].get(column, "") is not None:
                continue  # the fold holds no default there, or the database still holds one
            op = self.state.complete(lops.AlterColumnOp(table, column, schema=key[0], modify_server_default=None))
            self._apply(op, origin, self._message(
                f"{SCHEMA_SQL} {item.source}: folded from SQL: {' '.join(text.split())} (the default it took)"))
        self._record_statement(text, item, origin, None, reverse=None if why else reverse, note=why)
        return True

    def _after_dropped_constraint(self, table: tuple[str | None, str],
                                  dropped: DroppedConstraint | None = None) -> list[MigrateOperation] | None:
        """The ops of an ``ALTER TABLE t DROP CONSTRAINT [IF EXISTS] c`` with no other action
        (``alembic_readparts.dropped_constraint``), from the names of the constraints ``t`` holds now:
        the statement drops at most one of the fold's and changes nothing else, so the names tell
        which (the table's keys and checks need not be read and compared). [] when it dropped none;
        None when the names do not settle it (a constraint the fold does not hold, one it holds
        unnamed, a database with no such read): the caller then reads the table back.

        ``dropped`` (the constraint the statement names), while the fold follows the database (no
        re-sync open, no other connection's DDL waiting to be recorded): nothing is read where the
        name settles it. The name written is the one the database looks for (quoted, or lower case
        as PostgreSQL folds it; not one it would cut): when the fold's table holds a constraint of
        exactly that name and no other of that name told case-blind, the statement, which ran,
        dropped that one; when it holds none of that name case-blind, an ``IF EXISTS`` dropped
        nothing. The names read would be the fold's own, less the one dropped.
        """
        assert self.state is not None
        fold = self.state
        held = [t for k, t in fold.tables.items() if k[0] == table[0] and k[1].lower() == table[1].lower()]
        if len(held) != 1:
            return None
        spec = held[0]
        names = [c.name for c in spec.constraints]
        if any(getattr(c, "unnamed", False) or c.name is None for c in spec.constraints) \
                or len(set(names)) != len(names):
            return None
        gone = self._dropped_by_name(names, dropped) if dropped is not None else None
        if gone is None:
            with self._quiet():
                read = self._database.constraints(self.conn, spec.name, spec.schema)
            live = None if read is None else {row[1] for row in read}
            if live is None or not live <= set(names):
                return None
            gone = set(names) - live
        if not gone:
            return []
        if len(gone) > 1:
            return None
        (name,) = gone
        target = oc.evolve(
            spec, primary_key=None if spec.primary_key is not None and spec.primary_key.name == name
            else spec.primary_key, foreign_keys=tuple(c for c in spec.foreign_keys if c.name != name),
            uniques=tuple(c for c in spec.uniques if c.name != name),
            checks=tuple(c for c in spec.checks if c.name != name))
        try:
            op = lops.DropConstraintOp(name, spec.name, schema=spec.schema).complete(fold)  # as diff makes it
            after = op.apply(fold)
        except LedgerError:
            return None
        return [op] if after.tables.get(spec.key) == target else None

    def _dropped_by_name(self, names: list[str], dropped: DroppedConstraint) -> set[str] | None:
        """What ``dropped`` dropped of the constraints ``names`` of its table, told by its name
        alone (see ``_after_dropped_constraint``); None when the name does not settle it."""
        if self._resync_open or self._elsewhere or not self._database.reads_constraints:
            # the fold may not hold what the database holds; or a database whose names are not
            # read (its table is read back whole)
            return None
        written = dropped.name
        if self._database.stored_name(written) != written:
            return None  # a name the database cuts
        alike = [n for n in names if n.casefold() == written.casefold()]
        if not alike:
            return set() if dropped.if_exists else None  # without IF EXISTS it ran: one the fold does not hold
        if alike == [written] and (dropped.quoted or written == written.lower()):
            return {written}
        return None

    def _fall_back(self, what: str, table: tuple[str | None, str] | None, exc: BaseException, origin: Origin | None,
                   captured: list[Captured]) -> None:
        """Record an operation that cannot be recorded as converted: as the database holds its table.

        The table it touched (every table when that is unclear) is reflected and the difference
        from the fold is recorded as ordinary, reversible ops, as for DDL written as SQL text.
        When no list of ops leads there (or the table is one the ledger never held), what ran is
        recorded as an irreversible ``execute`` event whose message starts with ``[needs
        re-sync]``: ``status``, ``log`` and ``verify`` report it until a later revision of the
        hook finds that the fold can follow the live schema again.
        """
        assert self.state is not None
        reason = " ".join(str(exc).split()) or type(exc).__name__
        log.debug("schema-ledger: %s: recorded from the live schema: %s", what, reason)
        ops: list[MigrateOperation] | None = None
        unknown = table is not None and not self.state.has_table(table[1], table[0]) and not what.startswith(
            "alembic CreateTableOp")
        if unknown and self._on_view(table):
            for item in captured:  # an op on a view (an index on a materialized view): SQL the fold does not model
                for text in item.texts:
                    self._record_on_view(text, item, origin, table)  # type: ignore[arg-type]
            return
        if not unknown:
            try:
                ops = self._follow_live(table)
            except Exception as follow_exc:  # noqa: BLE001
                reason += f"; reflecting it failed: {' '.join(str(follow_exc).split())}"
                ops = None
        if ops:
            recorded = 0
            try:
                for number, op in enumerate(ops, start=1):
                    part = f" ({number} of {len(ops)})" if len(ops) > 1 else ""
                    if self._database.shares_named_enums:
                        # the named ENUM types the op made (``CREATE TYPE``), which its rollback drops
                        self._made_types(op, origin, captured)  # type: ignore[attr-defined]
                    self._apply(op, origin, self._message(
                        f"{REFLECTED} {what}{part}: recorded as the database holds it ({reason})"[:2000]))
                    recorded += 1
                return
            except Exception as apply_exc:  # noqa: BLE001
                reason += f"; {' '.join(str(apply_exc).split())}"
        elif ops == []:
            return  # the fold already holds what the database holds
        self._needs_resync(what, reason, origin, captured)

    def _needs_resync(self, what: str, reason: str, origin: Origin | None, captured: list[Captured]) -> None:
        """Record what ran (``captured``) as irreversible ``execute`` events marked ``[needs re-sync]``:
        the ledger does not follow the live schema from here until a later read-back finds a way."""
        texts = [text for item in captured for text in item.texts] or [dialects.unrendered_sql("", f"{what}: no SQL was seen")]
        for text in texts:
            event = self._append(lops.ExecuteSQLOp(text), self._message(
                f"{RESYNC} {what}: the ledger does not follow it ({reason})"[:2000]), origin)
            self._unfollowed = (*self._unfollowed, event.seq)
        self._resync_open = True

    def _resync(self) -> None:
        """After an operation recorded only as what ran: record what leads the fold to the live schema."""
        if not self._resync_open:
            return
        self._resync_open = False  # tried once, at the end of the revision: every table is reflected
        unfollowed, self._unfollowed = self._unfollowed, ()
        try:
            ops = self._follow_live(None)
        except Exception:  # noqa: BLE001
            return
        if ops is None or any(isinstance(op, (lops.CreateTableOp, lops.DropTableOp)) for op in ops):
            return  # a table the ledger never held is the user's to adopt, not the hook's
        for op in ops:
            try:
                self._apply(op, None, self._message(f"{RESYNCED} the ledger follows the live schema again"))
            except Exception:  # noqa: BLE001
                return
        # The operations' SQL changed only the schema, and these ops lead the fold to all it holds
        # now: they are its change (what replays it), the SQL stays in the ledger as what ran.
        self.resynced.update(unfollowed if ops else ())
        if not ops:
            self._append(None, self._message(f"{RESYNCED} the ledger follows the live schema again"))

    def _note_dangling(self, converted: list[MigrateOperation]) -> None:
        """Remember the foreign keys ``converted`` made to tables that do not exist (SQLite takes them)."""
        assert self.state is not None
        for op in converted:
            if isinstance(op, lops.CreateTableOp):
                key, fks = op.table.key, op.table.foreign_keys
            elif isinstance(op, lops.CreateForeignKeyOp):
                key, fks = (op.schema, op.table_name), (op.constraint,)
            else:
                continue
            for fk in fks:
                referent = (fk.referent_schema if fk.referent_schema is not None else key[0], fk.referent_table)
                if referent != key and not self.state.has_table(referent[1], referent[0]):
                    self._dangling.add((key, referent))

    def _keys_now_valid(self, made: tuple[str | None, str], origin: Origin | None) -> None:
        """Record the foreign keys that referred to table ``made`` before it existed (SQLite)."""
        waiting = sorted({key for key, referent in self._dangling if referent == made}, key=str)
        self._dangling = {pair for pair in self._dangling if pair[1] != made}
        for key in waiting:
            for follow in self._follow_live(key) or ():
                self._apply(follow, origin, self._message(
                    f"{ADJUSTED} the foreign key of {key[1]} to {made[1]}, which the database held before "
                    f"{made[1]} existed"))


def _rebased(live: TableSpec, fold: TableSpec | None, dialect: str) -> TableSpec:
    """``live`` with each column, key, constraint and index the database kept as the fold has it
    replaced by the fold's own spec (the same thing, as it was written rather than as reflected)."""
    taken = {i.name for i in (*live.constraints, *live.indexes) if i.name}

    def name(item: Any) -> Any:
        if item.name is not None:
            return item
        item = held_unnamed(item, live.name)
        base, number = item.name, 2
        while item.name in taken:  # a name the database holds for another constraint (SQLite)
            item, number = oc.evolve(item, name=f"{base}_{number}"), number + 1
        taken.add(item.name)
        return item

    live = oc.evolve(
        live,
        primary_key=name(live.primary_key) if live.primary_key else None,
        foreign_keys=tuple(name(i) for i in live.foreign_keys),
        uniques=tuple(name(i) for i in live.uniques),
        checks=tuple(name(i) for i in live.checks),
    )  # what the database keeps no name for (SQLite, MySQL's primary key) is named as the fold names it
    if fold is None:
        return live
    from ledger.schema.comparison import stored_options
    from ledger.schema.reflect import normalize

    # A table whose character set changed (``CONVERT TO``): its columns' character sets and
    # collations are taken as the database holds them, where they differ from the fold's.
    converted = bool(live.dialect_options and fold.dialect_options) and \
        stored_options(live, dialect) != stored_options(fold, dialect)
    # each item under the fold's name for it (a constraint the database keeps unnamed too): the
    # normalized items keep the places of the raw ones
    norm_live = next(iter(normalize(SchemaState({live.key: live}), dialect, held_names=False).tables.values()))
    norm_fold = next(iter(normalize(SchemaState({fold.key: fold}), dialect, held_names=False).tables.values()))

    def kept(field: str) -> tuple[Any, ...]:
        raw_live, raw_fold = getattr(live, field), getattr(fold, field)
        n_live, n_fold = getattr(norm_live, field), getattr(norm_fold, field)
        if len(raw_live) != len(n_live) or len(raw_fold) != len(n_fold):
            return tuple(raw_live)
        by_name = {n.name: (r, n) for r, n in zip(raw_fold, n_fold)}
        out = []
        for raw, norm in zip(raw_live, n_live):
            found = by_name.get(norm.name)
            if found is not None and found[1] == norm and _held_alike(found[0], raw) \
                    and not (converted and field == "columns" and _charset(found[0]) != _charset(raw)):
                raw = found[0]
            elif found is not None and field == "columns" and found[1] != norm \
                    and oc.evolve(found[1], autoincrement=norm.autoincrement) == norm:
                # only which column the database auto-increments changed (MySQL/MariaDB's MODIFY
                # without AUTO_INCREMENT): the fold's column with the flag the database holds
                raw = oc.evolve(found[0], autoincrement=raw.autoincrement)
            elif found is not None and field == "columns" and found[0].autoincrement is False \
                    and raw.autoincrement == "auto":
                # Reflection tells no column made with autoincrement=False from one left to the
                # default ("auto" unless the database holds an autoincrementing one): a column that
                # changed otherwise keeps the flag, so it is altered rather than dropped and added.
                raw = oc.evolve(raw, autoincrement=False)
            out.append(raw)
        return tuple(out)

    pk = live.primary_key
    if pk is not None and fold.primary_key is not None and norm_live.primary_key == norm_fold.primary_key \
            and _held_alike(fold.primary_key, pk):
        pk = fold.primary_key
    comment = fold.comment if norm_live.comment == norm_fold.comment else live.comment
    return oc.evolve(live, columns=kept("columns"), primary_key=pk, foreign_keys=kept("foreign_keys"),
                        uniques=kept("uniques"), checks=kept("checks"), indexes=kept("indexes"), comment=comment)


def _charset(column: Any) -> tuple[Any, Any]:
    """A column's own character set and collation (None where it follows its table's), lower case."""
    kwargs = dict(column.type.kwargs)

    def lower(value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    return lower(kwargs.get("charset")), lower(kwargs.get("collation"))


def _held_alike(fold: Any, live: Any) -> bool:
    """Whether the database holds ``live`` named as the fold holds ``fold``: a constraint the fold
    knows as unnamed that a batch rebuild made again under a name (Alembic names a reflected
    unnamed constraint by the block's ``naming_convention``) is recorded as held now."""
    return getattr(fold, "unnamed", False) == getattr(live, "unnamed", False)


def _made_index(held: TableSpec, live: SchemaState) -> Any:
    """The one index ``live`` holds on ``held``'s table beyond ``held``'s own, where all else of that
    table is ``held``'s (its very indexes; the rest equal); else None."""
    table = live.tables.get(held.key)
    if table is None or len(table.indexes) != len(held.indexes) + 1 or oc.evolve(table, indexes=held.indexes) != held:
        return None
    extra = [i for i in table.indexes if not any(i is h for h in held.indexes)]
    return extra[0] if len(extra) == 1 else None


def _as_checks_held(tables: dict[tuple[str | None, str], TableSpec], live: SchemaState,
                    dialect: str) -> dict[tuple[str | None, str], TableSpec]:
    """``tables`` (read back, rebased on the fold's specs) with each column whose type makes a CHECK
    that ``live`` does not hold (a batch rebuild that dropped a Boolean's or an Enum's CHECK, an
    ``ADD COLUMN`` that wrote none) typed without it, so the diff records the type as the database
    holds it, as the hook records such an added column."""
    from ledger.schema.implied import implied_checks, matched_implied, without_constraint

    out = dict(tables)
    for key, table in tables.items():
        held = live.tables.get(key)
        implied = implied_checks(table, dialect) if held is not None else []
        missing = {column for _, _, column in matched_implied(held, table, implied, dialect)[1]} if implied else set()
        if missing:
            out[key] = oc.evolve(table, columns=tuple(
                oc.evolve(c, type=without_constraint(c.type)) if c.name in missing else c for c in table.columns))
    return out


def _agree(fold: SchemaState, live: SchemaState, dialect: str) -> bool:
    """Whether ``live`` holds what ``fold`` holds: what ``drift(fold, live, dialect) is None`` tells,
    without the ops ``drift`` works out of a difference."""
    from ledger.inspect.drift import differences

    return not differences(fold, live, dialect)


def _differing(a: Mapping[tuple[str | None, str], TableSpec], b: Mapping[tuple[str | None, str], TableSpec]
               ) -> tuple[SchemaState, SchemaState]:
    """The tables of ``a`` and ``b`` (by key) but those equal on both sides, which a comparison
    would only find equal: the states of one schema share unchanged tables (the very same
    TableSpec, found equal at once), and a diff's ops folded make the tables it aimed at."""
    keys = {k for k in {*a, *b} if (t := a.get(k)) is not (u := b.get(k)) and t != u}
    return (SchemaState({k: t for k, t in a.items() if k in keys}),
            SchemaState({k: t for k, t in b.items() if k in keys}))


def _near(fold: SchemaState, target: SchemaState, keys: Collection[tuple[str | None, str]]
          ) -> tuple[SchemaState, SchemaState]:
    """``fold`` and ``target`` with only the tables a diff between them over ``keys`` (the only
    tables that can differ) reads: those, the tables whose foreign keys point at one of them, and
    every table a foreign key of these points at, and so on (the diff keeps a foreign key where its
    referent keeps its key, and makes again one whose referent changes). The other tables are the
    very same on both sides and give no op; the ops made are completed as the whole diff's would be,
    and their fold over the whole fold checks names against every table. Both whole when the
    tables needed are all of them."""
    changed = {k for k in keys if fold.tables.get(k) is not target.tables.get(k)}
    sides = (fold.tables, target.tables)

    def referent(fk: Any, table: TableSpec) -> tuple[str | None, str]:
        return (fk.referent_schema if fk.referent_schema is not None else table.schema, fk.referent_table)

    near = set(changed)
    for tables in sides:
        near.update(k for k, t in tables.items() if k not in near and any(referent(fk, t) in changed for fk in t.foreign_keys))
    todo = list(near)
    while todo:
        key = todo.pop()
        for tables in sides:
            table = tables.get(key)
            for fk in table.foreign_keys if table is not None else ():
                if (ref := referent(fk, table)) not in near:
                    near.add(ref)
                    todo.append(ref)
    if len(near) >= len(fold.tables) and len(near) >= len(target.tables):
        return fold, target
    return tuple(SchemaState({k: t for k, t in tables.items() if k in near}, names_per=fold.names_per,  # type: ignore[return-value]
                             referents=fold.referents) for tables in sides)


def _without_dangling_keys(live: SchemaState, kept: Mapping[tuple[str | None, str], TableSpec]
                           ) -> tuple[SchemaState, set[tuple[tuple[str | None, str], tuple[str | None, str]]]]:
    """``live`` without the foreign keys that refer to a table that does not exist, and
    (table, missing referent) for each.

    SQLite accepts a foreign key to a missing table (``CREATE TABLE c (p_id REFERENCES p)``
    before ``p``); the fold cannot hold one, so the table is recorded without it, and the key
    once the table it refers to is made.
    """
    present = set(kept) | set(live.tables)
    tables, dangling = {}, set()
    for key, table in live.tables.items():
        fks = []
        for fk in table.foreign_keys:
            referent = (fk.referent_schema if fk.referent_schema is not None else table.schema, fk.referent_table)
            if referent in present:
                fks.append(fk)
            else:
                dangling.add((key, referent))
        tables[key] = table if len(fks) == len(table.foreign_keys) else oc.evolve(table, foreign_keys=tuple(fks))
    return SchemaState(tables), dangling
