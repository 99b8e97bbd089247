"""Generated inputs: a synthetic history as a schema-ledger project and as an Alembic project, and big ledgers.

The history cycles through seven kinds of revision per table: create table, add columns,
create index, unique constraint, foreign key (to the table before), alter nullable, server
default. Revision ``k`` of both projects does the same thing; the Alembic project carries the
hand-written downgrades Alembic needs, and on SQLite the ``batch_alter_table`` blocks that
SQLite needs for constraints and column changes (what an Alembic user writes).

Big ledgers are written in bulk from payload templates: the ops of one table are completed
and encoded once, and other tables get the same bytes with their names swapped in (table
names have a fixed width, so the payloads stay canonical). The schema stays bounded: after
the tables are created, every table goes through a cycle of changes that ends where it began,
so memory follows the schema, not the length of the history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ledger.format.codec import canonical, encode
from ledger.format.events import BODY_FIELDS, GENESIS_HASH, format_time
from ledger.storage.store import LedgerStore
from ops import MigrateOperation, SchemaState, record

__all__ = [
    "KINDS_PER_TABLE",
    "build_big_ledger",
    "write_alembic_project",
    "write_ledger_project",
]

KINDS_PER_TABLE = 7


def _table(k: int) -> tuple[str, str | None, int]:
    n, step = divmod(k, KINDS_PER_TABLE)
    return f"t{n:05d}", (f"t{n - 1:05d}" if n else None), step


def _revision_id(k: int) -> str:
    return f"r{k:05d}"


def _header(k: int, message: str) -> str:
    down = repr(_revision_id(k - 1)) if k else "None"
    return (f'"""{message}"""\n\nimport sqlalchemy as sa\n\nrevision = {_revision_id(k)!r}\n'
            f"down_revision = {down}\n")


def _upgrade_body(k: int) -> tuple[str, list[str]]:
    """(message, lines of ``upgrade(op)``) of revision ``k``, in Alembic's op vocabulary."""
    table, parent, step = _table(k)
    if step == 0:
        return f"create {table}", [
            f"op.create_table({table!r}, sa.Column('id', sa.Integer, primary_key=True), "
            "sa.Column('name', sa.String(80)), sa.Column('code', sa.String(20)))",
        ]
    if step == 1:
        lines = [f"op.add_column({table!r}, sa.Column('note', sa.String(100)))"]
        if parent:
            lines.append(f"op.add_column({table!r}, sa.Column('parent_id', sa.Integer))")
        return f"columns of {table}", lines
    if step == 2:
        return f"index on {table}", [f"op.create_index('ix_{table}_name', {table!r}, ['name'])"]
    if step == 3:
        return f"unique code on {table}", [f"op.create_unique_constraint('uq_{table}_code', {table!r}, ['code'])"]
    if step == 4:
        if parent is None:
            return f"index on {table}.note", [f"op.create_index('ix_{table}_note', {table!r}, ['note'])"]
        return f"{table} refers to {parent}", [
            f"op.create_foreign_key('fk_{table}_parent', {table!r}, {parent!r}, ['parent_id'], ['id'])",
        ]
    if step == 5:
        return f"{table}.name required", [
            f"op.alter_column({table!r}, 'name', nullable=False, existing_type=sa.String(80))",
        ]
    return f"{table}.code default", [
        f"op.alter_column({table!r}, 'code', server_default='x', existing_type=sa.String(20))",
    ]


