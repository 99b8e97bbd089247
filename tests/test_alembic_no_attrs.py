"""A hooked ``alembic upgrade`` never imports attrs: the op, spec and event classes, their fields and
``evolve`` are ``ops.classes``' own, and so are the classes of the modules the hook loads on the way
(converted ops, read-backs of SQL text, the events); attrs' import is about 52 M instructions
(docs/performance.md, "The hook, fourteenth round")."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.alembic_histories import LEDGER_TABLE, write_env, write_history

_BODIES = [
    ["op.create_table('item', sa.Column('id', sa.Integer(), primary_key=True),"
     " sa.Column('name', sa.String(40), server_default='x'))"],
    ["op.add_column('item', sa.Column('size', sa.Integer(), nullable=True))",
     "op.create_index('ix_item_name', 'item', ['name'])"],
    ["op.execute('CREATE INDEX ix_item_size ON item (size)')"],
    ["op.drop_index('ix_item_name', table_name='item')"],
]
#: SQL text read back as the table's keys, a column altered (PostgreSQL: SQLite alters neither in place)
_KEYS = ["op.execute('ALTER TABLE item ADD CONSTRAINT uq_item_size UNIQUE (size)')",
         "op.alter_column('item', 'size', nullable=False)"]

_RUN = """
import json, sys
from alembic import command
from alembic.config import Config
config = Config()
config.set_main_option("script_location", sys.argv[1])
config.set_main_option("sqlalchemy.url", sys.argv[2].replace("%", "%%"))
command.upgrade(config, "head")
loaded = sorted(name for name in sys.modules if name == "attr" or name.startswith(("attr.", "attrs")))
import sqlalchemy as sa
from ledger.storage.store import LedgerStore
with sa.create_engine(sys.argv[2]).connect() as conn:
    ops = [e.op_type for e in LedgerStore(sys.argv[3]).events(conn) if e.kind == "apply"]
print(json.dumps({"loaded": loaded, "ops": ops}))
"""


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_a_hooked_upgrade_imports_no_attrs(dialect: str, tmp_path: Path,
                                           database_factory: Callable[[str], str]) -> None:
    url = database_factory(dialect)
    write_env(tmp_path)
    write_history(tmp_path, _BODIES + ([_KEYS] if dialect == "postgresql" else []))
    root = Path(__file__).resolve().parent.parent
    ran = subprocess.run([sys.executable, "-c", _RUN, str(tmp_path), url, LEDGER_TABLE], capture_output=True, text=True,
                         check=False, cwd=root, env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"})
    assert ran.returncode == 0, ran.stderr[-3000:]
    found = json.loads(ran.stdout.strip().splitlines()[-1])
    assert "create_table" in found["ops"] and "create_index" in found["ops"]  # the hook recorded the run
    assert found["loaded"] == []
