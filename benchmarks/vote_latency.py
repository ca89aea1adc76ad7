"""A vote keystroke to the updated voting screen at several sizes (budget: p95 within 16 ms).

Usage: python benchmarks/vote_latency.py [--votes 300] [--shapes 8x20,50x60,100x60,50x200]

Shapes are participants x indicators: the realistic workshop, the large one, a hundred
people, and a 200-indicator model.

Figures, each as median and worst over the run (headless, 120x40):
- to frame: from the vote's key binding starting to run until the compositor has written
  the frame that shows it (the vote, the autosave hand-over, the widget updates, waiting
  for Textual's next refresh tick, the repaint): what the room sees;
- UI CPU: the UI thread's CPU time over that same stretch: the work a vote costs the
  frame, whatever else runs on the machine (on a busy shared machine "to frame" mostly
  measures waiting for a core);
- handler: the vote action alone (cast, snapshot for autosave, widget updates);
- press / no-op: `await pilot.press(key)` until the app is idle again, for a digit and for a
  key bound to a no-op in the same run; their difference is the vote's share of a Pilot
  round trip (which also waits for the autosave worker's share of the GIL).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, ClassVar

from gen import open_rounds, synthetic_model, synthetic_session
from textual.binding import Binding, BindingType

from maturity_tui.launch import Opening
from maturity_tui.storage import session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.voting import VotingScreen

FRAME_MS = 16.0


class BenchApp(MaturityApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        *MaturityApp.BINDINGS,
        Binding("z", "noop", "no-op", show=False),
    ]

    def action_noop(self) -> None:
        """The floor: a key that is delivered and handled, and changes nothing."""


Handled = list[tuple[float, float, float]]
"""When each vote's handler started and ended, and the UI thread's CPU clock at its start."""


def instrument(app: MaturityApp, screen: VotingScreen) -> tuple[Handled, list[tuple[float, float]]]:
    """Record when each vote's handler starts and ends, and when each frame is written:
    a vote's keystroke-to-frame time is from its start to the first frame after its end."""
    handled: Handled = []
    frames: list[tuple[float, float]] = []
    vote, display = screen.action_vote, app._display

    def timed_vote(position: int) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        vote(position)
        handled.append((started, time.perf_counter(), cpu))

    def timed_display(*args: Any, **kwargs: Any) -> None:
        display(*args, **kwargs)
        frames.append((time.perf_counter(), time.thread_time()))

    screen.action_vote = timed_vote  # type: ignore[method-assign]
    app._display = timed_display  # type: ignore[method-assign]
    return handled, frames


def summary(name: str, samples: list[float]) -> str:
    median, worst = statistics.median(samples), max(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    verdict = "within" if p95 <= FRAME_MS else "OVER"
    return (
        f"{name:<9} median {median:6.2f} ms   p95 {p95:6.2f} ms   worst {worst:6.2f} ms"
        f"   (p95 {verdict} one frame)"
    )


async def measure(
    votes: int, folder: Path, participants: int = 50, indicators: int = 60
) -> dict[str, list[float]]:
    rng = random.Random(7)
    session = synthetic_session(1, synthetic_model(indicators), participants, rng)
    session.status = "in-progress"
    open_rounds(session, 30)
    path = session_path(folder, session.id)
    opening = Opening(session, path, index=indicators // 2)
    app = BenchApp(sessions_dir=folder, opening=opening)
    timings: dict[str, list[float]] = {
        "to frame": [],
        "UI CPU": [],
        "handler": [],
        "press": [],
        "no-op": [],
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, VotingScreen)
        handled, frames = instrument(app, screen)
        for n in range(votes):
            started = time.perf_counter()
            await pilot.press(str(n % 5 + 1))
            timings["press"].append((time.perf_counter() - started) * 1000)
            await pilot.pause(0.02)  # the frame showing the vote has been written by now
            began, ended, cpu = handled[-1]
            shown, shown_cpu = next(frame for frame in frames if frame[0] >= ended)
            timings["to frame"].append((shown - began) * 1000)
            timings["UI CPU"].append((shown_cpu - cpu) * 1000)
            timings["handler"].append((ended - began) * 1000)
            started = time.perf_counter()
            await pilot.press("z")
            timings["no-op"].append((time.perf_counter() - started) * 1000)
            if app.workshop is not None and app.workshop.highlighted is None:
                await pilot.press("n")  # all 50 have voted: on to the next round, untimed
        await app.workers.wait_for_complete()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=300)
    parser.add_argument("--shapes", default="8x20,50x60,100x60,50x200")
    args = parser.parse_args()
    for shape in args.shapes.split(","):
        participants, indicators = (int(n) for n in shape.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            timings = asyncio.run(measure(args.votes, Path(folder), participants, indicators))
        print(f"{args.votes} votes, {participants} participants x {indicators} indicators")
        for name, samples in timings.items():
            print("  " + summary(name, samples))


if __name__ == "__main__":
    main()
