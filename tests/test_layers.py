"""The allowed import directions of docs/design.md ("Layers"), checked by import-linter with the
contracts in pyproject.toml: `ops` never imports `ledger`, and a ledger module imports only from its
own layer and the layers below."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 650


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_layers_name_every_ledger_package() -> None:
    """Every module of ``ledger`` lives in a layer's package (or the contract would not see it);
    at the top sit only the entry points: ``__main__`` and the Alembic hook's public face."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.split(":")}
    packages = {p.name for p in (ROOT / "ledger").iterdir() if (p / "__init__.py").exists()}
    assert packages == placed
    modules = {p.stem for p in (ROOT / "ledger").glob("*.py")}
    assert modules == {"__init__", "__main__", "alembic"}


def test_no_module_is_longer_than_the_limit() -> None:
    """docs/design.md: a module over ~600 lines is split along what it does."""
    sizes = {str(p.relative_to(ROOT)): len(p.read_text().splitlines())
             for folder in ("ledger", "ops") for p in (ROOT / folder).rglob("*.py")}
    assert {path: n for path, n in sizes.items() if n > LIMIT} == {}



# -- one object per database --------------------------------------------------------------------

#: Words that name a database or one of its backends, whatever the registered objects say.
_DATABASE_WORDS = {"sqlite", "postgresql", "postgres", "mysql", "mariadb"}


def _database_words() -> set[str]:
    from ledger import dialects

    return _DATABASE_WORDS | set(dialects.choices()) | set(dialects.backends())


def _names_a_database(node: ast.AST, words: set[str]) -> bool:
    """A string literal naming a database, or a tuple/list/set of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower() in words
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_a_database(e, words) for e in node.elts)
    return False


def database_name_tests(source: str, words: set[str]) -> list[int]:
    """The lines of ``source`` that decide something by a database's name: a comparison (``==``,
    ``!=``, ``in``, ``not in``) with a literal naming one, ``.startswith``/``.endswith`` of one, or
    a dict looked up by them (a literal with a database's name as a key)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
                isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)) for op in node.ops):
            if any(_names_a_database(side, words) for side in (node.left, *node.comparators)):
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("startswith", "endswith") \
                and any(_names_a_database(arg, words) for arg in node.args):
            found.append(node.lineno)
        elif isinstance(node, ast.Dict) and any(k is not None and _names_a_database(k, words) for k in node.keys):
            found.append(node.lineno)
    return sorted(found)


def test_the_name_rule_sees_what_it_forbids() -> None:
    words = _database_words()
    source = (
        'if dialect == "mysql": pass\n'
        'x = name in ("mysql", "mariadb")\n'
        'y = url.startswith("postgres")\n'
        'z = "sqlite" != conn.dialect.name\n'
        'v = {"sqlite": 1, "other": 2}[d]\n'
        'w = d == "payload" or kind in ("apply", "revert")\n'
        '"""A docstring that names mysql and "sqlite"."""\n'
    )
    assert database_name_tests(source, words) == [1, 2, 3, 4, 5]


def test_only_the_database_objects_decide_by_a_database_name() -> None:
    """docs/design.md, "Add a database": what differs per database is an attribute or a method of
    its object in ``ledger/dialects/``; nothing else compares a dialect's name with a literal."""
    words = _database_words()
    offenders: dict[str, list[int]] = {}
    for folder in ("ledger", "ops"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if relative.startswith("ledger/dialects/"):
                continue
            lines = database_name_tests(path.read_text(), words)
            if lines:
                offenders[relative] = lines
    assert offenders == {}



def fixed_example_counts(source: str) -> list[int]:
    """The lines of ``source`` that give a property a fixed ``max_examples`` (a number, or a choice
    between numbers), not one taken from the loaded hypothesis profile."""
    def fixed(node: ast.expr) -> bool:
        if isinstance(node, ast.IfExp):
            return fixed(node.body) and fixed(node.orelse)
        return isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id.isupper())

    return sorted(node.value.lineno for node in ast.walk(ast.parse(source))
                  if isinstance(node, ast.keyword) and node.arg == "max_examples" and fixed(node.value))


def test_the_example_count_rule_sees_what_it_forbids() -> None:
    source = ("@settings(max_examples=10)\n"
              "@settings(max_examples=150 if DEEP else 15)\n"
              "@settings(max_examples=examples(10))\n"
              "@settings(max_examples=max(5, settings.default.max_examples // 4))\n"
              "def f(): pass\n")
    assert fixed_example_counts(source) == [1, 2]


def test_property_tests_take_their_example_counts_from_the_profile() -> None:
    """SCHEMA_LEDGER_HYPOTHESIS (ci, dev, deep) sets how many examples every property draws: a test
    never fixes its own count (tests/examples.py scales one from the profile)."""
    fixed = {path.name: lines for path in sorted((ROOT / "tests").glob("*.py")) if path.name != "conftest.py"
             and (lines := fixed_example_counts(path.read_text(encoding="utf-8")))}  # conftest.py: the profiles
    assert fixed == {}
