"""A second history shape, each tool run as a fresh process: apply and rollback against Alembic
in the same transaction mode and against a raw replay; the Alembic hook's cost.

The history: ``size`` revisions of one op each, cycling through six kinds per table: create
table, add column, create index, unique constraint, foreign key (to the table before; the first
table refers to itself), and one alter column that makes a column NOT NULL and gives it a server
default. The Alembic project is what ``alembic init`` writes (its default ``env.py``), with
``render_as_batch=True`` in ``context.configure`` and its revisions written as autogenerate
renders them then (every op on an existing table in a ``batch_alter_table`` block). A second copy
of the project configures ``transaction_per_migration=True``, a third calls
``ledger.alembic.attach(context)`` (the hook).

Every timed run is a fresh process: ``python -m ledger ...``, ``python -m alembic ...``, and the
raw replay ``python -m benchmarks.replay`` (the DDL schema-ledger ran, in one transaction, through
SQLAlchemy's ``exec_driver_sql``; and, as an informational row, through the bare driver), so
interpreter start-up and imports count for every tool alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


from benchmarks.harness import Baseline, Prepared, Timed, case
from benchmarks.migrate_cases import PREFIX, Scratch

KINDS = 6


def _ops(k: int) -> tuple[str, list[str], list[str], list[str]]:
    """(message, schema-ledger lines, Alembic upgrade lines, Alembic downgrade lines) of revision ``k``."""
    n, step = divmod(k, KINDS)
    table = f"h{n:05d}"
    parent = f"h{n - 1:05d}" if n else table
    batch = f"with op.batch_alter_table({table!r}, schema=None) as batch_op:"
    if step == 0:
        line = (f"op.create_table({table!r}, sa.Column('id', sa.Integer(), nullable=False), "
                "sa.Column('name', sa.String(length=80), nullable=True), "
                "sa.Column('code', sa.String(length=20), nullable=True), "
                "sa.Column('parent_id', sa.Integer(), nullable=True), sa.PrimaryKeyConstraint('id'))")
        return f"create {table}", [line], [line], [f"op.drop_table({table!r})"]
    if step == 1:
        return (f"note on {table}", [f"op.add_column({table!r}, sa.Column('note', sa.String(length=100), nullable=True))"],
                [batch, "    batch_op.add_column(sa.Column('note', sa.String(length=100), nullable=True))"],
                [batch, "    batch_op.drop_column('note')"])
    if step == 2:
        name = f"ix_{table}_name"
        return (f"index on {table}", [f"op.create_index({name!r}, {table!r}, ['name'], unique=False)"],
                [batch, f"    batch_op.create_index(batch_op.f({name!r}), ['name'], unique=False)"],
                [batch, f"    batch_op.drop_index(batch_op.f({name!r}))"])
    if step == 3:
        name = f"uq_{table}_code"
        return (f"unique code on {table}", [f"op.create_unique_constraint({name!r}, {table!r}, ['code'])"],
                [batch, f"    batch_op.create_unique_constraint({name!r}, ['code'])"],
                [batch, f"    batch_op.drop_constraint({name!r}, type_='unique')"])
    if step == 4:
        name = f"fk_{table}_parent"
        return (f"{table} refers to {parent}",
                [f"op.create_foreign_key({name!r}, {table!r}, {parent!r}, ['parent_id'], ['id'])"],
                [batch, f"    batch_op.create_foreign_key({name!r}, {parent!r}, ['parent_id'], ['id'])"],
                [batch, f"    batch_op.drop_constraint({name!r}, type_='foreignkey')"])
    return (f"{table}.name required, default",
            [f"op.alter_column({table!r}, 'name', existing_type=sa.String(length=80), nullable=False, "
             "server_default='x')"],
            [batch, "    batch_op.alter_column('name', existing_type=sa.String(length=80), nullable=False, "
                    "server_default='x')"],
            [batch, "    batch_op.alter_column('name', existing_type=sa.String(length=80), nullable=True, "
                    "server_default=None)"])


def _rid(k: int) -> str:
    return f"h{k:05d}"


def write_ledger_project(folder: Path, size: int) -> None:
    migrations = folder / "migrations"
    migrations.mkdir(parents=True, exist_ok=True)
    for k in range(size):
        message, lines, _up, _down = _ops(k)
        down = repr(_rid(k - 1)) if k else "None"
        (migrations / f"{_rid(k)}.py").write_text(
            f'"""{message}"""\n\nimport sqlalchemy as sa\n\nrevision = {_rid(k)!r}\ndown_revision = {down}\n\n\n'
            "def upgrade(op):\n" + "".join(f"    {line}\n" for line in lines), encoding="utf-8")


#: how each Alembic project's env.py configures the context (beyond alembic init's template)
FLAVOURS = {
    "default": ("render_as_batch=True", ""),
    "tpm": ("render_as_batch=True, transaction_per_migration=True", ""),
    "hook": ("render_as_batch=True", "        ledger.alembic.attach(context)\n"),
}


def write_alembic_project(folder: Path, size: int, flavour: str) -> None:
    """``alembic init`` (the generic template), then env.py's configure call and the revisions."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    if folder.exists():
        return
    part = folder.with_name(folder.name + ".part")
    if part.exists():
        import shutil

        shutil.rmtree(part)
    cfg = AlembicConfig(str(folder.parent / f"{folder.name}.init.ini"))
    cfg.stdout = open(os.devnull, "w")  # noqa: SIM115 - closed with the process
    command.init(cfg, str(part), template="generic")
    env = (part / "env.py").read_text(encoding="utf-8")
    configure = "context.configure(\n            connection=connection, target_metadata=target_metadata\n        )\n"
    assert configure in env, "alembic's generic env.py changed"
    options, hook = FLAVOURS[flavour]
    env = env.replace(configure, "context.configure(\n            connection=connection, target_metadata=target_metadata, "
                      f"{options}\n        )\n{hook}")
    if hook:
        env = "import ledger.alembic\n" + env
    (part / "env.py").write_text(env, encoding="utf-8")
    for k in range(size):
        message, _lines, up, down = _ops(k)
        prev = repr(_rid(k - 1)) if k else "None"
        (part / "versions" / f"{_rid(k)}.py").write_text(
            f'"""{message}"""\n\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = {_rid(k)!r}\n'
            f"down_revision = {prev}\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n"
            + "".join(f"    {line}\n" for line in up) + "\n\ndef downgrade():\n"
            + "".join(f"    {line}\n" for line in down), encoding="utf-8")
    Path(str(cfg.config_file_name)).unlink(missing_ok=True)
    part.rename(folder)


