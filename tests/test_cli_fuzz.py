"""No argument list makes the command line print a traceback.

For every command, hypothesis builds argument lists from the command's own options (read
from click, so a new option is fuzzed without editing this file) with values that matter
(points such as ``@0``, ``-99``, a time before the first event, revisions that exist and
that do not, paths that exist and that do not, empty and non-ASCII text) mixed with junk
tokens. Each list runs against a SQLite project with two revisions applied, copied afresh
for each example. The outcome is an exit code 0, 1 or 2 and never a traceback; an error
from the tool itself is one line.

Invalid points are checked one by one: ``--to`` a revision that does not exist, a
timestamp before the first event, ``@0``: one line, exit 2.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path


import click
import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.cli import main
from tests.examples import examples
from tests.reliability import make_project

POINTS = ["base", "head", "@0", "@1", "@3", "@999999", "@-1", "@", "-1", "-2", "-99", "r1", "r2", "r4", "nosuch",
          "2000-01-01", "2999-01-01T00:00Z", "2020-13-45", "2020-01-01T25:00", "1999", "@head"]
JUNK = ["", " ", "--", "-", "-x", "--nope", "💥", "é", "a b", "'", '"', ";", "%s", "{}", "\\", "NaN", "-0", "1e309"]
NUMBERS = ["0", "0.01", "1", "-1", "abc", "nan", "inf", "1e9"]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with r1 and r2 applied to its SQLite database, copied for each example."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    config = make_project(folder, "sqlite:///app.db")
    (folder / "schema-ledger.toml").write_text('url = "sqlite:///app.db"\nmigrations = "migrations"\n')
    result = CliRunner().invoke(main, ["--config", str(config.source), "apply", "-q", "--to", "r2"])
    assert result.exit_code == 0, result.output
    (folder / "ledger.jsonl").write_text(
        CliRunner().invoke(main, ["--config", str(config.source), "log", "--format", "jsonl"]).stdout)
    return folder


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    here = Path.cwd()
    yield tmp_path
    os.chdir(here)


def _values(param: click.Parameter, folder: Path) -> st.SearchStrategy[str]:
    paths = [str(folder / "ledger.jsonl"), str(folder / "migrations"), str(folder / "nope"), str(folder), "",
             str(folder / "schema-ledger.toml"), str(folder / "app.db")]
    urls = [f"sqlite:///{folder / 'scratch.db'}", "sqlite:///", "not a url", "postgresql://", "mysql://@:1/x", "x://"]
    kind = param.type
    if isinstance(kind, click.Choice):
        choices: list[str] = [str(c) for c in kind.choices]
    elif isinstance(kind, (click.FloatRange, click.IntRange)) or kind in (click.FLOAT, click.INT):
        choices = NUMBERS
    elif isinstance(kind, click.Path):
        choices = paths
    elif param.name in ("into", "scratch", "scratch_url", "url"):
        choices = urls
    else:
        choices = POINTS + ["orders", "customer.email", "a" * 80, "0" * 64, "r1.py"]
    return st.one_of(st.sampled_from(choices), st.sampled_from(JUNK), st.text(max_size=8))


def _token(command: click.Command, folder: Path) -> st.SearchStrategy[list[str]]:
    """One piece of an argument list: an option with a value, a flag, an argument, or junk."""
    pieces: list[st.SearchStrategy[list[str]]] = [st.sampled_from(JUNK).map(lambda t: [t])]
    for param in command.params:
        if param.name == "verbose":
            continue  # -v (also accepted after the command) asks for the traceback
        if isinstance(param, click.Option):
            names = st.sampled_from(param.opts + param.secondary_opts)
            if param.is_flag:
                pieces.append(names.map(lambda n: [n]))
            else:
                pieces.append(st.tuples(names, _values(param, folder)).map(list))
        else:
            pieces.append(_values(param, folder).map(lambda v: [v]))
    return st.one_of(pieces)


def _global(folder: Path) -> st.SearchStrategy[list[str]]:
    options = st.one_of(
        st.just(["--config", str(folder / "schema-ledger.toml")]),
        st.sampled_from([[], ["--url", f"sqlite:///{folder / 'other.db'}"], ["--url", "nonsense"],
                         ["--load-timeout", "5"], ["--load-timeout", "-1"], ["--config", str(folder / "nope.toml")]]),
    )
    return st.lists(options, max_size=2).map(lambda parts: [t for part in parts for t in part])


def check(result: Result, args: list[str]) -> None:
    """Exit 0, 1 or 2; no traceback; an error from the tool itself is one line."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    errors = [line for line in result.stderr.splitlines() if line.startswith("schema-ledger: error:")]
    assert len(errors) <= 1, (args, result.stderr)
    # The last line of defence turns an unexpected exception into one line; it must not be needed.
    assert "internal error" not in result.stderr, (args, result.stderr)


COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_argument_list_gives_a_traceback(name: str, template: Path, workdir: Path, data: st.DataObject) -> None:
    folder = workdir / f"ex{len(list(workdir.iterdir()))}"
    shutil.copytree(template, folder)
    os.chdir(folder)
    command = main.commands[name]
    head = data.draw(_global(folder), label="global")
    tokens = data.draw(st.lists(_token(command, folder), max_size=5), label="tokens")
    args = [*head, name, *(t for token in tokens for t in token)]
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    check(result, args)


# ---------------------------------------------------------------------------------------------
# Invalid points
# ---------------------------------------------------------------------------------------------


def _run(folder: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--config", str(folder / "schema-ledger.toml"), *args], catch_exceptions=True)


@pytest.mark.parametrize("args, words", [
    (("rollback", "--to", "nosuch"), "'nosuch' is not a revision"),
    (("rollback", "--to", "@0"), "@0 is not a ledger position"),
    (("rollback", "--to", "2000-01-01"), "before the first event"),
    (("rollback", "--to", "-9"), "-9: 2 revision(s) are applied"),
    (("rollback", "--to", "2020-13-45"), "not a valid ISO 8601 time"),
    (("apply", "--to", "nosuch"), "no revision 'nosuch'"),
    (("schema", "--dialect", "sqlite", "--at", "@0"), "@0"),
    (("schema", "--dialect", "sqlite", "--at", "2000-01-01"), "before the first event"),
    (("diff", "@0", "nosuch"), "@0"),
    (("materialize", "--at", "nosuch", "--into", "sqlite://"), "nosuch"),
])
def test_invalid_points_are_one_line_errors(template: Path, workdir: Path, args: tuple[str, ...], words: str) -> None:
    folder = workdir / "p"
    shutil.copytree(template, folder)
    os.chdir(folder)
    result = _run(folder, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("schema-ledger: error: "), result.stderr
    assert words in lines[0], lines[0]
    assert "Traceback" not in result.output
    # Nothing was recorded.
    assert _run(folder, "verify").exit_code == 0
    assert "seq 4," in _run(folder, "status").stdout


