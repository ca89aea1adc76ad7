"""Nothing headless loads Textual or Rich (DESIGN: the CLI and the core start fast)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

HEADLESS = [
    "maturity_tui.cli",
    "maturity_tui.domain",
    "maturity_tui.scoring",
    "maturity_tui.compare",
    "maturity_tui.storage",
    "maturity_tui.export",
    "maturity_tui.outputs",
    "maturity_tui.launch",
    "maturity_tui.textsafe",
    "maturity_tui.history",
    "maturity_tui.listing",
    "maturity_tui.places",
    "maturity_tui.settings",
    "maturity_tui.collector",
    "maturity_tui.readings",
    "maturity_tui.library_index",
    "maturity_tui.charts",
    "maturity_tui.html_report",
    "maturity_tui.portfolio",
    "maturity_tui.output_schemas",
    "maturity_tui.importers",
]

CHECK = """
import importlib, sys
importlib.import_module({module!r})
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(loaded))
"""


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_module_loads_neither_textual_nor_rich(module: str) -> None:
    # A fresh interpreter: in this one the TUI tests may have loaded Textual already.
    result = subprocess.run(
        [sys.executable, "-c", CHECK.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_cli_commands_run_without_loading_textual() -> None:
    """Scriptable commands, run in-process, leave Textual and Rich unloaded."""
    script = """
import sys
from pathlib import Path
from maturity_tui.cli import main
for argv in (["models"], ["schema", "session"], ["validate", "no-such-file.toml"]):
    main(argv)
print("LOADED:" + ",".join(m for m in sys.modules if m.split(".")[0] in ("textual", "rich")))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "LOADED:", result.stdout[-300:]


def test_a_session_that_does_not_load_is_told_before_textual_loads(tmp_path: Path) -> None:
    """`open` and `new` prepare the session first: a refusal costs no Textual start."""
    script = f"""
import sys
from pathlib import Path
from maturity_tui.cli import main
code = main(["open", "missing.toml", "--sessions-dir", {str(tmp_path)!r}])
print(code, ",".join(m for m in sys.modules if m.split(".")[0] == "textual"))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert result.stdout.split() == ["2"], result.stdout[-300:]
    assert "missing.toml" in result.stderr


def test_a_warm_library_listing_imports_no_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listing a folder the index knows reads only the index: the models, storage and
    scoring (a quarter of a warm start's time to import) load only to read a file again."""
    from maturity_tui import library_index
    from maturity_tui.domain import new_session
    from maturity_tui.storage import find_model, save_session

    folder, cache = tmp_path / "sessions", tmp_path / "cache"
    folder.mkdir()
    session = new_session(
        "apollo-2026-q4", find_model("customer-engagement"), "Apollo", now=datetime.now(UTC)
    )
    save_session(session, folder / "apollo-2026-q4.toml")
    # No window for a change hidden behind an equal file time: a file just written would be
    # hashed again (and so read) until its times are two seconds old.
    monkeypatch.setattr(library_index, "RACY_NS", 0)
    rows = library_index.library(folder, cache).rows
    assert [row.summary.team for row in rows if row.summary] == ["Apollo"]
    script = f"""
import sys
from pathlib import Path
from maturity_tui import library_index
library_index.RACY_NS = 0
rows = library_index.library(Path({str(folder)!r}), Path({str(cache)!r})).rows
print(rows[0].summary.team, ",".join(m for m in sys.modules if m.startswith(
    ("maturity_tui.domain", "maturity_tui.storage", "maturity_tui.scoring", "pydantic"))))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["Apollo"], result.stdout[-300:]


def test_compare_as_json_loads_only_what_it_uses() -> None:
    """`compare --format json` of 1,000 sessions is timed: it imports neither the portfolio,
    nor HTML (Jinja2), the room or the app (the library's index, which keeps each file's
    comparison column, it does)."""
    golden = Path(__file__).parents[1] / "data" / "golden" / "input"
    script = f"""
import sys
from maturity_tui.cli import main
code = main(["compare", "--format", "json", "-o", "-", {str(golden / "apollo-2026-q3.toml")!r}])
unused = ("maturity_tui.portfolio", "maturity_tui.html_report", "maturity_tui.room",
          "maturity_tui.tui", "jinja2", "textual", "rich")
print("LOADED:" + ",".join(m for m in sys.modules if m.startswith(unused)))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "LOADED:", result.stdout[-300:]