def _ini(folder: Path, url: str, name: str) -> Path:
    """An alembic.ini (alembic init's, logging quiet) for the project at ``folder`` and database ``url``."""
    path = folder.parent / f"{folder.name}-{name}.ini"
    text = (f"[alembic]\nscript_location = {folder}\nprepend_sys_path = .\npath_separator = os\n"
            f"sqlalchemy.url = {url.replace('%', '%%')}\n\n"
            "[loggers]\nkeys = root,sqlalchemy,alembic\n[handlers]\nkeys = console\n[formatters]\nkeys = generic\n"
            "[logger_root]\nlevel = WARNING\nhandlers = console\nqualname =\n"
            "[logger_sqlalchemy]\nlevel = WARNING\nhandlers =\nqualname = sqlalchemy.engine\n"
            "[logger_alembic]\nlevel = WARNING\nhandlers =\nqualname = alembic\n"
            "[handler_console]\nclass = StreamHandler\nargs = (sys.stderr,)\nlevel = NOTSET\nformatter = generic\n"
            "[formatter_generic]\nformat = %%(levelname)-5.5s [%%(name)s] %%(message)s\n")
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Databases (MariaDB besides the two of migrate_cases) and fresh processes
# ---------------------------------------------------------------------------------------------


class Databases(Scratch):
    """Scratch databases, named by absolute paths (the tools run in other folders)."""

    def __init__(self, dialect: str, workdir: str) -> None:
        super().__init__(dialect, os.path.abspath(workdir))


#: the environment of every tool's process: Python's own defaults for bytecode, so that each tool
#: (schema-ledger's modules, Alembic's revision files) reads the compiled modules an earlier run
#: wrote, as on a user's machine, even where the caller's environment turns that off; and this
#: checkout first on the path, so that a tool started in another folder imports this checkout's
#: ``ledger`` rather than the one the environment installed (an editable install of another copy)
_ROOT = str(Path(__file__).resolve().parent.parent)
TOOL_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "PYTHONPATH": os.pathsep.join([_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])}


