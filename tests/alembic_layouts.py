"""Alembic projects as ``alembic init -t TEMPLATE`` makes them, with the hook's line added to their
``env.py`` and a few revisions made by ``alembic revision`` and ``alembic merge``: the layouts users have
(tests/test_alembic_layouts.py)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from click.testing import CliRunner

from ledger.cli.app import main
from ledger.storage.db import sync_url

ROOT = Path(__file__).resolve().parent.parent

#: (revision, message, what ``alembic revision`` is given to place it, its upgrade body): create a
#: table, add a column and an index, a data change, a branch from r1 with a foreign key, their merge
REVISIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("r1", "create shop", (), """\
        op.create_table("shop", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(40)))"""),
    ("r2", "add city", (), """\
        op.add_column("shop", sa.Column("city", sa.String(40)))
        op.create_index("ix_shop_city", "shop", ["city"])"""),
    ("r3", "first shop", (), """\
        op.execute("INSERT INTO shop (name, city) VALUES ('corner', 'Lyon')")"""),
    ("r4", "create item", ("--head", "r1", "--splice"), """\
        op.create_table("item", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("shop_id", sa.Integer(), sa.ForeignKey("shop.id", name="fk_item_shop")))"""),
)
#: the tables the revisions make
TABLES = ["item", "shop"]

HOOK_IMPORT = "import ledger.alembic\n"


@dataclass
class Layout:
    """One Alembic project in ``folder``: ``alembic`` runs there as its users run it."""

    folder: Path
    env: dict[str, str] = field(default_factory=dict)
    #: what the ``alembic`` command is given before its command (``-c FILE``, ``-n NAME``, ``-x ...``)
    options: tuple[str, ...] = ()

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "alembic", *self.options, *args], cwd=cwd or self.folder,
                              env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                              capture_output=True, text=True, timeout=300)

    def alembic(self, *args: str) -> subprocess.CompletedProcess[str]:
        ran = self.run(*args)
        assert ran.returncode == 0, f"alembic {' '.join(args)}: {ran.stdout}{ran.stderr}"
        return ran

    def alembic_each(self, *commands: tuple[str, ...]) -> list[str]:
        """Each of ``commands`` run by Alembic's command line in one process, as ``alembic`` runs it
        (each with its own configuration read afresh), one after another: the output of each."""
        script = ("import sys\nfrom alembic.config import main\n"
                  "for argv in eval(sys.argv[1]):\n    main(argv=argv, prog='alembic')\n    print(SEPARATOR, flush=True)\n")
        ran = subprocess.run([sys.executable, "-c", f"SEPARATOR = {_SEPARATOR!r}\n{script}",
                              repr([[*self.options, *command] for command in commands])],
                             cwd=self.folder, env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                             capture_output=True, text=True, timeout=300)
        assert ran.returncode == 0, f"alembic {commands}: {ran.stdout}{ran.stderr}"
        outputs = ran.stdout.split(_SEPARATOR + "\n")
        assert len(outputs) == len(commands) + 1, ran.stdout + ran.stderr
        return outputs[:-1]

    def ledger(self, url: str | None, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """``schema-ledger ARGS`` as a process of its own, in the project's folder (or ``cwd``)."""
        return subprocess.run([sys.executable, "-m", "ledger", *(("--url", url) if url else ()), *args],
                              cwd=cwd or self.folder, env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
                              capture_output=True, text=True, timeout=300)

    def ledger_here(self, url: str | None, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """``schema-ledger ARGS`` run by its command line in this process, in the project's folder
        (or ``cwd``) and with its environment: what :meth:`ledger` gives, without a process start."""
        argv = [*(("--url", url) if url else ()), *args]
        with _working_in(cwd or self.folder):
            result = CliRunner(env=self.env).invoke(main, argv, catch_exceptions=True)
        return subprocess.CompletedProcess(["schema-ledger", *argv], result.exit_code, result.stdout, result.stderr)

    def copy(self, folder: Path) -> Layout:
        """This project copied into ``folder`` (whose parent exists), as a layout of its own."""
        shutil.copytree(self.folder, folder, ignore=shutil.ignore_patterns("__pycache__"))
        return Layout(folder, dict(self.env), self.options)


#: what :meth:`Layout.alembic_each` prints after each command's output
_SEPARATOR = "--- schema-ledger tests: next command ---"


@contextlib.contextmanager
def _working_in(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def init(folder: Path, template: str, *, directory: str = "migrations", offline: bool = False) -> Layout:
    """``alembic init -t TEMPLATE DIRECTORY`` in ``folder`` (made), with the hook attached in ``env.py``."""
    folder.mkdir(parents=True, exist_ok=True)
    layout = Layout(folder)
    layout.alembic("init", "-t", template, directory)
    hook(folder / directory / "env.py", offline=offline)
    return layout


def hook(env_py: Path, *, offline: bool = False) -> None:
    """The documented line: ``ledger.alembic.attach(context)`` after each ``context.configure(connection=...)``
    (``offline``: after the ``--sql`` mode's ``context.configure(url=...)`` too)."""
    text = env_py.read_text(encoding="utf-8")
    out, at = [], 0
    for found in re.finditer(r"^( *)context\.configure\(", text, flags=re.M):
        end = _closing(text, found.end() - 1)
        if "connection=" not in text[found.end():end] and not offline:
            continue
        line_end = text.index("\n", end)
        out.append(text[at:line_end + 1] + f"{found.group(1)}ledger.alembic.attach(context)\n")
        at = line_end + 1
    assert out, f"{env_py}: no context.configure(connection=...)"
    env_py.write_text(HOOK_IMPORT + "".join(out) + text[at:], encoding="utf-8")


def _closing(text: str, opening: int) -> int:
    depth = 0
    for position in range(opening, len(text)):
        depth += {"(": 1, ")": -1}.get(text[position], 0)
        if depth == 0:
            return position
    raise AssertionError("unbalanced parentheses")


def set_option(ini: Path, option: str, value: str, section: str = "alembic") -> None:
    """Set ``option`` in ``section`` of an ini file to ``value`` as ConfigParser reads it (``%%`` for a ``%``)."""
    text = ini.read_text(encoding="utf-8")
    line = f"{option} = {value}"
    head = f"[{section}]\n"
    if head not in text:
        text += f"\n{head}"
    start = text.index(head) + len(head)
    end = text.find("\n[", start)
    end = len(text) if end == -1 else end + 1
    body = text[start:end]
    pattern = re.compile(rf"^{re.escape(option)} *=.*$", flags=re.M)
    body = pattern.sub(lambda _: line, body, count=1) if pattern.search(body) else line + "\n" + body
    ini.write_text(text[:start] + body + text[end:], encoding="utf-8")


def revisions(layout: Layout, *, bodies: dict[str, str] | None = None,
              extra: dict[str, tuple[str, ...]] | None = None) -> list[Path]:
    """``alembic revision`` r1..r4 (r4 a branch from r1) and ``alembic merge`` r5, their ``upgrade()``
    filled in; ``bodies`` maps a revision to the template of its body (``{body}`` is the upgrade's),
    ``extra`` to more arguments of its command (``--version-path``). The files are returned in that order."""
    extra = extra or {}
    commands = [("revision", "-m", message, "--rev-id", revision, *placement, *extra.get(revision, ()))
                for revision, message, placement, _body in REVISIONS]
    outputs = layout.alembic_each(*commands, ("merge", "-m", "merge", "--rev-id", "r5", *extra.get("r5", ()), "heads"))
    made = [_made(output) for output in outputs]
    for path, (revision, _message, _placement, body) in zip(made, REVISIONS):
        _fill(path, (bodies or {}).get(revision, "{body}").format(body=textwrap.dedent(body)))
    return made


def _made(output: str) -> Path:
    found = re.search(r"Generating (.+?\.py)", output)
    assert found, output
    return Path(found.group(1))


def _fill(path: Path, body: str) -> None:
    """The first ``upgrade`` function of a generated revision (``def upgrade()`` or multidb's
    ``def upgrade_NAME()`` for the body's ``# NAME`` line) gets ``body``."""
    text = path.read_text(encoding="utf-8")
    parts = body.split("# engine ")
    if len(parts) == 1:
        text = _replace_pass(text, r"def upgrade(?:_\w+)?\(\)[^:]*:", body)  # multidb's: the first database
    else:
        for part in parts[1:]:
            name, _, lines = part.partition("\n")
            text = _replace_pass(text, rf"def upgrade_{re.escape(name.strip())}\(\)[^:]*:", lines)
    path.write_text(text, encoding="utf-8")


def _replace_pass(text: str, header: str, body: str) -> str:
    found = re.search(header + r'\n    """[^"]*"""\n    pass\n', text)
    assert found, f"no {header} in {text}"
    indented = textwrap.indent(textwrap.dedent(body).strip() + "\n", "    ")
    return text[:found.start()] + found.group(0)[:-len("    pass\n")] + indented + text[found.end():]


def synchronous(url: str) -> sa.Engine:
    """An engine on ``url``'s database through a synchronous driver (an async template's URL names its own)."""
    return sa.create_engine(sync_url(url), poolclass=sa.pool.NullPool)


def tables(url: str, *, without: tuple[str, ...] = ("schema_ledger", "alembic_version")) -> list[str]:
    engine = synchronous(url)
    try:
        with engine.connect() as conn:
            return sorted(t for t in sa.inspect(conn).get_table_names() if t not in without)
    finally:
        engine.dispose()


def versions(url: str, table: str = "alembic_version") -> list[str]:
    engine = synchronous(url)
    try:
        with engine.connect() as conn:
            return sorted(conn.execute(sa.text(f"SELECT version_num FROM {table}")).scalars())
    finally:
        engine.dispose()


def alembic_lines_only(ran: subprocess.CompletedProcess[str]) -> None:
    """Alembic printed its own lines and nothing else (no warning, no traceback of the hook)."""
    lines = [line for line in (ran.stdout + ran.stderr).splitlines() if line.strip()]
    assert lines and all(line.startswith("INFO  [alembic.") for line in lines), ran.stdout + ran.stderr
    assert "Running upgrade r3, r4 -> r5, merge" in ran.stderr


def hooked_round_trip(layout: Layout, url: str | dict[str, list[str]], *, version_table: str = "alembic_version",
                      upgrade: tuple[str, ...] = ("upgrade", "heads")) -> None:
    """The hook in daily use, each command run in the project's folder as its users run it: ``alembic
    upgrade heads``; ``status``, ``history``, ``log``, ``blame``, ``drill`` (from the ledger), ``verify --live``; ``rollback --to base`` leaves
    no table and Alembic's version table empty, so ``alembic upgrade heads`` builds it all again.
    ``url``: the database, or each database (multidb) and the tables the revisions make there.
    Alembic runs as a process of its own (its ``context`` is process-wide), schema-ledger's commands
    by its command line in this process."""
    made = {url: TABLES} if isinstance(url, str) else url
    without = ("schema_ledger", version_table)
    alembic_lines_only(layout.alembic(*upgrade))
    for database, expected in made.items():
        assert tables(database, without=without) == expected and versions(database, version_table) == ["r5"]
        for command, shows in ((["status"], "current    r5"), (["history"], "r5"), (["log"], "apply"),
                               (["blame", expected[-1]], f"create table {expected[-1]}"),
                               (["drill", "--allow-irreversible", "-q"], "r5"),
                               (["verify", "--live"], "verify: ok")):
            ran = layout.ledger_here(database, *command)
            assert ran.returncode == 0 and shows in ran.stdout, f"{command}: {ran.stdout}{ran.stderr}"
        ran = layout.ledger_here(database, "rollback", "--to", "base", "--skip-irreversible", "--allow-data-loss", "-q")
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert tables(database, without=without) == [] and versions(database, version_table) == []
    alembic_lines_only(layout.alembic(*upgrade))
    for database, expected in made.items():
        assert tables(database, without=without) == expected and versions(database, version_table) == ["r5"]
        ran = layout.ledger_here(database, "verify", "--live")
        assert ran.returncode == 0, ran.stdout + ran.stderr


def imported_and_applied(layout: Layout, path: str, dialect: str, fresh: str, *, scratch: str | None = None,
                         args: tuple[str, ...] = (), tables_made: list[str] = TABLES, project: str = "ledger",
                         cwd: Path | None = None) -> None:
    """``schema-ledger import-alembic PATH`` run in the project's folder (or ``cwd``), then ``apply`` of the
    files on a fresh database (in the schema-ledger project ``project``, beside it) builds the tables the
    history builds."""
    project = layout.folder.parent / project
    project.mkdir()
    (project / "schema-ledger.toml").write_text('migrations = "migrations"\n', encoding="utf-8")
    ran = layout.ledger(None, "import-alembic", path, "--dialect", "mysql" if dialect == "mariadb" else dialect,
                        "--into", str(project / "migrations"), *(("--scratch-url", scratch) if scratch else ()), *args,
                        cwd=cwd)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "imported 5 revisions" in ran.stdout
    ran = layout.ledger_here(fresh, "apply", cwd=project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert tables(fresh) == tables_made
