"""A TypeDecorator compiled its own way on a database (mailman's ``SAUnicode``: ``impl = Unicode``, and
``@compiles(SAUnicode, 'mysql')`` writes ``VARCHAR(255) COLLATE utf8_bin``): the database got what the
decorator compiled to, not its ``impl``, so the column is recorded as the database holds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

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
