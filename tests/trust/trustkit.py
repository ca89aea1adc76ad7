"""Shared helpers of the trust tests: the benchmark scripts as modules, Pilot runs, screen text."""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from textual.app import App
from textual.widgets import DataTable, OptionList, Static

from maturity_tui.domain import Session, new_session
from maturity_tui.storage import find_model
from maturity_tui.tui.widgets.library_table import LibraryTable

ROOT = Path(__file__).parents[2]
BAD = ROOT / "tests" / "data" / "bad"
GOOD = ROOT / "tests" / "data" / "good"


def benchmark(name: str) -> ModuleType:
    """A script of `benchmarks/` imported as a module (the folder is not a package)."""
    module = sys.modules.get(name)
    if module is None:
        folder = str(ROOT / "benchmarks")
        if folder not in sys.path:
            sys.path.append(folder)  # the scripts import each other (`from gen import …`)
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


def screen_text(app: App[Any]) -> str:
    """Everything the current screen shows in its text widgets, tables and lists."""
    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(n).prompt) for n in range(widget.option_count)]
        elif isinstance(widget, DataTable | LibraryTable):
            parts += [
                str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)
            ]
    return "\n".join(parts)


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Poll until the condition holds; False when the time ran out."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


NOW = datetime(2026, 11, 24, 10, 42, 7, tzinfo=UTC)


def a_session(
    team: str = "Apollo", participants: list[str] | None = None, session_id: str = "apollo-2026-q4"
) -> Session:
    """A fresh named session of the built-in model, started at a fixed time."""
    return new_session(
        session_id,
        find_model("customer-engagement"),
        team,
        participants=participants or ["Ana", "Ben", "Caro"],
        period="2026-Q4",
        now=NOW,
    )
