"""The guard rails, run by the one test command (README, .ci/run): the layers contracts in
pyproject.toml (`lint-imports`), ruff's lint and format, and `mypy --strict`.

Each runs as its own process from the repository's root, as a developer would run it, so a
failure prints the tool's own report.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
CHECKED = ["src", "tests", "benchmarks"]


def tool(name: str) -> str:
    """The tool installed beside this Python (the test extra installs them)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found is not None, f"{name} is missing: pip install '.[test]'"
    return found


def run(*command: str) -> None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}{result.stderr}"


def test_imports_keep_to_the_layers_contracts() -> None:
    run(tool("lint-imports"), "--no-cache")


def test_ruff_finds_nothing_to_lint() -> None:
    run(tool("ruff"), "check", *CHECKED)


def test_ruff_format_would_change_nothing() -> None:
    run(tool("ruff"), "format", "--check", *CHECKED)


@pytest.mark.slow
def test_mypy_strict_passes() -> None:
    run(tool("mypy"), "--strict", "src")


def test_every_module_has_its_place_in_the_layers() -> None:
    """A new module is placed in pyproject.toml's layers (and ARCHITECTURE.md's picture), so
    the contracts cover it: an unlisted module may import anything."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = (
        contract["layers"]
        for contract in config["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    )
    placed = {name.strip() for layer in layers for name in re.split(r"[|:]", layer)}
    package = ROOT / "src" / "maturity_tui"
    modules = {
        path.stem if path.is_file() else path.name
        for path in package.iterdir()
        if (path.suffix == ".py" and path.stem != "__init__") or (path / "__init__.py").exists()
    }
    assert modules - placed == set(), "place these in [tool.importlinter] layers"
