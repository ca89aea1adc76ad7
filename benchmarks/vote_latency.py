"""A vote keystroke to the updated voting screen, 50 participants x 60 indicators (budget: 16 ms).

Usage: python benchmarks/vote_latency.py [--votes 300]

Figures, each as median and worst over the run (headless, 120x40):
- to frame: from the vote's key binding starting to run until the compositor has written
  the frame that shows it (the vote, the autosave hand-over, the widget updates, waiting
  for Textual's next refresh tick, the repaint): what the room sees;
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

from gen import synthetic_model, synthetic_session
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


Handled = list[tuple[float, float]]
"""When each vote's handler started and ended."""


def instrument(app: MaturityApp, screen: VotingScreen) -> tuple[Handled, list[float]]:
    """Record when each vote's handler starts and ends, and when each frame is written:
    a vote's keystroke-to-frame time is from its start to the first frame after its end."""
    handled: Handled = []
    frames: list[float] = []
    vote, display = screen.action_vote, app._display

    def timed_vote(position: int) -> None:
        started = time.perf_counter()
        vote(position)
        handled.append((started, time.perf_counter()))

    def timed_display(*args: Any, **kwargs: Any) -> None:
        display(*args, **kwargs)
        frames.append(time.perf_counter())

    screen.action_vote = timed_vote  # type: ignore[method-assign]
    app._display = timed_display  # type: ignore[method-assign]
    return handled, frames


def summary(name: str, samples: list[float]) -> str:
    median, worst = statistics.median(samples), max(samples)
    p95 = statistics.quantiles(samples, n=20)[-1]
    verdict = "within" if median <= FRAME_MS else "OVER"
    return (
        f"{name:<9} median {median:6.2f} ms   p95 {p95:6.2f} ms   worst {worst:6.2f} ms"
        f"   (median {verdict} one frame)"
    )


async def measure(votes: int, folder: Path) -> dict[str, list[float]]:
    rng = random.Random(7)
    session = synthetic_session(1, synthetic_model(60), 50, rng)
    session.status = "in-progress"
    path = session_path(folder, session.id)
    app = BenchApp(sessions_dir=folder, opening=Opening(session, path, index=30))
    timings: dict[str, list[float]] = {"to frame": [], "handler": [], "press": [], "no-op": []}
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
            began, ended = handled[-1]
            shown = next(t for t in frames if t >= ended)
            timings["to frame"].append((shown - began) * 1000)
            timings["handler"].append((ended - began) * 1000)
            started = time.perf_counter()
            await pilot.press("z")
            timings["no-op"].append((time.perf_counter() - started) * 1000)
        await app.workers.wait_for_complete()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        timings = asyncio.run(measure(args.votes, Path(folder)))
    print(f"{args.votes} votes, 50 participants x 60 indicators, 120x40, headless")
    for name, samples in timings.items():
        print(summary(name, samples))


if __name__ == "__main__":
    main()
