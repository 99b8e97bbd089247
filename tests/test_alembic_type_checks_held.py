"""The CHECKs of an ``Enum`` column that SQLite holds after Alembic's batch rebuilds (cloudkitty's
hashmap tables): under a naming convention's name, under another ``Enum``'s name, more than one of
one text. The ledger holds each as the database does, and compares them by name and count."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger.schema.reflect import compare
from ops import SchemaState
from ops.specs import CheckSpec, ColumnSpec, PrimaryKeySpec, TableSpec, TypeSpec
from tests.alembic_histories import check_everything, hook_events, ledger_cli, upgrade_with_hook

_ENUM = "sa.Enum('flat', 'rate', name={name!r}, create_constraint=True)"
_CONVENTION = "{'ck': 'ck_%(table_name)s_%(constraint_name)s'}"


def _history() -> list[list[str]]:
    kind = _ENUM.format(name="enum_kind")
    return [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('kind', {kind}, nullable=False), sa.Column('v', sa.Integer()),"
         " sa.UniqueConstraint('v', name='uq_v'))"],
        # cloudkitty's f8c799db4aa0: the table made again from a copy of the models, whose
        # naming convention names the Enum's CHECK ck_t_enum_kind
        [f"md = sa.MetaData(naming_convention={_CONVENTION})",
         "copy = sa.Table('t', md, sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('kind', {kind}, nullable=False), sa.Column('v', sa.Integer()),"
         " sa.UniqueConstraint('v', name='uq_v'))",
         "with op.batch_alter_table('t', copy_from=copy) as batch_op:",
         "    batch_op.alter_column('id')"],
        # its 4da82e1c11c8: reflect_args with an Enum of another name, and a unique made again:
        # the rebuild adds that Enum's CHECK next to the one the table holds
        ["with op.batch_alter_table('t', reflect_args=[sa.Column('kind',"
         f" {_ENUM.format(name='enum_other')}, nullable=False)]) as batch_op:",
         "    batch_op.add_column(sa.Column('x', sa.Integer()))",
         "    batch_op.drop_constraint('uq_v', type_='unique')",
         "    batch_op.create_unique_constraint('uq_v', ['v', 'x'])"],
    ]


def test_the_checks_a_batch_rebuild_leaves_on_an_enum_column_are_recorded_as_sqlite_holds_them(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """After the rebuilds SQLite holds ``ck_t_enum_kind`` and ``enum_other``, both of the Enum's
    text: verify --live, the ledger materialized and the drill hold the two, under those names."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, _history(), batch=True)
    check_everything(tmp_path, url, database_factory, "sqlite")


def test_verify_live_names_a_check_of_an_enum_column_the_ledger_does_not_hold(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """A CHECK of the Enum's text under another name than the type's is not the type's own."""
    url = database_factory("sqlite")
    upgrade_with_hook(tmp_path, url, _history()[:1], batch=True)
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA writable_schema=ON")
        conn.exec_driver_sql(
            "UPDATE sqlite_master SET sql = replace(sql, 'CONSTRAINT enum_kind CHECK',"
            " 'CONSTRAINT other CHECK') WHERE name = 't'")
    engine.dispose()
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code != 0 and "other" in out, out


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_verify_live_names_the_check_of_a_column_type_the_database_does_not_hold(
    dialect: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """The ledger holds an ``Enum`` without a name with the CHECK its type makes (under the name the
    database gives it: none on SQLite, ``t_kind_check`` on PostgreSQL; MariaDB's ``CONSTRAINT_1`` is
    held as a CHECK of its own); the database lost it behind the ledger's back: verify --live says so."""
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
                                       " sa.Column('kind', sa.Enum('flat', 'rate', native_enum=False, create_constraint=True)))"]])
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code == 0, out
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if dialect == "sqlite":
            sql = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 't'").scalar_one()
            kept = re.sub(r",\s*CHECK \(kind IN \('flat', 'rate'\)\)", "", sql)
            assert kept != sql, sql
            conn.exec_driver_sql("PRAGMA writable_schema=ON")
            conn.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE name = 't'"), {"sql": kept})
        else:
            conn.exec_driver_sql("ALTER TABLE t DROP CONSTRAINT t_kind_check")
    engine.dispose()
    code, out = ledger_cli(url, tmp_path, "verify", "--live")
    assert code != 0 and "that column kind's type makes (no name of its own) expected, missing" in out, out


def _table(*checks: CheckSpec, type_name: str | None = "enum_kind") -> TableSpec:
    kind = TypeSpec("Enum", ("flat", "rate"), (("create_constraint", True), ("name", type_name)))
    return TableSpec("t", columns=(ColumnSpec("id", TypeSpec("Integer"), nullable=False),
                                   ColumnSpec("kind", kind, nullable=False)),
                     primary_key=PrimaryKeySpec("pk_t", ("id",)), checks=checks)


def test_a_live_check_is_implied_by_the_column_type_once_and_under_the_type_s_name() -> None:
    text = "kind IN ('flat', 'rate')"
    expected = SchemaState({(None, "t"): _table()})

    def live(*names: str | None) -> SchemaState:
        return SchemaState({(None, "t"): _table(*(CheckSpec(n, text) for n in names))})

    assert compare(expected, live("enum_kind"), "sqlite") == []
    assert compare(expected, live("enum_kind", "enum_kind"), "sqlite") != []
    assert compare(expected, live("enum_kind", "ck_t_enum_kind"), "sqlite") != []
    assert compare(expected, live("ck_t_enum_kind"), "sqlite") != []



def test_the_same_history_on_postgresql_and_mariadb_is_recorded_as_each_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """Without a rebuild (PostgreSQL, MariaDB run the blocks as ALTERs) the CHECKs stay as the type
    made them: the ledger holds the same as the database on each."""
    for dialect in ("postgresql", "mariadb"):
        url = database_factory(dialect)
        history = [[line.replace("create_constraint=True", "native_enum=False, create_constraint=True")
                    for line in body] for body in _history()]
        upgrade_with_hook(tmp_path / dialect, url, history, batch=True)
        check_everything(tmp_path / dialect, url, database_factory, dialect)


@pytest.mark.parametrize("dialect", ["postgresql", "mariadb"])
@pytest.mark.parametrize("extra", ["ck_extra", "zz_extra"])
def test_a_check_sql_text_adds_with_the_text_of_an_unnamed_type_s_own_is_recorded(
    dialect: str, extra: str, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """An unnamed ``Enum``'s CHECK may be held under any name: the table read back after the
    ``ADD CONSTRAINT`` holds two of its text, one the type's and one the statement's, and the
    statement's is recorded (a live CHECK taken for the type's once, not once more in the diff)."""
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
         " sa.Column('kind', sa.Enum('flat', 'rate', native_enum=False, create_constraint=True)))"],
        [f"op.execute(\"ALTER TABLE t ADD CONSTRAINT {extra} CHECK (kind IN ('flat', 'rate'))\")"],
    ])
    followed = [e for e in hook_events(url) if "folded from SQL" in e.message]
    assert [e.op is not None and extra in e.op.describe() for e in followed] == [True], [e.message for e in followed]
    check_everything(tmp_path, url, database_factory, dialect)
