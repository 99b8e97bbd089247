"""The supported databases are the database objects of ledger/dialects: adding one (docs/design.md,
"Add a database") puts it in every list and every per-database decision, with nothing else edited."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

import ops
from ledger import dialects
from ledger.dialects import identifiers, registry
from ledger.schema import render
from ledger.cli import main
from ledger.storage.db import dialect_of
from ledger.dialects.sqlite_db import SQLite
from ledger.project.config import ConfigError, load_config
from ledger.storage.store import LedgerStore
from tests.conftest import DIALECTS, database_matrix


@pytest.fixture
def toy() -> Iterator[type[dialects.Database]]:
    """A database added the way the recipe says: a Database subclass, registered."""

    class ToySQL(SQLite):
        name = "toysql"
        title = "ToySQL"
        backends = ("toysql",)
        flavours = ("toysql-lite",)
        transactional_ddl = False
        name_limit = (10, "characters")

    dialects.register_database(ToySQL)
    yield ToySQL
    del dialects.DATABASES["toysql"]
    for key in [k for k in ops.Operations._to_impl if k[1] == "toysql"]:
        del ops.Operations._to_impl[key]


def test_the_built_in_databases() -> None:
    assert dialects.names() == ("sqlite", "postgresql", "mysql")
    assert dialects.choices() == ("sqlite", "postgresql", "mysql", "mariadb")
    assert [d.transactional_ddl for d in dialects.DATABASES.values()] == [True, True, False]
    assert dialects.database("mariadb") is dialects.DATABASES["mysql"]


def test_a_database_module_is_loaded_when_its_database_is_first_asked_for() -> None:
    code = ("import sys, ledger.dialects as d, ledger.storage.store as s; s.LedgerStore(); before = sorted(m for m in"
            " sys.modules if m.endswith(('postgresql_db', 'mysql_db'))); d.database('mariadb');"
            " print(before, 'ledger.dialects.mysql_db' in sys.modules, 'ledger.dialects.postgresql_db' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "True", "False"]
    # What the registry says of each built-in database without loading it is what its object says.
    for name, (_module, flavours, backend_names, types) in registry.BUILT_IN.items():
        found = dialects.DATABASES[name]
        assert (found.flavours, found.backends) == (flavours, backend_names)
        for variant in ("long_text_type", "long_binary_type", "row_key_type"):
            assert type(getattr(found, variant)) is type(types.get(variant))


def test_a_registered_database_is_in_every_list(toy: type[dialects.Database], tmp_path: Path) -> None:
    assert dialects.names()[-1] == "toysql" and dialects.choices()[-2:] == ("toysql", "toysql-lite")
    assert render.DIALECTS == dialects.choices()
    assert dialects.dialect_name("toysql:///x.db") == "toysql" == dialect_of("toysql:///x.db")
    assert dialects.database("toysql-lite") is dialects.DATABASES["toysql"]
    assert not dialects.transactional_ddl("toysql")
    assert identifiers.MAX_LENGTH["toysql"] == (10, "characters")
    with pytest.raises(identifiers.InvalidIdentifierError, match="ToySQL allows at most 10"):
        identifiers.check_name("eleven_long", "table", "toysql")
    # Its generator is in the one implementation registry, for every op its generator handles,
    # once its DDL is first asked for (the generator is loaded then).
    create = ops.record(lambda op: op.create_table("t", sa.Column("id", sa.Integer, primary_key=True)))[0]
    dialects.check_implemented(create, "toysql")
    assert ops.Operations.find_implementation(type(create), "toysql") is dialects.generated
    assert dialects.ddl(create, ops.SchemaState(), "toysql") == dialects.ddl(create, ops.SchemaState(), "sqlite")
    assert render.sa_dialect("toysql").name == "sqlite"
    # Configuration accepts its URLs; the test matrix runs on it.
    assert "toysql" in dialects.backends()
    assert load_config(url="toysql:///app.db", start=tmp_path, environ={}).url == "toysql:///app.db"
    with pytest.raises(ConfigError, match="known: sqlite, postgresql, mysql, mariadb, toysql"):
        load_config(url="oracle://x", start=tmp_path, environ={})
    assert database_matrix()[-1] == "toysql" and "toysql" not in DIALECTS
    # The ledger table's triggers and lock are its own (here: SQLite's).
    store = LedgerStore()
    assert store.trigger_sql("toysql", sa.dialects.sqlite.dialect()) == store.trigger_sql("sqlite", sa.dialects.sqlite.dialect())
    # The command line offers it wherever it asks for a database.
    for command in (["schema", "--help"], ["diff", "--help"], ["import-alembic", "--help"]):
        result = CliRunner().invoke(main, command)
        assert "toysql" in result.output, (command, result.output)


def test_an_unknown_database_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(dialects.UnsupportedDialectError, match="sqlite, postgresql, mysql, mariadb"):
        dialects.dialect_name("oracle://x")
    with pytest.raises(dialects.UnsupportedDialectError):
        dialects.compile_dialect("oracle")
    assert "toysql" not in CliRunner().invoke(main, ["schema", "--help"]).output


def test_what_runs_outside_a_transaction_is_the_database_objects_to_say() -> None:
    """PostgreSQL refuses CREATE INDEX CONCURRENTLY (and VACUUM, ...) inside a transaction block;
    elsewhere every statement runs inside one."""
    concurrently = "CREATE INDEX CONCURRENTLY ix_t_a ON t (a)"
    assert dialects.outside_transaction("postgresql", concurrently)
    assert dialects.outside_transaction("postgresql", "VACUUM t")
    assert not dialects.outside_transaction("postgresql", "CREATE INDEX ix_t_a ON t (a)")
    assert not any(dialects.outside_transaction(name, concurrently) for name in ("sqlite", "mysql", "mariadb"))
