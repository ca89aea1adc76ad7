"""A vote keystroke to the updated voting screen at several sizes, and while the library fills
(budget: p95 within one 16 ms frame).

Usage: python benchmarks/vote_latency.py [--votes 300] [--shapes 8x20,50x60,100x60,50x200]
           [--filling 5000] [--base DIR] [--gc]

Shapes are participants x indicators: the realistic workshop, the large one, a hundred
people, and a 200-indicator model. `--filling N` (0: skip) then times votes on a 50 x 60
session opened while the home screen reads a folder of N realistic 8 x 20 sessions cold
(an empty index cache: every file is read), only the votes cast while that scan still runs.

Figures, each as median, p95 and worst over the run (headless, 120x40):
- to frame: from the vote's key binding starting to run until the frame that shows it has
  been composed and rendered to the escape sequences a terminal would get (headless mode
  skips that last step; it is done here so that the figure is a terminal's): the vote, the
  autosave hand-over, the widget updates, waiting for Textual's refresh, the repaint;
- UI CPU: the UI thread's CPU time over that same stretch: the work a vote costs the frame,
  whatever else runs on the machine (on a busy shared machine "to frame" mostly measures
  waiting for a core, or for the GIL held by a worker thread);
- handler: the vote action alone (cast, snapshot for autosave, widget updates);
- press / no-op: `await pilot.press(key)` until the app is idle again, for a digit and for a
  key bound to a no-op in the same run: the floor of a Pilot round trip on this machine.
A vote whose frame does not come within a second is counted as "drew nothing" and left out.
`--gc` adds the collector's runs (gc.callbacks) over the votes, by generation, and their time.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from gen import cached_sessions, open_rounds, p95, synthetic_model, synthetic_session
from textual import events
from textual.binding import Binding, BindingType
from textual.worker import WorkerState

from maturity_tui.launch import Opening
from maturity_tui.library_index import CACHE_ENV
from maturity_tui.storage import session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.workshop import Workshop

FRAME_MS = 16.0
FRAME_WAIT = 1.0
"""Seconds a vote's frame may take before the vote counts as having drawn nothing."""
KEY_EVERY = 0.1
"""While the library fills, a vote key every this many seconds, as a person types them."""
FILLING_SHAPE = (8, 20)
"""The library's sessions while it fills: the realistic shape."""


class BenchApp(MaturityApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        *MaturityApp.BINDINGS,
        Binding("z", "noop", "no-op", show=False),
    ]

    def action_noop(self) -> None:
        """The floor: a key that is delivered and handled, and changes nothing."""


@dataclass
class Frames:
    """When each vote's handler ran, and when each frame was written (wall, UI thread CPU)."""

    handled: list[tuple[float, float, float]] = field(default_factory=list)
    """Per vote: its handler's start and end, and the UI thread's CPU clock at its start."""
    written: list[tuple[float, float]] = field(default_factory=list)

    def after(self, moment: float) -> tuple[float, float] | None:
        return next((frame for frame in self.written if frame[0] >= moment), None)


def instrument(app: MaturityApp, screen: VotingScreen) -> Frames:
    """Record when each vote's handler starts and ends, and when each frame is written:
    a vote's keystroke-to-frame time is from its start to the first frame after its end."""
    frames = Frames()
    vote, display = screen.action_vote, app._display

    def timed_vote(position: int) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        vote(position)
        frames.handled.append((started, time.perf_counter(), cpu))

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            # What a terminal driver would do with the update; headless mode skips it.
            renderable.render_segments(app.console)
            frames.written.append((time.perf_counter(), time.thread_time()))

    screen.action_vote = timed_vote  # type: ignore[method-assign]
    app._display = timed_display  # type: ignore[method-assign]
    return frames


class Collections:
    """The collector's runs, by generation, and the wall time each took (gc.callbacks)."""

    def __init__(self) -> None:
        self.runs: list[tuple[int, float, int]] = []
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            took = (time.perf_counter() - self._started) * 1000
            self.runs.append((info["generation"], took, info["collected"]))

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> str:
        parts = []
        for generation in range(3):
            times = [took for gen, took, _ in self.runs if gen == generation]
            freed = sum(n for gen, _, n in self.runs if gen == generation)
            worst = f", worst {max(times):.1f} ms" if times else ""
            parts.append(f"gen {generation}: {len(times)} ({freed} objects freed{worst})")
        return "collections " + "; ".join(parts)