def _run(args: list[str], cwd: Path | None = None) -> None:
    proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, env=TOOL_ENV)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:6])} ...: exit {proc.returncode}\n{proc.stderr[-3000:]}")


def ours(project: Path, url: str, *command: str) -> Callable[[], None]:
    return lambda: _run(["-m", "ledger", "--url", url, *command], cwd=project)


def alembic(ini: Path, *command: str) -> Callable[[], None]:
    return lambda: _run(["-m", "alembic", "-c", str(ini), *command])


def raw(url: str, statements: Path, *, bare: bool = False) -> Callable[[], None]:
    return lambda: _run(["-m", "benchmarks.replay", *(["--bare"] if bare else []), url, str(statements)],
                        cwd=Path(__file__).resolve().parent.parent)


def _raw_baselines(db: Databases, url: str, statements: Path, setup: Callable[[], None], target: float) -> list[Baseline]:
    """The raw replay through SQLAlchemy (judged) and through the bare driver (informational: the floor)."""
    return [Baseline("the same DDL replayed raw (fresh process, one transaction, SQLAlchemy exec_driver_sql)",
                     Timed(raw(url, statements), setup=setup), target),
            Baseline("the same DDL through the bare driver (fresh process, one transaction; informational: the floor)",
                     Timed(raw(url, statements, bare=True), setup=setup), target, informational=True)]


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _paths(workdir: str, size: int) -> dict[str, Path]:
    base = Path(workdir)
    return {"project": base / f"h2-project-{size}", **{f: base / f"h2-alembic-{f}-{size}" for f in FLAVOURS}}


def _statements(workdir: str, what: str, dialect: str, size: int) -> Path:
    return Path(workdir) / f"h2-{what}-statements-{dialect}-{size}.json"


def _build(dialect: str) -> Callable[[int, str], None]:
    def build(size: int, workdir: str) -> None:
        from ledger.project.config import Config
        from ledger.run.rollback import rollback
        from ledger.run.apply import apply

        paths = _paths(workdir, size)
        if not (paths["project"] / "migrations").is_dir():
            part = paths["project"].with_name(paths["project"].name + ".part")
            write_ledger_project(part, size)
            part.rename(paths["project"])
        for flavour in FLAVOURS:
            write_alembic_project(paths[flavour], size, flavour)
        applied, reverted = _statements(workdir, "apply", dialect, size), _statements(workdir, "rollback", dialect, size)
        # the databases it made are named with the prefix: another prefix builds its own
        ready = Path(workdir) / f"h2-{PREFIX}{dialect}-{size}.ready"
        if ready.exists():
            return
        db = Databases(dialect, workdir)
        config = Config(project_dir=paths["project"], url=db.fresh(f"h2_built_{size}"), migrations=Path("migrations"))
        result = apply(config)
        applied.write_text(json.dumps([s for r in result.applied for s in r.statements]))
        undone = rollback(config, to="base")
        reverted.write_text(json.dumps([s for r in undone.reverted for s in r.statements]))
        # What every rollback starts from: the database at head, made by each tool.
        ours(paths["project"], db.fresh(f"h2_head_ours_{size}"), "apply", *([] if dialect == "mysql" else ["--one-transaction"]))()
        alembic(_ini(paths["default"], db.fresh(f"h2_head_alembic_{size}"), "head"), "upgrade", "head")()
        ready.touch()

    return build


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------

#: targets per dialect: (against Alembic, against the raw replay); MariaDB's are set in docs/performance.md
TARGETS = {"sqlite": (0.25, 1.5), "postgresql": (0.8, 1.3), "mysql": (1.5, 3.0)}


