"""The allowed import directions of docs/design.md ("Layers"), checked by import-linter with the
contracts in pyproject.toml: `ops` never imports `ledger`, and a ledger module imports only from its
own layer and the layers below."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_layers_name_every_ledger_module() -> None:
    """A new module must be placed in a layer (or the contract would not see it)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    placed = {name.strip() for layer in layers for name in layer.split(":")}
    modules = {p.stem for p in (ROOT / "ledger").glob("*.py")} | {"dialects"}
    assert modules - placed == {"__init__", "__main__"}
    assert placed <= modules
