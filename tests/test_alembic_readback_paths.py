"""The Alembic hook's read-backs that read less than the whole table: each gives what the whole
read gives (the inspector's reflection, the one-query constraint names, a comparison of every table)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ops import LedgerError, SchemaState

from ledger import dialects
from ledger.integrations.alembic.fallback import FollowsLive, _agree, _differing, _made_index, _near
from ledger.integrations.alembic_readparts import COLUMN_TYPE, DroppedConstraint, dropped_constraint, read_parts
from ledger.integrations.alembic_sql import CONSTRAINTS, INDEXES, changed_parts
from ledger.schema.diff import diff
from ledger.schema.reflect import reflect
from tests.strategies import histories, schema_states

# -- the statement ------------------------------------------------------------------------------

#: how a drop of one constraint was told before its name was read from the same match
_OLD_DROP = re.compile(r"\s*ALTER\s+TABLE\s+(?:ONLY\s+)?\S+\s+DROP\s+CONSTRAINT\b", re.I | re.S)


def _old_drops_one_constraint(statement: str) -> bool:
    return changed_parts(statement) == CONSTRAINTS and _OLD_DROP.match(statement) is not None


@pytest.mark.parametrize(("statement", "dropped"), [
    ("ALTER TABLE t DROP CONSTRAINT c", DroppedConstraint("c", quoted=False, if_exists=False)),
    ("alter table only s.t drop constraint if exists Some_Name restrict;",
     DroppedConstraint("Some_Name", quoted=False, if_exists=True)),
    ('ALTER TABLE "T" DROP CONSTRAINT IF EXISTS "C ""x"""', DroppedConstraint('C "x"', quoted=True, if_exists=True)),
    ("ALTER TABLE t DROP CONSTRAINT c CASCADE", None),
    ("ALTER TABLE IF EXISTS t DROP CONSTRAINT c", None),
    ("ALTER TABLE t DROP CONSTRAINT c, DROP CONSTRAINT d", None),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)", None),
    ("ALTER TABLE t DROP COLUMN c", None),
])
def test_the_constraint_a_statement_drops(statement: str, dropped: DroppedConstraint | None) -> None:
    assert dropped_constraint(statement) == dropped


_WORDS = st.sampled_from(["ALTER", "TABLE", "ONLY", "t", "s.t", '"T x"', "DROP", "ADD", "CONSTRAINT", "IF", "EXISTS",
                          "c", '"C"', "CHECK", "(x > 0)", "UNIQUE", "(x)", "RESTRICT", "CASCADE", ",", ";", "COLUMN"])


@given(st.lists(_WORDS, min_size=3, max_size=9))
def test_a_drop_of_one_constraint_is_told_as_before(words: list[str]) -> None:
    for statement in (" ".join(words), "ALTER TABLE " + " ".join(words), "ALTER TABLE t DROP " + " ".join(words)):
        assert (dropped_constraint(statement) is not None) == _old_drops_one_constraint(statement), statement


@pytest.mark.parametrize(("statement", "parts"), [
    ("ALTER TABLE t ALTER COLUMN c TYPE JSONB USING c::JSONB", COLUMN_TYPE),
    ("alter table only s.t alter c set data type varchar(80)", COLUMN_TYPE),
    ("ALTER TABLE xcom ALTER COLUMN value TYPE JSONB USING CASE WHEN value IS NOT NULL THEN "
     "CAST(CONVERT_FROM(value, 'UTF8') AS JSONB) ELSE NULL END", COLUMN_TYPE),
    ("ALTER TABLE t ALTER COLUMN c TYPE text USING 'a,b'", COLUMN_TYPE),
    ("ALTER TABLE t ALTER COLUMN c TYPE int, ALTER COLUMN d TYPE int", None),
    ("ALTER TABLE t ALTER COLUMN c TYPE int, ADD COLUMN e int", None),
    ("ALTER TABLE t ALTER COLUMN c TYPE int; COMMENT ON TABLE t IS 'x'", None),
    ("ALTER TABLE IF EXISTS t ALTER COLUMN c TYPE int", None),
    ("ALTER TABLE t ALTER COLUMN c SET DEFAULT 1", None),
    ("ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)", CONSTRAINTS),
    ("CREATE INDEX i ON t (x)", INDEXES),
])
def test_what_a_statement_read_right_after_it_ran_reads(statement: str, parts: object) -> None:
    assert read_parts(statement) == parts