def _apply_case(dialect: str, size: int, workdir: str, *, one_transaction: bool) -> Prepared:
    paths = _paths(workdir, size)
    db = Databases(dialect, workdir)
    url = {who: db.url(f"h2_apply_{who}_{size}") for who in ("ours", "alembic", "raw")}
    alembic_target, raw_target = TARGETS[dialect]
    flavour = "default" if one_transaction or dialect == "mysql" else "tpm"
    mode = ["--one-transaction"] if one_transaction else []
    baselines = [Baseline(f"alembic upgrade head ({'transaction_per_migration=True' if flavour == 'tpm' else 'default env.py'})",
                          Timed(alembic(_ini(paths[flavour], url["alembic"], "apply"), "upgrade", "head"),
                                setup=lambda: db.fresh(f"h2_apply_alembic_{size}") and None), alembic_target)]
    if one_transaction or dialect == "mysql":
        baselines += _raw_baselines(db, url["raw"], _statements(workdir, "apply", dialect, size),
                                    lambda: db.fresh(f"h2_apply_raw_{size}") and None, raw_target)
    return Prepared(
        Timed(ours(paths["project"], url["ours"], "apply", *mode), setup=lambda: db.fresh(f"h2_apply_ours_{size}") and None),
        tuple(baselines),
        f"second history: schema-ledger apply{' --one-transaction' if one_transaction else ''} of {size} revisions "
        f"({dialect}, fresh processes)",
    )


def _rollback_case(dialect: str, size: int, workdir: str, *, one_transaction: bool) -> Prepared:
    paths = _paths(workdir, size)
    db = Databases(dialect, workdir)
    url = {who: db.url(f"h2_rollback_{who}_{size}") for who in ("ours", "alembic", "raw")}
    alembic_target, raw_target = TARGETS[dialect]
    flavour = "default" if one_transaction or dialect == "mysql" else "tpm"
    mode = ["--one-transaction"] if one_transaction else []
    ini = _ini(paths[flavour], url["alembic"], "rollback")

    def at_head(who: str) -> Callable[[], None]:
        return lambda: db.fresh(f"h2_rollback_{who}_{size}",
                                copy_of=f"h2_head_{'alembic' if who == 'alembic' else 'ours'}_{size}") and None

    baselines = [Baseline(f"alembic downgrade base ({'transaction_per_migration=True' if flavour == 'tpm' else 'default env.py'})",
                          Timed(alembic(ini, "downgrade", "base"), setup=at_head("alembic")), alembic_target)]
    if one_transaction or dialect == "mysql":
        baselines += _raw_baselines(db, url["raw"], _statements(workdir, "rollback", dialect, size), at_head("raw"),
                                    raw_target)
    return Prepared(
        Timed(ours(paths["project"], url["ours"], "rollback", "--to", "base", *mode), setup=at_head("ours")),
        tuple(baselines),
        f"second history: schema-ledger rollback --to base{' --one-transaction' if one_transaction else ''} of {size} "
        f"revisions ({dialect}, fresh processes)",
    )


def _hook_case(dialect: str, size: int, workdir: str) -> Prepared:
    paths = _paths(workdir, size)
    db = Databases(dialect, workdir)
    url = {who: db.url(f"h2_hook_{who}_{size}") for who in ("with", "without")}
    return Prepared(
        Timed(alembic(_ini(paths["hook"], url["with"], "hook"), "upgrade", "heads"),
              setup=lambda: db.fresh(f"h2_hook_with_{size}") and None),
        (Baseline("alembic upgrade heads without the hook (same project, default env.py)",
                  Timed(alembic(_ini(paths["default"], url["without"], "nohook"), "upgrade", "heads"),
                        setup=lambda: db.fresh(f"h2_hook_without_{size}") and None), 1.25),),
        f"second history: alembic upgrade heads with ledger.alembic.attach, {size} revisions ({dialect})",
    )


def _register() -> None:
    for dialect, label, needs in (("sqlite", "sqlite", None), ("postgresql", "postgresql", "postgresql"),
                                  ("mysql", "mariadb", "mariadb")):
        modes = (False,) if dialect == "mysql" else (True, False)
        for one in modes:
            suffix = "-1tx" if one else ""
            for what, make in (("apply", _apply_case), ("rollback", _rollback_case)):
                def prepare(size: int, workdir: str, make=make, dialect=dialect, one=one) -> Prepared:
                    return make(dialect, size, workdir, one_transaction=one)

                case(f"h2-{what}-{label}{suffix}", size=300, quick_size=12, build=_build(dialect), needs=needs,
                     repeat=3)(prepare)
        if dialect != "mysql":
            def hook(size: int, workdir: str, dialect=dialect) -> Prepared:
                return _hook_case(dialect, size, workdir)

            case(f"hook-{label}", size=300, quick_size=12, build=_build(dialect), needs=needs, repeat=3)(hook)


_register()
