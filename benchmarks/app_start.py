"""App start to the first interactive screen with 1,000 sessions, vs a minimal Textual app.

Usage: python benchmarks/app_start.py [--folder DIR] [--runs 7]

Each run is a fresh process (imports included, as a user waits for them), headless at
80x24, timed from launch until its first screen has been painted and takes keys. The budget is
<= 1.3x the minimal app. The home screen loads the sessions in a thread worker and streams
rows in; a third figure is how long the whole list takes to fill, and the slowest key
press while it fills (the list must never block a keystroke).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gen import write_sessions

COUNT = 1000
CHILD = r"""
import sys, time
from pathlib import Path
kind, folder = sys.argv[1], Path(sys.argv[2])
def painted(app):
    # The moment the first screen is on the terminal and takes keys; exiting comes after.
    print(time.time(), flush=True)
    app.exit()
if kind == "minimal":
    from textual.app import App
    from textual.widgets import Footer, Static
    class Minimal(App):
        def compose(self):
            yield Static("hello")
            yield Footer()
        def on_mount(self):
            self.call_after_refresh(painted, self)
    Minimal().run(headless=True, size=(80, 24))
else:
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.tui.screens.home import HomeScreen
    class Timed(MaturityApp):
        def on_mount(self):
            super().on_mount()
            self.set_interval(0.001, self.check_home)
        def check_home(self):
            if isinstance(self.screen, HomeScreen) and self.screen.is_mounted:
                self.call_after_refresh(painted, self)
    Timed(sessions_dir=folder).run(headless=True, size=(80, 24))
"""


def start_once(kind: str, folder: Path) -> float:
    """Seconds from launching the process to its first painted, interactive screen."""
    started = time.time()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(folder)], check=True, capture_output=True
    )
    return float(child.stdout.split()[-1]) - started


async def fill_time(folder: Path) -> tuple[float, float]:
    """Seconds until every row is in, and the slowest key (ms) meanwhile: from sending
    `down` to the table's cursor having moved."""
    from textual.widgets import DataTable

    from maturity_tui.tui.app import MaturityApp

    moved = asyncio.Event()

    class Watched(MaturityApp):
        def on_data_table_row_highlighted(self) -> None:
            moved.set()

    app = Watched(sessions_dir=folder)
    slowest = 0.0
    async with app.run_test(size=(80, 24)) as pilot:
        started = time.perf_counter()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        while table.row_count < COUNT:
            moved.clear()
            pressed = time.perf_counter()
            app.simulate_key("down")
            await asyncio.wait_for(moved.wait(), timeout=30)
            slowest = max(slowest, (time.perf_counter() - pressed) * 1000)
            await asyncio.sleep(0.02)
        filled = time.perf_counter() - started
    return filled, slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="1,000 sessions (made here when missing)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch) / "sessions"
        if len(list(folder.glob("*.toml"))) < COUNT:
            write_sessions(folder, COUNT, 50, 60)
        minimal = [start_once("minimal", folder) for _ in range(args.runs)]
        ours = [start_once("maturity", folder) for _ in range(args.runs)]
        filled, slowest = asyncio.run(fill_time(folder))
    base, app = statistics.median(minimal), statistics.median(ours)
    print(f"{COUNT} sessions of 50 x 60, median of {args.runs} cold starts each, headless 80x24")
    print(f"minimal Textual app  {base * 1000:7.0f} ms")
    print(f"maturity-tui home    {app * 1000:7.0f} ms   ratio {app / base:.2f} (budget 1.30)")
    print(f"session list filled in {filled:.2f} s; slowest key press meanwhile {slowest:.0f} ms")


if __name__ == "__main__":
    main()