# -- the drop's read-back on PostgreSQL --------------------------------------------------------

class _Hook(FollowsLive):
    """What ``_after_dropped_constraint`` reads of the hook: its fold, connection and database."""

    def __init__(self, conn: sa.Connection, state: SchemaState) -> None:
        self.conn, self.state = conn, state
        self._database = dialects.database("postgresql")
        self._resync_open, self._elsewhere = False, []

    def _quiet(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()


_MADE = (
    "CREATE TABLE p (id INTEGER CONSTRAINT p_pkey PRIMARY KEY, n INTEGER CONSTRAINT p_n_key UNIQUE)",
    "CREATE TABLE t (id INTEGER CONSTRAINT t_pkey PRIMARY KEY, n INTEGER, note TEXT,"
    ' CONSTRAINT t_positive CHECK (n > 0), CONSTRAINT "T_Mixed" CHECK (n < 100),'
    " CONSTRAINT t_p_fk FOREIGN KEY (n) REFERENCES p (n), CONSTRAINT t_note_key UNIQUE (note))",
)
_NAMES = ("t_pkey", "t_positive", "T_Mixed", "t_mixed", "t_p_fk", "t_note_key", "t_gone", "T_POSITIVE", "x" * 70)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the tables are made again per example
@given(steps=st.lists(st.tuples(st.sampled_from(_NAMES), st.booleans(), st.booleans()), min_size=1, max_size=5))
def test_a_drop_told_by_its_name_is_the_drop_the_names_read_tell(
        postgresql_engine: sa.Engine, steps: list[tuple[str, bool, bool]]) -> None:
    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        for statement in _MADE:
            conn.exec_driver_sql(statement)
        for name, quoted, if_exists in steps:
            written = '"' + name + '"' if quoted else name
            statement = f"ALTER TABLE t DROP CONSTRAINT {'IF EXISTS ' if if_exists else ''}{written}"
            fold = reflect(conn)  # the fold holds what the database holds
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue  # it did not run: nothing to record
            hook = _Hook(conn, fold)
            told = hook._after_dropped_constraint((None, "t"), dropped_constraint(statement))
            assert told == hook._after_dropped_constraint((None, "t")), statement


_COLUMN_TYPES = ("VARCHAR(80)", "TEXT", "BIGINT USING length(note)", "JSONB USING to_jsonb(note)",
                 "NUMERIC(12, 2) USING length(note)", "CHAR(40)")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the table is made again per example
@given(steps=st.lists(st.sampled_from(_COLUMN_TYPES), min_size=1, max_size=3))
def test_a_column_type_changed_read_as_its_parts_is_the_table_read_whole(
        postgresql_engine: sa.Engine, steps: list[str]) -> None:
    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        conn.exec_driver_sql("CREATE TABLE p (note VARCHAR(40) CONSTRAINT p_note_key UNIQUE)")
        conn.exec_driver_sql(
            "CREATE TABLE t (id INTEGER CONSTRAINT t_pkey PRIMARY KEY, note VARCHAR(40) DEFAULT 'x',"
            " CONSTRAINT t_note_check CHECK (note IS NOT NULL OR id > 0), CONSTRAINT t_note_key UNIQUE (note))")
        conn.exec_driver_sql("CREATE INDEX ix_t_note ON t (note) WHERE id > 1")
        conn.exec_driver_sql("CREATE INDEX ix_t_lower ON t (lower(note::text))")
        conn.exec_driver_sql("COMMENT ON TABLE t IS 'said'")
        for step in steps:
            statement = f"ALTER TABLE t ALTER COLUMN note TYPE {step}"
            parts = read_parts(statement)
            assert parts == COLUMN_TYPE
            before = reflect(conn).tables[(None, "t")]
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue  # a type the column's index or default cannot take
            read = reflect(conn, held={"t": before}, parts=parts).tables
            assert read == {(None, "t"): reflect(conn).tables[(None, "t")]}, statement


@pytest.fixture
def postgresql_engine(database_factory: Callable[[str], str]) -> Iterator[sa.Engine]:
    engine = sa.create_engine(database_factory("postgresql"))
    yield engine
    engine.dispose()


# -- the comparisons -----------------------------------------------------------------------------

@given(first=schema_states(max_tables=3), second=schema_states(max_tables=3), shared=st.booleans(),
       dialect=st.sampled_from(["sqlite", "postgresql", "mysql"]))
def test_tables_left_out_of_a_comparison_are_those_it_finds_equal(
        first: SchemaState, second: SchemaState, shared: bool, dialect: str) -> None:
    if shared:  # the states of one schema share most of their tables
        second = SchemaState({**first.tables, **second.tables})
    assert _agree(*_differing(first.tables, second.tables), dialect) == _agree(first, second, dialect)


@given(state=schema_states(max_tables=4), other=schema_states(max_tables=2), data=st.data())
def test_a_derived_state_indexes_the_names_a_new_state_would(
        state: SchemaState, other: SchemaState, data: st.DataObject) -> None:
    gone = data.draw(st.sets(st.sampled_from(sorted(state.tables, key=str))) if state.tables else st.just(set()))
    tables = {**{k: t for k, t in state.tables.items() if k not in gone}, **other.tables}
    made = SchemaState(tables)
    # a name two tables hold (each schema states' own draw) is no state of one database
    assume(len(made.names) == sum(1 for t in tables.values() for i in t.constraints + t.indexes if i.name is not None))
    derived = state.derived(tables, *(gone | set(other.tables)))
    assert derived.tables == made.tables and list(derived.tables) == list(made.tables)
    assert dict(derived.names.pairs()) == dict(made.names.pairs())


def _diffed(source: SchemaState, target: SchemaState) -> object:
    try:
        return diff(source, target)
    except LedgerError as exc:
        return type(exc)


@given(start=schema_states(min_tables=2, max_tables=6), data=st.data())
def test_a_read_back_diffs_the_tables_it_needs_as_the_whole_diff_does(start: SchemaState, data: st.DataObject) -> None:
    """The diff after a read-back reads the tables that changed, those whose foreign keys point at
    them and their referents (``_near``): the same ops as the diff of every table, or the same refusal."""
    _, steps = data.draw(histories(start=start, max_ops=4))
    end = SchemaState.fold(steps, start=start)
    changed = {k for k in {*start.tables, *end.tables} if start.tables.get(k) != end.tables.get(k)}
    # the target as a read-back makes it: the fold's own tables but those read again
    target = start.derived({**{k: t for k, t in start.tables.items() if k not in changed},
                            **{k: end.tables[k] for k in changed if k in end.tables}}, *changed)
    assert _diffed(*_near(start, target, changed)) == _diffed(start, target)


# -- a CREATE INDEX read back as its one index ----------------------------------------------------

class _Follower(_Hook):
    """What ``_follow_live`` reads of the hook besides."""

    dialect = "postgresql"

    def __init__(self, conn: sa.Connection, state: SchemaState) -> None:
        super().__init__(conn, state)
        self.store = type("Store", (), {"table_name": "schema_ledger"})()
        self.migration_context = type("Context", (), {"version_table": "alembic_version"})()
        self._dangling: set[object] = set()


#: the index names a statement writes: new ones (one sorting before the table's own), names
#: PostgreSQL folds or keeps as quoted, one it cuts to 63 bytes, and names the table holds already
_INDEX_NAMES = ("aa_new", "zz_new", "Ix_Bare", '"Ix_Quoted"', "ix_" + "x" * 70, "t_ix_note", "t_note_key", "t_pkey")
#: what the index is over
_INDEXED = ("(n)", "(note)", "(lower(note), n DESC)", "(n) WHERE n > 1", "(n) INCLUDE (note)",
            "USING hash (note)", "(note text_pattern_ops)", "(n NULLS FIRST) WITH (fillfactor = 70)")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the tables are made again per example
@given(steps=st.lists(st.tuples(st.sampled_from(_INDEX_NAMES), st.sampled_from(_INDEXED), st.booleans(),
                                st.booleans(), st.sampled_from(["", "; ALTER TABLE t ADD COLUMN {} INTEGER",
                                                                "; CREATE INDEX ix_more ON t (id, n)"])),
                      min_size=1, max_size=4))
def test_a_created_index_read_alone_is_what_the_whole_read_records(
        postgresql_engine: sa.Engine, steps: list[tuple[str, str, bool, bool, str]]) -> None:
    """After a ``CREATE INDEX`` the one index it names is read (the rest of the table is the fold's):
    the same ops as the table's indexes and keys read whole, and as the table read whole. A name
    the database cut, one the table holds already, or a statement followed by another in the same
    text is read as before."""
    from ledger.integrations.alembic_sql import created_index, touched_tables

    database = dialects.database("postgresql")
    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        for statement in _MADE:
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql("CREATE INDEX t_ix_note ON t (note, n)")
        for number, (name, indexed, unique, if_not_exists, more) in enumerate(steps):
            statement = (f"CREATE {'UNIQUE ' if unique else ''}INDEX {'IF NOT EXISTS ' if if_not_exists else ''}"
                         f"{name} ON t {indexed}{more.format(f'c{number}')}")
            fold = reflect(conn)  # the fold holds what the database holds
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue  # it did not run: nothing to record
            parts, written = changed_parts(statement), created_index(statement)
            assert (parts == INDEXES and written == name) == (not more), statement
            hook = _Follower(conn, fold)
            table = touched_tables(statement)
            narrow = hook._follow_live(table, parts, index=written)
            assert narrow == hook._follow_live(table, parts) == hook._follow_live(table), statement
            if more:
                continue  # (its read-backs above: the table's indexes and keys read, or the table whole)
            held = fold.tables[(None, "t")]
            alone = reflect(conn, held={"t": held}, parts={"indexes"}, index=name).tables[(None, "t")]
            assert alone == reflect(conn, held={"t": held}, parts={"indexes"}).tables[(None, "t")], statement
            stored = name.strip('"') if name.startswith('"') else name.lower()
            found = database.read_index(conn, None, "t", name)
            if len(stored) > 63:
                assert found is None  # the database cut the name: not read by it
            elif not any(i.name == stored for i in (*held.indexes, *held.constraints)):
                # the index read alone, the others the fold's very specs
                assert found is not None and found["name"] == stored, statement
                assert all(any(i is h for h in held.indexes) for i in alone.indexes if i.name != stored), statement
                # compared as that index alone (the whole comparison above gave the same ops)
                made = _made_index(held, SchemaState({(None, "t"): alone}))
                assert made is not None and made.name == stored and narrow is not None, statement
                assert [op.index for op in narrow] == [made], statement


# -- a DROP INDEX recorded as the fold's index dropped -------------------------------------------

#: the names a DROP INDEX writes: bare and quoted names PostgreSQL folds or keeps, a name the table
#: does not hold, the index of a unique constraint (which PostgreSQL refuses to drop)
_DROPPED = ("t_ix_note", "T_IX_NOTE", '"t_ix_note"', '"Ix_Quoted"', "ix_quoted", "ix_n", "t_gone", "t_note_key")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the tables are made again per example
@given(steps=st.lists(st.tuples(st.sampled_from(_DROPPED), st.booleans(), st.booleans()), min_size=1, max_size=4))
def test_a_dropped_index_recorded_without_a_read_is_what_the_whole_read_records(
        postgresql_engine: sa.Engine, steps: list[tuple[str, bool, bool]]) -> None:
    """After a ``DROP INDEX`` of an index the fold holds and the database no longer does, the table
    is not read (the fold's index is recorded dropped): the same ops as the table's indexes and keys
    read whole, and as the table read whole. A name the database still holds, or one the fold's
    table does not, is read as before."""
    import ledger.schema.reflect as reflecting
    from ledger.integrations.alembic_readparts import named_index

    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        for statement in (*_MADE, "CREATE INDEX t_ix_note ON t (note, n)", 'CREATE INDEX "Ix_Quoted" ON t (n)',
                          "CREATE INDEX ix_n ON t (n DESC) WHERE n > 1"):
            conn.exec_driver_sql(statement)
        for name, if_exists, restrict in steps:
            statement = f"DROP INDEX {'IF EXISTS ' if if_exists else ''}{name}{' RESTRICT' if restrict else ''}"
            fold = reflect(conn)  # the fold holds what the database holds
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue  # it did not run: nothing to record
            parts, written = changed_parts(statement), named_index(statement)
            assert parts == INDEXES and written == name.strip('"'), statement
            hook = _Follower(conn, fold)
            reads: list[object] = []
            whole = reflecting.reflect

            def counted(*args: object, **kw: object) -> SchemaState:
                reads.append(kw.get("parts"))
                return whole(*args, **kw)  # type: ignore[arg-type]

            reflecting.reflect = counted  # type: ignore[assignment]
            try:
                narrow = hook._follow_live((None, "t"), parts, index=written)
            finally:
                reflecting.reflect = whole
            assert narrow == hook._follow_live((None, "t"), parts) == hook._follow_live((None, "t")), statement
            held = [i.name for i in fold.tables[(None, "t")].indexes]
            stored = name.strip('"') if name.startswith('"') else name.lower()
            if stored in held and not any(i.name == stored for i in reflect(conn).tables[(None, "t")].indexes):
                # the fold's index, dropped: recorded as such without reading the table
                assert reads == [] and narrow is not None, statement
                assert [op.describe() for op in narrow] == [f"drop index {stored} on t"], statement
            else:
                assert reads, statement


# -- an ALTER TYPE ... ADD VALUE recorded as its type's columns ------------------------------------

_TYPED = (
    "CREATE TYPE mood AS ENUM ('sad', 'ok')",
    "CREATE TYPE other AS ENUM ('sad', 'ok')",
    'CREATE TYPE "Mood" AS ENUM (\'sad\')',
    "CREATE DOMAIN mood_domain AS mood",
    "CREATE TABLE a (id INTEGER PRIMARY KEY, m mood, n mood NOT NULL, o other)",
    "CREATE TABLE b (id INTEGER PRIMARY KEY, m mood, big \"Mood\")",
)
#: what a table of the type's columns may hold besides: an array of it, a domain over it, a default
_BESIDES = ("", "ALTER TABLE b ADD COLUMN ms mood[]", "ALTER TABLE b ADD COLUMN d mood_domain",
            "ALTER TABLE a ALTER COLUMN m SET DEFAULT 'sad'")
#: what is added: to the type, to another type, before a label, one the type holds already
_ADDED = ("ALTER TYPE mood ADD VALUE 'glad'", "ALTER TYPE MOOD ADD VALUE IF NOT EXISTS 'sad'",
          "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok'", 'ALTER TYPE "Mood" ADD VALUE \'glad\'',
          "ALTER TYPE other ADD VALUE 'glad' AFTER 'sad'", "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(besides=st.sampled_from(_BESIDES), steps=st.lists(st.sampled_from(_ADDED), min_size=1, max_size=3))
def test_a_value_added_to_a_type_read_as_its_columns_is_what_the_whole_comparison_records(
        postgresql_engine: sa.Engine, besides: str, steps: list[str]) -> None:
    """After ``ALTER TYPE name ADD VALUE`` the fold's columns of that type are given the type as read
    (the rest of their tables is the fold's): the same ops as the tables compared whole. A column of
    an array or a domain over the type, one with a default, or another statement is compared whole."""
    import ledger.schema.comparison as comparing

    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        for statement in (*_TYPED, *([besides] if besides else [])):
            conn.exec_driver_sql(statement)
        conn.commit()  # (ADD VALUE's label is not usable in the transaction that adds it: none is used)
        for statement in steps:
            fold = reflect(conn)  # the fold holds what the database holds
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue
            hook = _Follower(conn, fold)
            among = {"a": {"columns"}, "b": {"columns"}}
            compared: list[object] = []
            whole = comparing.compare

            def counted(*args: object, **kw: object) -> bool:
                compared.append(args)
                return whole(*args, **kw)  # type: ignore[arg-type]

            comparing.compare = counted  # type: ignore[assignment]
            try:
                narrow = hook._follow_live(None, {"columns"}, among=among, statement=statement)
            finally:
                comparing.compare = whole
            assert narrow == hook._follow_live(None, {"columns"}, among=among), statement
            if besides == "" and "ADD VALUE" in statement and "IF NOT EXISTS" not in statement:
                assert compared == [] and narrow, statement  # the type's columns alone
            if compared == []:
                assert narrow, statement
            if "ALTER TYPE mood ADD" in statement and compared == []:
                assert {(op.table_name, op.column_name) for op in narrow} == {("a", "m"), ("a", "n"), ("b", "m")}
            if besides in _BESIDES[1:] and "ALTER TYPE mood ADD" in statement:
                assert compared, statement  # an array, a domain, a default: compared whole


# -- an ALTER INDEX ... RENAME TO read back as the index by its new name ----------------------------

#: what is renamed (bare and quoted names PostgreSQL folds or keeps, a primary key's index, one not
#: there) and to what (new names, a quoted one, one the schema holds, one it cuts to 63 bytes)
_RENAMED = ("t_ix_note", "T_IX_NOTE", '"Ix_Quoted"', "ix_quoted", "ix_n", "t_pkey", "t_gone")
_NEW_NAMES = ("ix_new", '"Ix_New"', "IX_OTHER", "ix_n", "t_note_key", "ix_" + "y" * 70)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(_RENAMED), st.sampled_from(_NEW_NAMES), st.booleans()),
                      min_size=1, max_size=4))
