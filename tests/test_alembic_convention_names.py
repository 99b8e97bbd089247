"""Names a naming convention or the database gave to what a migration made without one, as Alembic
alone leaves them: the CHECK of a ``Boolean``/``Enum`` column type without a name under a
convention's ``ck`` (``ck_<table>_<column>``), and on MariaDB the index InnoDB makes for a foreign
key. Alembic alone is the oracle: the hooked database's ledger materialized, and the history
imported by ``import-alembic`` then applied, hold what Alembic's run holds, names included."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli import main
from ledger.schema.sqltext import canonical_sql
from tests.alembic_histories import (
    LEDGER_TABLE,
    connected,
    hook_events,
    ledger_cli,
    run_alembic,
    table_names,
    write_env,
    write_history,
)

#: the convention real projects set (airflow's, superset's, jupyterhub's "ck" name a CHECK by its
#: column): a Boolean or Enum without a name makes ``ck_<table>_<column>``
CONVENTION = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
              "ck": "ck_%(table_name)s_%(column_0_name)s",
              "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}

_TYPES = ("sa.Column('flag', sa.Boolean(create_constraint=True), nullable=False),"
          " sa.Column('kind', sa.Enum('flat', 'rate', native_enum=False, create_constraint=True)),"
          " sa.Column('named', sa.Enum('a', 'b', name='named_kind', native_enum=False, create_constraint=True))")

TYPE_CHECKS = [
    [f"op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True), {_TYPES})"],
]
#: on PostgreSQL and MariaDB Alembic adds the CHECK of an added column's type; SQLite's ALTER adds
#: none (Alembic skips it), and the ledger holds none there
ADDED_TYPE_CHECKS = [["op.add_column('t', sa.Column('added', sa.Boolean(create_constraint=True)))",
                       "op.add_column('t', sa.Column('added_kind', sa.Enum('x', 'y', native_enum=False,"
                       " create_constraint=True)))"]]


def _names(url: str) -> list[tuple[str, str | None, str]]:
    """Every CHECK and index of the application tables: (table, name, what), as the database holds them."""
    found = []
    with connected(url) as conn:
        inspector = sa.inspect(conn)
        for table in inspector.get_table_names():
            if table in (LEDGER_TABLE, "alembic_version"):
                continue
            for check in inspector.get_check_constraints(table):
                found.append((table, check["name"], canonical_sql(str(check["sqltext"]), dialect=conn.dialect.name)))
            for index in inspector.get_indexes(table):
                found.append((table, index["name"], f"index {index['column_names']}"))
    return sorted(found, key=repr)


def _project(tmp_path: Path, bodies: Sequence[Sequence[str]], naming: dict[str, str] | None) -> Path:
    folder = tmp_path / "alembic"
    write_env(folder, hook=False, naming=naming)
    write_history(folder, bodies)
    return folder


def _imported_and_applied(tmp_path: Path, folder: Path, dialect: str, naming: dict[str, str] | None,
                          database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch) -> str:
    """``import-alembic`` of ``folder`` (with ``naming`` as --naming-convention), applied to a new
    database: its URL."""
    args = ["import-alembic", str(folder), "--dialect", "mysql" if dialect == "mariadb" else dialect,
            "--into", str(tmp_path / "imported")]
    if naming is not None:
        module = f"naming_{uuid.uuid4().hex[:8]}"
        (tmp_path / f"{module}.py").write_text(f"convention = {naming!r}\n", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        args += ["--naming-convention", f"{module}:convention"]
    if dialect != "sqlite":
        args += ["--scratch-url", database_factory(dialect)]
    ran = CliRunner().invoke(main, args)
    assert ran.exit_code == 0, ran.output
    url, config = database_factory(dialect), tmp_path / "imported.toml"
    config.write_text(f'migrations = "{tmp_path / "imported"}"\n', encoding="utf-8")
    for args in (["apply", "-q"], ["verify", "--live"]):
        result = CliRunner().invoke(main, ["--url", url, "--config", str(config), *args])
        assert result.exit_code == 0, (args, result.output)
    return url


def _as_alembic_leaves_it(tmp_path: Path, dialect: str, bodies: Sequence[Sequence[str]],
                          naming: dict[str, str] | None, database_factory: Callable[[str], str],
                          monkeypatch: pytest.MonkeyPatch) -> str:
    """Alembic alone, the hooked run's ledger materialized and the imported history applied hold the
    same CHECKs and indexes under the same names; the hooked database's URL."""
    folder = _project(tmp_path / "alone", bodies, naming)
    alone = database_factory(dialect)
    run_alembic(folder, alone, "upgrade", "heads")
    expected = _names(alone)

    hooked_folder = tmp_path / "hooked" / "alembic"
    write_env(hooked_folder, naming=naming)
    write_history(hooked_folder, bodies)
    hooked, made = database_factory(dialect), database_factory(dialect)
    run_alembic(hooked_folder, hooked, "upgrade", "heads")
    assert _names(hooked) == expected
    code, out = ledger_cli(hooked, tmp_path / "hooked", "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(hooked, tmp_path / "hooked", "materialize", "--into", made)
    assert code == 0, out
    assert _names(made) == expected, ("materialized", _names(made), expected)
    # a replay of the ledger adds a column with the CHECK its type makes, as Alembic's add_column does
    code, out = ledger_cli(hooked, tmp_path / "hooked", "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and '"passed": true' in out, out

    applied = _imported_and_applied(tmp_path / "alone", folder, dialect, naming, database_factory, monkeypatch)
    assert _names(applied) == expected, ("applied", _names(applied), expected)
    return hooked


@pytest.mark.parametrize("naming", [CONVENTION, None], ids=["convention", "none"])
def test_the_check_of_a_type_without_a_name_is_made_under_the_name_the_convention_gave_it(
    dialect: str, naming: dict[str, str] | None, tmp_path: Path, database_factory: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ck_t_flag`` and ``ck_t_kind`` (and ``named_kind``, the Enum's own name, which a convention
    without ``%(constraint_name)s`` keeps); without a convention, what the database names them; on
    SQLite none for an added column."""
    bodies = TYPE_CHECKS + ADDED_TYPE_CHECKS
    _as_alembic_leaves_it(tmp_path, dialect, bodies, naming, database_factory, monkeypatch)


def _shape(url: str) -> list[tuple[str, str | None, str]]:
    """``_names`` and each column's type as the database holds it."""
    with connected(url) as conn:
        inspector = sa.inspect(conn)
        columns = [(table, column["name"], str(column["type"])) for table in inspector.get_table_names()
                   if table not in (LEDGER_TABLE, "alembic_version") for column in inspector.get_columns(table)]
    return sorted([*_names(url), *columns], key=repr)


def _altered(dialect: str, named: bool) -> list[list[str]]:
    """String columns altered to a non-native ``Enum`` with ``create_constraint`` and integer ones to
    a ``Boolean`` with it, columns made of those types altered to a string and an integer, then each
    back (in batch blocks on SQLite). ``named``: the types have names (else a naming convention names
    their CHECKs: Alembic drops a CHECK only by name)."""

    def enum(column: str) -> str:
        name = f", name='{column}_enum'" if named else ""
        return f"sa.Enum('flat', 'rate'{name}, native_enum=False, create_constraint=True)"

    def boolean(column: str) -> str:
        return f"sa.Boolean(create_constraint=True{f', name={column + chr(95) + chr(98)!r}' if named else ''})"

    string, number = "sa.String(4)", "sa.SmallInteger()"

    def using(column: str, type_: str) -> str:
        return f", postgresql_using='{column}::int::{type_}'" if dialect == "postgresql" else ""

    def alter(*changes: str) -> list[str]:
        if dialect != "sqlite":
            return [f"op.alter_column('t', {change})" for change in changes]
        return ["with op.batch_alter_table('t') as batch_op:",
                *(f"    batch_op.alter_column({change})" for change in changes)]

    def swap(forward: bool) -> list[str]:
        pairs = [("kind", string, enum("kind"), ""), ("flag", number, boolean("flag"), "boolean"),
                 ("kind2", enum("kind2"), string, ""), ("flag2", boolean("flag2"), number, "smallint")]
        changes = []
        for column, old, new, cast in pairs:
            if not forward and dialect == "mariadb" and column.endswith("2"):
                continue  # MariaDB keeps the CHECK Alembic drops by name: the type's again is one too many
            if not forward:
                old, new, cast = new, old, {"boolean": "smallint", "smallint": "boolean"}.get(cast, "")
            changes.append(f"'{column}', type_={new}, existing_type={old}{using(column, cast) if cast else ''}")
        return alter(*changes)

    return [
        ["op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),"
         f" sa.Column('kind', {string}), sa.Column('flag', {number}),"
         f" sa.Column('kind2', {enum('kind2')}), sa.Column('flag2', {boolean('flag2')}))"],
        swap(True),
        swap(False),
    ]


@pytest.mark.parametrize("naming", [CONVENTION, None], ids=["convention", "named"])
def test_a_column_altered_to_and_from_a_type_that_makes_a_check_is_recorded_as_a_type_change(
    dialect: str, naming: dict[str, str] | None, tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    """``alter_column(type_=sa.Enum(..., native_enum=False, create_constraint=True))`` and to
    ``sa.Boolean(create_constraint=True)``, and back: the ledger holds each type change, so verify
    --live is clean, the ledger materializes what Alembic alone made, the drill passes, and a
    rollback to each revision leaves what Alembic alone left there (the old type and its CHECK)."""
    bodies = _altered(dialect, named=naming is None)
    folder = _project(tmp_path / "alone", bodies, naming)
    expected = []
    for step in range(len(bodies)):
        alone = database_factory(dialect)
        run_alembic(folder, alone, "upgrade", f"{step + 1:04d}aa")
        expected.append(_shape(alone))

    hooked_folder = tmp_path / "hooked" / "alembic"
    write_env(hooked_folder, batch=dialect == "sqlite", naming=naming)
    ids = write_history(hooked_folder, bodies)
    hooked, made = database_factory(dialect), database_factory(dialect)
    run_alembic(hooked_folder, hooked, "upgrade", "heads")
    assert _shape(hooked) == expected[-1]
    # each change of a column to or from the Enum is recorded as the type change it is (the database
    # keeps no type of a non-native Enum: the column holds what the type declares)
    changed = {(e.revision, e.op.column_name): e.op.modify_type.name  # type: ignore[union-attr]
               for e in hook_events(hooked) if e.op_type == "alter_column" and e.op.modify_type is not None}  # type: ignore[union-attr]
    kept = 1 if dialect == "mariadb" else 2  # on MariaDB the last revision leaves kind2 as it is
    assert [changed.get((ids[1], "kind")), changed.get((ids[1], "kind2")), changed.get((ids[2], "kind2"))][:kept + 1] \
        == ["Enum", "String", "Enum"][:kept + 1], changed
    code, out = ledger_cli(hooked, tmp_path / "hooked", "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(hooked, tmp_path / "hooked", "materialize", "--into", made)
    assert code == 0, out
    assert _shape(made) == expected[-1]
    code, out = ledger_cli(hooked, tmp_path / "hooked", "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and '"passed": true' in out, out
    for step in reversed(range(len(bodies) - 1)):
        code, out = ledger_cli(hooked, tmp_path / "hooked", "rollback", "--to", ids[step], "-q")
        assert code == 0, out
        got = _shape(hooked)
        assert got == expected[step], (ids[step], got, expected[step])
        code, out = ledger_cli(hooked, tmp_path / "hooked", "verify", "--live")
        assert code == 0, out


#: foreign keys made without a name, in create_table and by create_foreign_key, one of them dropped
#: later (InnoDB keeps the index it made for it), one named
FOREIGN_KEYS = [
    ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('p_id', sa.Integer(), sa.ForeignKey('parent.id')), sa.Column('q_id', sa.Integer()),"
     " sa.Column('r_id', sa.Integer()))"],
    ["op.create_foreign_key(None, 'child', 'parent', ['q_id'], ['id'])",
     "op.create_foreign_key('fk_named', 'child', 'parent', ['r_id'], ['id'])"],
    ["op.drop_constraint('child_ibfk_1', 'child', type_='foreignkey')"],
]


@pytest.mark.mariadb
@pytest.mark.parametrize("naming", [CONVENTION, None], ids=["convention", "none"])
def test_the_index_mariadb_makes_for_a_foreign_key_is_named_as_alembic_s_run_named_it(
    naming: dict[str, str] | None, tmp_path: Path, database_factory: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MariaDB names the index it makes for a foreign key after the key's name when it is given one,
    else after its first column (``p_id``), and keeps it when the key goes: the ledger makes each
    key so that its index has the name Alembic's run gave it."""
    bodies = FOREIGN_KEYS if naming is None else [
        [line.replace("child_ibfk_1", "fk_child_p_id_parent") for line in body] for body in FOREIGN_KEYS]
    hooked = _as_alembic_leaves_it(tmp_path, "mariadb", bodies, naming, database_factory, monkeypatch)
    code, out = ledger_cli(hooked, tmp_path / "hooked", "rollback", "--to", "base", "-q")
    assert code == 0, out
    assert table_names(hooked) == []


#: foreign keys written as SQL text: without a name (its index named after the column), with only an
#: index name (the key and its index take it), with a name; one made without a name dropped later
#: (its index stays), the table dropped last
SQL_FOREIGN_KEYS = [
    ["op.create_table('parent', sa.Column('id', sa.Integer(), primary_key=True))",
     "op.create_table('child', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('p_id', sa.Integer()), sa.Column('q_id', sa.Integer()), sa.Column('r_id', sa.Integer()),"
     " sa.Column('s_id', sa.Integer()))"],
    ["op.execute('ALTER TABLE child ADD FOREIGN KEY (p_id) REFERENCES parent (id)')",
     "op.execute('ALTER TABLE child ADD FOREIGN KEY (q_id) REFERENCES parent (id)')",
     "op.execute('ALTER TABLE child ADD FOREIGN KEY ix_r (r_id) REFERENCES parent (id)')",
     "op.execute('ALTER TABLE child ADD CONSTRAINT fk_s FOREIGN KEY (s_id) REFERENCES parent (id)')"],
    ["op.drop_constraint('child_ibfk_2', 'child', type_='foreignkey')"],
    ["op.drop_table('child')"],
]


@pytest.mark.mariadb
def test_the_index_mariadb_makes_for_a_foreign_key_written_as_sql_is_held_under_its_name(
    tmp_path: Path, database_factory: Callable[[str], str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """MariaDB names the index of a foreign key made by ``ALTER TABLE ... ADD FOREIGN KEY`` without a
    name after its column (``p_id``), where the key is ``child_ibfk_1``: the ledger holds that index
    under that name, so the ledger materialized, a rollback to each revision and the history imported
    and applied hold what Alembic alone holds, names included."""
    folder = _project(tmp_path / "alone", SQL_FOREIGN_KEYS, None)
    expected = []
    for step in range(len(SQL_FOREIGN_KEYS)):
        alone = database_factory("mariadb")
        run_alembic(folder, alone, "upgrade", f"{step + 1:04d}aa")
        expected.append(_names(alone))
    assert ("child", "p_id", "index ['p_id']") in expected[1], expected[1]
    hooked, made = database_factory("mariadb"), database_factory("mariadb")
    hooked_folder = tmp_path / "hooked" / "alembic"
    write_env(hooked_folder)
    ids = write_history(hooked_folder, SQL_FOREIGN_KEYS)
    run_alembic(hooked_folder, hooked, "upgrade", ids[2])
    code, out = ledger_cli(hooked, tmp_path / "hooked", "verify", "--live")
    assert code == 0, out
    code, out = ledger_cli(hooked, tmp_path / "hooked", "materialize", "--into", made)
    assert code == 0, out
    assert _names(made) == expected[2], ("materialized", _names(made), expected[2])
    run_alembic(hooked_folder, hooked, "upgrade", "heads")
    code, out = ledger_cli(hooked, tmp_path / "hooked", "drill", "--from-ledger", "--json", "-q")
    assert code == 0 and '"passed": true' in out, out
    for step in (2, 1):
        code, out = ledger_cli(hooked, tmp_path / "hooked", "rollback", "--to", ids[step], "-q")
        assert code == 0, out
        assert _names(hooked) == expected[step], (ids[step], _names(hooked), expected[step])
        code, out = ledger_cli(hooked, tmp_path / "hooked", "verify", "--live")
        assert code == 0, out
    applied = _imported_and_applied(tmp_path / "alone", folder, "mariadb", None, database_factory, monkeypatch)
    assert _names(applied) == expected[-1]