def write_ledger_project(folder: Path, revisions: int) -> Path:
    """A schema-ledger migrations folder with ``revisions`` files; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(revisions):
        message, lines = _upgrade_body(k)
        body = "".join(f"    {line}\n" for line in lines)
        (folder / f"{_revision_id(k)}.py").write_text(f"{_header(k, message)}\n\ndef upgrade(op):\n{body}",
                                                      encoding="utf-8")
    return folder


def _alembic_lines(k: int, sqlite: bool) -> tuple[list[str], list[str]]:
    """(upgrade lines, downgrade lines) of revision ``k`` for Alembic, hand-written as its users do."""
    table, parent, step = _table(k)
    _message, up = _upgrade_body(k)
    batch = f"with op.batch_alter_table({table!r}) as batch_op:"
    if step == 0:
        return up, [f"op.drop_table({table!r})"]
    if step == 1:
        down = [f"op.drop_column({table!r}, 'parent_id')"] if parent else []
        return up, down + [f"op.drop_column({table!r}, 'note')"]
    if step == 2:
        return up, [f"op.drop_index('ix_{table}_name', table_name={table!r})"]
    if step == 4 and parent is None:
        return up, [f"op.drop_index('ix_{table}_note', table_name={table!r})"]
    if step == 3:
        if sqlite:
            return ([batch, f"    batch_op.create_unique_constraint('uq_{table}_code', ['code'])"],
                    [batch, f"    batch_op.drop_constraint('uq_{table}_code', type_='unique')"])
        return up, [f"op.drop_constraint('uq_{table}_code', {table!r}, type_='unique')"]
    if step == 4:
        if sqlite:
            return ([batch, f"    batch_op.create_foreign_key('fk_{table}_parent', {parent!r}, ['parent_id'], ['id'])"],
                    [batch, f"    batch_op.drop_constraint('fk_{table}_parent', type_='foreignkey')"])
        return up, [f"op.drop_constraint('fk_{table}_parent', {table!r}, type_='foreignkey')"]
    if step == 5:
        if sqlite:
            return ([batch, "    batch_op.alter_column('name', nullable=False, existing_type=sa.String(80))"],
                    [batch, "    batch_op.alter_column('name', nullable=True, existing_type=sa.String(80))"])
        return up, [f"op.alter_column({table!r}, 'name', nullable=True, existing_type=sa.String(80))"]
    if sqlite:
        return ([batch, "    batch_op.alter_column('code', server_default='x', existing_type=sa.String(20))"],
                [batch, "    batch_op.alter_column('code', server_default=None, existing_type=sa.String(20), "
                        "existing_server_default='x')"])
    return up, [f"op.alter_column({table!r}, 'code', server_default=None, existing_type=sa.String(20), "
                "existing_server_default='x')"]


_ENV = '''"""Alembic's env.py, online mode only (what the benchmark runs)."""

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                 poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
'''


def write_alembic_project(folder: Path, revisions: int, *, sqlite: bool) -> Path:
    """An Alembic script directory (env.py, versions/) for the same history; returns the folder."""
    versions = folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (folder / "env.py").write_text(_ENV, encoding="utf-8")
    (folder / "script.py.mako").write_text("", encoding="utf-8")
    for k in range(revisions):
        message, _ = _upgrade_body(k)
        up, down = _alembic_lines(k, sqlite)
        text = (f"{_header(k, message)}branch_labels = None\ndepends_on = None\n\nfrom alembic import op\n\n\n"
                "def upgrade():\n" + "".join(f"    {line}\n" for line in up)
                + "\n\ndef downgrade():\n" + "".join(f"    {line}\n" for line in down))
        (versions / f"{_revision_id(k)}.py").write_text(text, encoding="utf-8")
    return folder


def alembic_config(folder: Path, url: str) -> Any:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(folder))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


# ---------------------------------------------------------------------------------------------
# Big ledgers, written in bulk
# ---------------------------------------------------------------------------------------------

#: Fixed-width names, so that swapping one table's name for another's keeps every payload canonical.
_A, _B = "t0000001", "t0000000"
#: When the first event of a big ledger was recorded (one event per millisecond after it).
START = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _name(n: int) -> str:
    return f"t{n:07d}"


def _creation_ops(table: str, parent: str | None) -> list[MigrateOperation]:
    def upgrade(op: Any) -> None:
        op.create_table(table, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(80)),
                        sa.Column("code", sa.String(20)), sa.Column("parent_id", sa.Integer))
        op.create_index(f"ix_{table}_name", table, ["name"])
        op.create_unique_constraint(f"uq_{table}_code", table, ["code"])
        if parent:
            op.create_foreign_key(f"fk_{table}_parent", table, parent, ["parent_id"], ["id"])

    return list(record(upgrade))


def _cycle_ops(table: str) -> list[MigrateOperation]:
    """Changes that end where they began: the table is the same after the cycle as before it."""

    def upgrade(op: Any) -> None:
        op.add_column(table, sa.Column("extra", sa.String(40)))
        op.alter_column(table, "extra", nullable=False, existing_type=sa.String(40))
        op.create_index(f"ix_{table}_extra", table, ["extra"])
        op.alter_column(table, "name", server_default="x", existing_type=sa.String(80))
        op.drop_index(f"ix_{table}_extra", table_name=table)
        op.alter_column(table, "extra", nullable=True, existing_type=sa.String(40))
        op.alter_column(table, "name", server_default=None, existing_type=sa.String(80))
        op.drop_column(table, "extra")

    return list(record(upgrade))


def _templates() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(first table's creation, another table's creation, the cycle): (op_type, table, payload) each,
    completed against a real state and encoded, with the names to swap."""
    state = SchemaState()

    def completed(ops: list[MigrateOperation]) -> list[tuple[str, str, str]]:
        nonlocal state
        out = []
        for op in ops:
            op = state.complete(op)
            state = state.apply(op)
            out.append((op.op_tag, getattr(op, "table_name", ""), encode(op).decode("utf-8")))
        return out

    first = completed(_creation_ops(_B, None))
    other = completed(_creation_ops(_A, _B))
    cycle = completed(_cycle_ops(_A))
    return first, other, cycle


def big_ledger_ops(count: int, tables: int) -> Iterator[tuple[str, str, str]]:
    """``count`` (op_type, table_name, payload): ``tables`` tables created, then changed in cycles."""
    first, other, cycle = _templates()
    produced = 0

    def blocks() -> Iterator[tuple[str, str, str]]:
        for n in range(tables):
            a = _name(n)
            if n == 0:
                yield from ((tag, a, payload) for tag, _t, payload in first)
            else:
                parent = _name(n - 1)  # replaced second: the parent's name may be the template's child name
                yield from ((tag, a, payload.replace(_A, a).replace(_B, parent)) for tag, _t, payload in other)
        while True:
            for n in range(tables):
                a = _name(n)
                yield from ((tag, a, payload.replace(_A, a)) for tag, _t, payload in cycle)

    for item in blocks():
        yield item
        produced += 1
        if produced >= count:
            return


def build_big_ledger(url: str, count: int, *, tables: int = 1000, store: LedgerStore | None = None) -> str:
    """Write a ledger of ``count`` apply events into the (empty) database at ``url``; return the head hash."""
    from ledger.storage.db import create_engine

    store = store or LedgerStore()
    engine = create_engine(url)
    with engine.begin() as conn:
        store.create(conn)
    prev = GENESIS_HASH
    rows: list[dict[str, Any]] = []
    base = {"actor_os_user": "bench", "actor_db_user": None, "actor_host": "bench-host", "actor_by": None,
            "tool_version": "0", "message": None, "reverses": None, "payload_version": 1, "kind": "apply"}
    with engine.begin() as conn:
        for seq, (tag, table, payload) in enumerate(big_ledger_ops(count, tables), start=1):
            row = dict(base, seq=seq, event_id=str(uuid.UUID(bytes=os.urandom(16), version=4)),
                       revision=f"b{seq // 8:07d}", op_type=tag, table_name=table, payload=payload,
                       recorded_at=format_time(START + dt.timedelta(milliseconds=seq)), revision_checksum=None)
            body = canonical({name: row[name] for name in BODY_FIELDS})
            row["prev_hash"] = prev
            prev = row["hash"] = hashlib.sha256(prev.encode("ascii") + body).hexdigest()
            rows.append(row)
            if len(rows) >= 10_000:
                conn.execute(store.table.insert(), rows)
                rows.clear()
        if rows:
            conn.execute(store.table.insert(), rows)
    engine.dispose()
    return prev


def write_wide_project(folder: Path, tables: int, *, per_revision: int = 10) -> Path:
    """Migrations creating ``tables`` tables, ``per_revision`` at a time: each with a primary key, a
    unique constraint, an index and a foreign key to the table before it (a big live schema)."""
    folder.mkdir(parents=True, exist_ok=True)
    for r, first in enumerate(range(0, tables, per_revision)):
        lines = []
        for n in range(first, min(first + per_revision, tables)):
            name = f"w{n:05d}"
            fk = (f", sa.ForeignKeyConstraint(['parent_id'], ['w{n - 1:05d}.id'], name='fk_{name}_parent')"
                  if n else "")
            lines.append(
                f"op.create_table({name!r}, sa.Column('id', sa.Integer, primary_key=True), "
                "sa.Column('name', sa.String(80), nullable=False), sa.Column('code', sa.String(20)), "
                "sa.Column('amount', sa.Numeric(10, 2), server_default='0'), sa.Column('parent_id', sa.Integer), "
                f"sa.UniqueConstraint('code', name='uq_{name}_code'){fk})"
            )
            lines.append(f"op.create_index('ix_{name}_name', {name!r}, ['name'])")
        down = repr(f"w{r - 1:05d}") if r else "None"
        body = "".join(f"    {line}\n" for line in lines)
        (folder / f"w{r:05d}.py").write_text(
            f'"""tables {first} to {first + per_revision - 1}"""\n\nimport sqlalchemy as sa\n\n'
            f"revision = {f'w{r:05d}'!r}\ndown_revision = {down}\n\n\ndef upgrade(op):\n{body}", encoding="utf-8")
    return folder
