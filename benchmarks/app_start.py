"""App start to the first interactive screen with 1,000 sessions, vs a minimal Textual app;
then the library filling in at 100, 1,000 and 5,000 sessions, cold and warm.

Usage: python benchmarks/app_start.py [--runs 7] [--counts 100,1000,5000]
           [--participants 8] [--indicators 20] [--base DIR]

Each start is a fresh process (imports included, as a user waits for them), headless at
80x24, timed from launch until its first screen has been painted and takes keys: the app
made directly, and as the command `maturity-tui --sessions-dir FOLDER` starts it (its
settings resolved; no config file), with the folder's index made beforehand (a returning
coach's start). The three kinds are started in turn. The budget is
<= 1.3x the minimal app. The home screen reads the library's index in a thread worker and
streams rows in; the next figures are how long the whole list takes to fill, cold (no index
yet: every file is read) and warm (the index checked against each file's size and times),
and the keys pressed meanwhile (median, p95, slowest: the list must never block a key).
DESIGN's budgets: complete within 1 s at 1,000 realistic sessions and 3 s at 5,000 cold,
0.5 s at 5,000 warm.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gen import cached_sessions, compile_bytecode, p95

from maturity_tui.library_index import CACHE_ENV, library
from maturity_tui.places import CONFIG_ENV

START_COUNT = 1000
KEY_EVERY = 0.1
CHILD = r"""
import sys, time
from pathlib import Path
kind, folder = sys.argv[1], Path(sys.argv[2])
told = []
def painted(app):
    # The moment the first screen is on the terminal and takes keys; exiting comes after
    # (the check below may ask again before the exit lands: only the first time counts).
    if not told:
        told.append(True)
        print(time.time(), time.process_time(), flush=True)
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
    import maturity_tui.tui.app as app_module
    from maturity_tui.tui.screens.home import HomeScreen
    class Timed(app_module.MaturityApp):
        def on_mount(self):
            super().on_mount()
            self.set_interval(0.001, self.check_home)
        def check_home(self):
            if isinstance(self.screen, HomeScreen) and self.screen.is_mounted:
                self.call_after_refresh(painted, self)
        def run(self, **options):
            return super().run(headless=True, size=(80, 24))
    if kind == "command":  # as `maturity-tui --sessions-dir FOLDER` starts it: settings too
        from maturity_tui.cli import main
        app_module.MaturityApp = Timed
        main(["--sessions-dir", str(folder)])
    else:
        Timed(sessions_dir=folder).run()
"""


def start_once(kind: str, folder: Path) -> tuple[float, float]:
    """Seconds from launching the process to its first painted, interactive screen, and the
    process's CPU seconds until then."""
    started = time.time()
    child = subprocess.run(
        [sys.executable, "-c", CHILD, kind, str(folder)], check=True, capture_output=True
    )
    painted, cpu = child.stdout.split()[:2]
    return float(painted) - started, float(cpu)


