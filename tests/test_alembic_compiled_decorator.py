"""A TypeDecorator compiled its own way on a database (mailman's ``SAUnicode``: ``impl = Unicode``, and
``@compiles(SAUnicode, 'mysql')`` writes ``VARCHAR(255) COLLATE utf8_bin``): the database got what the
decorator compiled to, not its ``impl``, so the column is recorded as the database holds it. So is a
column of a type the ledger knows whose DDL a ``@compiles`` of the migration's own changes on a database
(privacyidea's ``@compiles(db.DateTime, "mysql")`` writes ``DATETIME(6)``): the ledger, which compiles
without the migration's code, would write ``DATETIME``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.compiler import deregister

from tests.alembic_histories import check_everything, upgrade_with_hook

SA_UNICODE = [
    "from sqlalchemy.ext.compiler import compiles",
    "class SAUnicode(sa.types.TypeDecorator):",
    "    impl = sa.Unicode",
    "    cache_ok = True",
    "@compiles(SAUnicode)",
    "def _default(element, compiler, **kw):",
    "    return compiler.visit_unicode(element, **kw)",
    "@compiles(SAUnicode, 'mysql')",
    "def _mysql(element, compiler, **kw):",
    "    return 'VARCHAR(255) COLLATE utf8_bin'",
]


@pytest.mark.parametrize("dialect", ["mariadb", "postgresql"])
def test_a_column_of_a_type_decorator_compiled_its_own_way_is_recorded_as_the_database_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str], dialect: str
) -> None:
    url = database_factory(dialect)
    upgrade_with_hook(tmp_path, url, [
        ["op.create_table('domain', sa.Column('id', sa.Integer(), primary_key=True))"],
        [*SA_UNICODE, "op.add_column('domain', sa.Column('base_url', SAUnicode(), nullable=True))"],
    ])
    check_everything(tmp_path, url, database_factory, dialect)


@pytest.fixture
def datetime_compiles_back() -> Iterator[None]:
    """``sa.DateTime`` compiled by SQLAlchemy's own rules again after the test (the hook runs the
    migration in this process, whose ``@compiles`` of SQLAlchemy's class stays registered)."""
    yield
    deregister(sa.DateTime)


@pytest.mark.usefixtures("datetime_compiles_back")
def test_a_known_type_compiled_another_way_by_the_migration_is_recorded_as_the_database_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [[
        "from sqlalchemy.ext.compiler import compiles",
        "compiles(sa.DateTime, 'mysql')(lambda element, compiler, **kw: 'DATETIME(6)')",
        "op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('at', sa.DateTime()))",
        "op.add_column('audit', sa.Column('until', sa.DateTime()))",
    ]])
    check_everything(tmp_path, url, database_factory, "mariadb")


def test_a_subclass_of_a_known_type_compiled_another_way_is_recorded_as_the_database_holds_it(
    tmp_path: Path, database_factory: Callable[[str], str]
) -> None:
    url = database_factory("mariadb")
    upgrade_with_hook(tmp_path, url, [[
        "from sqlalchemy.ext.compiler import compiles",
        "class Stamp(sa.DateTime):",
        "    pass",
        "compiles(Stamp, 'mysql')(lambda element, compiler, **kw: 'DATETIME(6)')",
        "op.create_table('audit', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('at', Stamp()))",
        "op.add_column('audit', sa.Column('until', Stamp()))",
    ]])
    check_everything(tmp_path, url, database_factory, "mariadb")
