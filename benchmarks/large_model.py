"""A workshop on a 200-indicator model (issue 13): `g` to the drawn jump list, a filter
keystroke, `v` to drawn results and a vote keystroke, each against floors of the same run.

Usage: python benchmarks/large_model.py [--runs 30] [--size 80x24]

The model is the one the Pilot tests and snapshots use (`tests/tui/large_model.py`): 200
indicators in 20 dimensions of 5 groups, with guidance, links and depends_on; 8 people
vote by name. Headless, every figure from the key's press to the first frame written that
shows its effect (wall), and the UI thread's CPU time over that stretch, median and p95:

- floors: a key bound to a no-op (delivered and handled, nothing drawn: press until the
  app is idle again), and `f1`, which pushes the small keys dialog (a screen switch with
  little to draw);
- `g`: the jump list with its 220 rows (200 indicators under 20 dimension and 5 group
  headers), against `f1`; then each keystroke of "verification" filtering it, against
  the no-op key;
- `v`: the results screen (ladder, grid of 20 dimensions in 5 groups, 200 objectives),
  against `f1`;
- a vote: the digit to the frame showing it, against the no-op key (DESIGN: one 16 ms
  frame).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from gen import p95
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widgets import OptionList

from maturity_tui.launch import Opening
from maturity_tui.storage import session_path
from maturity_tui.tui.app import MaturityApp

# The same generated model as the app's tests (no published text in it).
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # its helpers import the tests' own
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "tui"))
from large_model import grouped_large_session

FRAME_MS = 16.0
PARTICIPANTS = [f"P{n}" for n in range(1, 9)]


class BenchApp(MaturityApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        *MaturityApp.BINDINGS,
        Binding("z", "noop", "no-op", show=False),
    ]

    def action_noop(self) -> None:
        """The floor: a key that is delivered and handled, and changes nothing."""


@dataclass
class Frames:
    """When each frame was written, the UI thread's CPU clock then, the screen shown, and
    how many times the jump list had been filtered by then."""

    written: list[tuple[float, float, str, int]] = field(default_factory=list)
    filtered: int = 0

    def watch(self, app: MaturityApp) -> None:
        display = app._display

        def timed_display(*args: Any, **kwargs: Any) -> None:
            display(*args, **kwargs)
            shown = type(app.screen).__name__
            self.written.append((time.perf_counter(), time.thread_time(), shown, self.filtered))

        app._display = timed_display  # type: ignore[method-assign]

    def count_filters(self, listing: OptionList) -> None:
        """A filter keystroke is drawn once the list's new rows are: count their settings."""
        set_options = listing.set_options

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.filtered += 1
            return set_options(*args, **kwargs)

        listing.set_options = counted  # type: ignore[method-assign]

    def first_after(
        self, moment: float, screen: str | None, filtered: int = 0
    ) -> tuple[float, float] | None:
        for when, cpu, shown, count in self.written:
            if when >= moment and (screen is None or shown == screen) and count >= filtered:
                return when, cpu
        return None


Samples = dict[str, tuple[list[float], list[float]]]
"""Per measure: wall times and UI CPU times, in ms."""


async def timed(
    pilot: Pilot[Any], frames: Frames, samples: Samples, name: str, key: str,
    screen: str | None = None,
) -> None:  # fmt: skip
    """Press `key`; from then to the first frame (showing `screen`, if given) written after;
    for the no-op key, which draws nothing, until the app is idle again."""
    filtered = frames.filtered + 1 if name == "filter keystroke" else 0
    started, cpu = time.perf_counter(), time.thread_time()
    await pilot.press(key)
    idle = (time.perf_counter(), time.thread_time())
    await pilot.pause(0.05)  # the frame showing the key's effect has been written by now
    shown = idle if name == "no-op key" else frames.first_after(started, screen, filtered)
    assert shown is not None, f"{name}: no frame was written"
    wall, ui = samples.setdefault(name, ([], []))
    wall.append((shown[0] - started) * 1000)
    ui.append((shown[1] - cpu) * 1000)


async def measure(runs: int, folder: Path, size: tuple[int, int]) -> Samples:
    session = grouped_large_session()
    session.participants = PARTICIPANTS
    path = session_path(folder, session.id)
    app = BenchApp(sessions_dir=folder, opening=Opening(session, path, index=0))
    samples: Samples = {}
    frames = Frames()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        frames.watch(app)
        for _ in range(runs):
            await timed(pilot, frames, samples, "no-op key", "z")
            await timed(pilot, frames, samples, "f1 (keys dialog)", "f1", "KeysDialog")
            await pilot.press("escape")
            await timed(pilot, frames, samples, "g (jump list)", "g", "JumpDialog")
            frames.count_filters(app.screen.query_one(OptionList))
            for letter in "verification":
                await timed(pilot, frames, samples, "filter keystroke", letter)
            await pilot.press("escape")
            await timed(pilot, frames, samples, "v (results)", "v", "ResultsScreen")
            await pilot.press("escape")
            for n in range(len(PARTICIPANTS)):
                await timed(pilot, frames, samples, "vote", str(n % 5 + 1))
            await pilot.press("n")  # everyone has voted: the next indicator, untimed
            await pilot.pause()
        await app.workers.wait_for_complete()
    return samples


def line(name: str, wall: list[float], ui: list[float], floor: str | None, samples: Samples) -> str:
    high = p95(wall)
    text = (
        f"{name:<18} wall median {statistics.median(wall):7.1f} ms  p95 {high:7.1f} ms"
        f"   UI CPU median {statistics.median(ui):6.1f} ms  p95 "
        f"{p95(ui):6.1f} ms"
    )
    if floor is not None:
        floor_wall, floor_ui = samples[floor]
        text += (
            f"   = {statistics.median(wall) / statistics.median(floor_wall):.1f}x wall,"
            f" {statistics.median(ui) / max(statistics.median(floor_ui), 0.01):.1f}x CPU"
            f" of {floor}"
        )
    return text


FLOORS = {
    "no-op key": None,
    "f1 (keys dialog)": None,
    "g (jump list)": "f1 (keys dialog)",
    "filter keystroke": "no-op key",
    "v (results)": "f1 (keys dialog)",
    "vote": "no-op key",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        samples = asyncio.run(measure(args.runs, Path(folder), (width, height)))
    print(f"200 indicators, 20 dimensions, 5 groups, {len(PARTICIPANTS)} people, {args.size}")
    for name, floor in FLOORS.items():
        wall, ui = samples[name]
        print("  " + line(name, wall, ui, floor, samples))
    vote_ui = samples["vote"][1]
    high = p95(vote_ui)
    print(f"  vote UI CPU p95 {high:.1f} ms: {'within' if high <= FRAME_MS else 'OVER'} one frame")


if __name__ == "__main__":
    main()