async def fill_time(folder: Path, count: int) -> tuple[float, float, float, list[float], float]:
    """Seconds until every row is in (wall, CPU of the whole process, and CPU of the worker
    processes a cold scan reads files in), each key's time (ms) meanwhile: from sending
    `down` (`up` on the last row) to the table's cursor having moved to another row, and when
    the first key was sent (seconds; keys start as soon as the table has two rows)."""
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.tui.screens.home import HomeScreen
    from maturity_tui.tui.widgets.library_table import LibraryTable

    moved = asyncio.Event()

    class Watched(MaturityApp):
        def on_library_table_highlighted(self) -> None:
            moved.set()

    app = Watched(sessions_dir=folder)
    keys: list[float] = []
    first_key = 0.0
    async with app.run_test(size=(80, 24)):
        started, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
        # Not `pilot.pause()`: it waits for the process to be idle, which it is not until a
        # cold scan read in this process is nearly done (no key at 1,000 sessions, then).
        while not (isinstance(app.screen, HomeScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.005)
        table = app.screen.query_one(LibraryTable)
        while table.row_count < count:
            if table.row_count < 2:  # no other row to move to yet
                await asyncio.sleep(0.01)
                continue
            moved.clear()
            pressed = time.perf_counter()
            first_key = first_key or pressed - started
            at_bottom = table.cursor_row == table.row_count - 1
            app.simulate_key("up" if at_bottom else "down")
            await asyncio.wait_for(moved.wait(), timeout=60)
            took = time.perf_counter() - pressed
            keys.append(took * 1000)
            # A key every KEY_EVERY seconds, as a person presses them: the process's CPU then
            # pays for the same number of keys however fast each is answered.
            await asyncio.sleep(max(0.0, KEY_EVERY - took))
        filled, cpu = time.perf_counter() - started, time.process_time() - cpu
        await app.workers.wait_for_complete()  # the scan's worker processes end after its rows
        workers = children_cpu() - workers
    return filled, cpu, workers, keys, first_key


def children_cpu() -> float:
    """CPU seconds of this process's ended children (0 on Windows, which does not say)."""
    times = os.times()
    return times.children_user + times.children_system


def keys_line(keys: list[float], first_key: float) -> str:
    if len(keys) < 2:
        return f"{len(keys)} key(s) meanwhile"
    high = p95(keys)
    return (
        f"{len(keys)} keys meanwhile from {first_key:.2f} s: median "
        f"{statistics.median(keys):.1f} ms, p95 {high:.1f} ms, slowest {max(keys):.0f} ms"
    )


def library_figures(paths: list[Path], cache: Path) -> None:
    """Cold (an empty cache folder), then warm (the index the cold run left)."""
    folder, count = paths[0].parent, len(paths)
    os.environ[CACHE_ENV] = str(cache / folder.name)
    for kind in ("cold", "warm"):
        filled, cpu, workers, keys, first_key = asyncio.run(fill_time(folder, count))
        print(
            f"  {count:>5} sessions, {kind}: list complete in {filled:5.2f} s "
            f"(CPU {cpu:5.2f} s + workers {workers:5.2f} s); {keys_line(keys, first_key)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--counts", default="100,1000,5000")
    parser.add_argument("--participants", type=int, default=8)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "maturity-bench")
    args = parser.parse_args()
    compile_bytecode()
    shape = (args.participants, args.indicators)
    with tempfile.TemporaryDirectory() as cache:
        os.environ[CACHE_ENV] = cache
        folder = cached_sessions(START_COUNT, *shape, args.base)[0].parent
        # No config file of the machine's user: the defaults. The index made beforehand, as
        # a coach who used the app before finds it (a first start reads the files behind the
        # first screen: the library's figures below time that).
        os.environ[CONFIG_ENV] = str(Path(cache) / "config.toml")
        library(folder)
        kinds = ("minimal", "maturity", "command")
        # Taken in turn, so that a change in the machine's load weighs on each alike.
        starts = [[start_once(kind, folder) for kind in kinds] for _ in range(args.runs)]
        print(f"{START_COUNT} sessions of {shape[0]} x {shape[1]}, median of {args.runs} starts")
        for what, pick in (("wall", 0), ("CPU", 1)):
            base, app, command = (
                statistics.median(start[n][pick] for start in starts) for n in range(3)
            )
            print(
                f"{what:>4}: minimal Textual app {base * 1000:5.0f} ms, maturity-tui home "
                f"{app * 1000:5.0f} ms, ratio {app / base:.2f} (budget 1.30); "
                f"as the command {command * 1000:5.0f} ms, ratio {command / base:.2f}"
            )
        print("the library, headless 80x24 (budgets: 1 s at 1,000, 3 s at 5,000; warm 0.5 s):")
        for count in (int(c) for c in args.counts.split(",")):
            library_figures(cached_sessions(count, *shape, args.base), Path(cache))


if __name__ == "__main__":
    main()