def test_a_renamed_index_read_by_its_new_name_is_what_the_whole_comparison_records(
        postgresql_engine: sa.Engine, steps: list[tuple[str, str, bool]]) -> None:
    """After ``ALTER INDEX old RENAME TO new`` of an index the fold's table holds, where the database
    no longer holds ``old``, the index is read alone by its new name (the rest of the table is the
    fold's): the same ops as the table's indexes and keys compared whole. A primary key's index, a
    name cut or not there is compared whole as before."""
    import ledger.schema.comparison as comparing

    with postgresql_engine.connect() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
        for statement in (*_MADE, "CREATE INDEX t_ix_note ON t (note, n)", 'CREATE INDEX "Ix_Quoted" ON t (n)',
                          "CREATE INDEX ix_n ON t (n DESC) WHERE n > 1"):
            conn.exec_driver_sql(statement)
        for old, new, if_exists in steps:
            statement = f"ALTER INDEX {'IF EXISTS ' if if_exists else ''}{old} RENAME TO {new}"
            fold = reflect(conn)  # the fold holds what the database holds
            conn.exec_driver_sql("SAVEPOINT step")
            try:
                conn.exec_driver_sql(statement)
            except sa.exc.DBAPIError:
                conn.exec_driver_sql("ROLLBACK TO SAVEPOINT step")
                continue
            hook = _Follower(conn, fold)
            among = {"t": {"indexes", "keys", "checks"}}
            compared: list[object] = []
            whole = comparing.compare

            def counted(*args: object, **kw: object) -> bool:
                compared.append(args)
                return whole(*args, **kw)  # type: ignore[arg-type]

            comparing.compare = counted  # type: ignore[assignment]
            try:
                narrow = hook._follow_live(None, {"indexes"}, among=among, statement=statement)
            finally:
                comparing.compare = whole
            assert narrow == hook._follow_live(None, {"indexes"}, among=among), statement
            stored = old.strip('"') if old.startswith('"') else old.lower()
            table = fold.tables[(None, "t")]
            taken = {i.name.casefold() for i in (*table.indexes, *table.constraints) if i.name}
            named = new.strip('"') if new.startswith('"') else new.lower()
            if stored in {i.name for i in table.indexes} and len(named) <= 63 and named.casefold() not in taken:
                assert compared == [] and narrow and len(narrow) == 2, statement  # the index by its new name alone
            else:
                assert compared, statement