def summary(name: str, samples: list[float]) -> str:
    if len(samples) < 2:
        return f"{name:<9} {len(samples)} sample(s)"
    median, worst = statistics.median(samples), max(samples)
    high = p95(samples)
    verdict = "within" if high <= FRAME_MS else "OVER"
    return (
        f"{name:<9} median {median:6.2f} ms   p95 {high:6.2f} ms   worst {worst:6.2f} ms"
        f"   (p95 {verdict} one frame)"
    )


def bench_opening(folder: Path, participants: int, indicators: int) -> Opening:
    """A workshop on a session of the shape, its later rounds still to be voted."""
    rng = random.Random(7)
    session = synthetic_session(1, synthetic_model(indicators), participants, rng)
    session.status = "in-progress"
    open_rounds(session, indicators // 2)
    path = session_path(folder, session.id)
    return Opening(session, path, index=indicators // 2)


Timings = dict[str, list[float]]


def next_round(workshop: Workshop, first: int) -> None:
    """On to the next indicator, back to the first voted here after the last, and a re-vote
    where the votes are already in: there is always a round to vote on."""
    if not workshop.next():
        workshop.go(first)
    if workshop.revealed:
        workshop.revote()


async def time_votes(
    app: BenchApp, pilot: Any, votes: int, going: Callable[[], bool] | None = None
) -> tuple[Timings, int, Collections]:
    """`votes` votes on the open workshop, each timed to its frame; and how many drew nothing.

    With `going`, only while it holds, and the keys are sent as a person types them (one every
    KEY_EVERY seconds) instead of Pilot round trips: a Pilot press waits for the process to be
    idle, which it never is while the library is read in a thread.
    """
    screen = app.screen
    assert isinstance(screen, VotingScreen) and app.workshop is not None
    frames = instrument(app, screen)
    first = app.workshop.index
    timings: Timings = {name: [] for name in ("to frame", "UI CPU", "handler")}
    if going is None:
        timings |= {"press": [], "no-op": []}
    drew_nothing = 0
    with Collections() as collections:
        for n in range(votes):
            if going is not None and not going():
                break
            started = time.perf_counter()
            handled = len(frames.handled)
            if going is None:
                await pilot.press(str(n % 5 + 1))
                timings["press"].append((time.perf_counter() - started) * 1000)
            else:
                app.post_message(events.Key(str(n % 5 + 1), str(n % 5 + 1)))
            deadline = time.perf_counter() + FRAME_WAIT
            # Wait for the frame, not a fixed time: a loaded machine may take long to draw.
            while len(frames.handled) == handled and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            shown = None
            if len(frames.handled) > handled:
                began, ended, cpu = frames.handled[-1]
                while (shown := frames.after(ended)) is None and time.perf_counter() < deadline:
                    await asyncio.sleep(0.001)
            if shown is None:
                drew_nothing += 1
            else:
                timings["to frame"].append((shown[0] - began) * 1000)
                timings["UI CPU"].append((shown[1] - cpu) * 1000)
                timings["handler"].append((ended - began) * 1000)
            if app.workshop is not None and app.workshop.highlighted is None:
                # Everyone has voted: on to the next round, untimed, and drawn before the next
                # key, as when the room talks before voting (else that vote's frame waits for
                # the new indicator's, which Textual draws at most 60 times a second).
                next_round(app.workshop, first)
            if going is None:
                started = time.perf_counter()
                await pilot.press("z")
                timings["no-op"].append((time.perf_counter() - started) * 1000)
            else:
                await asyncio.sleep(max(0.0, started + KEY_EVERY - time.perf_counter()))
    return timings, drew_nothing, collections


async def measure(
    votes: int, folder: Path, participants: int = 50, indicators: int = 60
) -> tuple[Timings, int, Collections]:
    opening = bench_opening(folder, participants, indicators)
    app = BenchApp(sessions_dir=folder, opening=opening)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        result = await time_votes(app, pilot, votes)
        await app.workers.wait_for_complete()
    return result


def scanning(app: MaturityApp) -> bool:
    """The home screen's scan of the sessions folder is still running."""
    return any(
        worker.group == "scan" and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for worker in app.workers
    )


SETTLED = 0.05
"""A screen with no frame for this long (three frame times) is drawn and settled."""


async def drawn_and_settled(app: MaturityApp) -> None:
    """Until the screen shown has been drawn, and then drawn nothing new for SETTLED seconds:
    its first frames lay it out (at 50 x 60, 40-90 ms while the library fills) and build its
    footer's keys, and a vote typed meanwhile would be timed against the screen's opening,
    which no one can vote on before seeing it."""
    written: list[float] = []
    display = app._display

    def recorded(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None:
            written.append(time.perf_counter())

    app._display = recorded  # type: ignore[method-assign]
    try:
        while not written or time.perf_counter() - written[-1] < SETTLED:
            await asyncio.sleep(0.005)
    finally:
        app._display = display  # type: ignore[method-assign]


async def measure_filling(
    votes: int, library: Path, folder: Path
) -> tuple[Timings, int, Collections, str]:
    """Votes on a 50 x 60 workshop opened while the library's cold scan runs behind it."""
    app = BenchApp(sessions_dir=library)
    async with app.run_test(size=(120, 40)) as pilot:
        started = time.perf_counter()
        while not scanning(app):  # the home screen starts its scan after its first paint
            await asyncio.sleep(0.005)
        app.open_workshop(bench_opening(folder, 50, 60))
        # Until the workshop is drawn and settled, as a person sees it before voting; not
        # `pilot.pause()`: it waits for the process to be idle, which it is not while a scan
        # reads files in this process (all the while), and no vote would be timed.
        while not (isinstance(app.screen, VotingScreen) and app.screen.is_mounted):
            await asyncio.sleep(0.005)
        await drawn_and_settled(app)
        opened = time.perf_counter() - started
        timings, drew_nothing, collections = await time_votes(
            app, pilot, votes, going=lambda: scanning(app)
        )
        voted = time.perf_counter() - started
        while scanning(app):
            await asyncio.sleep(0.05)
        filled = time.perf_counter() - started
        await app.workers.wait_for_complete()
    note = (
        f"opened at {opened:.2f} s; votes until {voted:.2f} s, all while the scan ran; "
        f"the scan ended at {filled:.2f} s"
    )
    return timings, drew_nothing, collections, note


def report(title: str, result: tuple[Timings, int, Collections], with_gc: bool) -> None:
    timings, drew_nothing, collections = result
    timed = len(timings["to frame"])
    print(f"{title}: {timed} timed (load average {os.getloadavg()[0]:.1f})")
    for name, samples in timings.items():
        print("  " + summary(name, samples))
    if drew_nothing:
        print(f"  {drew_nothing} vote(s) drew nothing within {FRAME_WAIT:.0f} s")
    if with_gc:
        print("  " + collections.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=300)
    parser.add_argument("--shapes", default="8x20,50x60,100x60,50x200")
    parser.add_argument("--filling", type=int, default=5000)
    parser.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "maturity-bench")
    parser.add_argument("--gc", action="store_true", help="count the collector's runs")
    args = parser.parse_args()
    for shape in filter(None, args.shapes.split(",")):
        participants, indicators = (int(n) for n in shape.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            result = asyncio.run(measure(args.votes, Path(folder), participants, indicators))
        title = f"{args.votes} votes, {participants} participants x {indicators} indicators"
        report(title, result, args.gc)
    if args.filling:
        library = cached_sessions(args.filling, *FILLING_SHAPE, args.base)[0].parent
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as folder:
            os.environ[CACHE_ENV] = cache  # empty: the scan reads every file
            *result, note = asyncio.run(measure_filling(args.votes, library, Path(folder)))
        shape = "x".join(map(str, FILLING_SHAPE))
        title = f"50 x 60 votes while {args.filling} sessions of {shape} fill the library cold"
        report(title, (result[0], result[1], result[2]), args.gc)
        print(f"  {note}")


if __name__ == "__main__":
    main()
