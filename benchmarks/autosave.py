"""One autosave of a 50 x 60 session: the UI thread's share, the worker's, and proof that the
UI never waits for the disk.

Usage: python benchmarks/autosave.py [--saves 100] [--keys 40] [--slow-fsync-ms 200]

1. Without Textual, `--saves` times, median and worst against one 16 ms frame:
   - UI side: a snapshot (`Saver.snapshots.take`: the ratings that changed since the last
     one, here one vote each time, as a keystroke makes) and `Saver.offer`;
   - worker: validating the snapshot and dumping it as TOML (`Saver.toml`, which reuses
     the text of the tables the snapshot shares with the last one), then the atomic write
     (temp file, fsync, rename, fsync of the folder); this runs in a thread, off the UI,
     once the frame showing the change is drawn.
2. The app (headless Pilot, 120x40) on that session with every fsync slowed to
   `--slow-fsync-ms`: `--keys` vote keys, each timed from the key press to its change in
   the workshop, and the event loop's worst stall meanwhile (a 5 ms ticker). If a save ran
   on the UI thread, each key would take the slowed fsync's time; instead the keys keep
   coming within a frame while the worker coalesces them into a few saves.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from gen import open_rounds, synthetic_model, synthetic_session

from maturity_tui import storage
from maturity_tui.domain import Session
from maturity_tui.launch import Opening
from maturity_tui.storage import load_session, session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.autosave import Saver

FRAME_MS = 16.0


def bench_session() -> Session:
    session = synthetic_session(1, synthetic_model(60), 50, random.Random(7))
    session.status = "in-progress"
    return session


def line(name: str, samples: list[float]) -> str:
    median, worst = statistics.median(samples), max(samples)
    return (
        f"{name:<28} median {median:7.2f} ms  worst {worst:7.2f} ms  "
        f"= {median / FRAME_MS:5.2f} frame (median)"
    )


def measure_one_save(saves: int, folder: Path) -> dict[str, list[float]]:
    session = bench_session()
    path = session_path(folder, session.id)
    saver = Saver(path)
    times: dict[str, list[float]] = {"UI: snapshot + offer": [], "worker: validate + dump": []}
    times["worker: atomic write"] = []
    voter = session.participants[0]
    for revision in range(saves):
        rating = session.ratings[revision % len(session.ratings)]
        assert isinstance(rating.votes, dict)
        rating.votes[voter] = revision % 5 + 1  # a vote, as a keystroke casts it
        started = time.perf_counter()
        data = saver.snapshots.take(session)
        saver.offer(data, revision)
        handed = time.perf_counter()
        saver.take()
        text = storage.dumps_session_data(data, saver.toml.dumps)
        dumped = time.perf_counter()
        storage.atomic_write(path, text)
        written = time.perf_counter()
        times["UI: snapshot + offer"].append((handed - started) * 1000)
        times["worker: validate + dump"].append((dumped - handed) * 1000)
        times["worker: atomic write"].append((written - dumped) * 1000)
    # The worker's whole path once more, as the app runs it, to check it writes what it should.
    storage.save_session_data(saver.snapshots.take(session), path)
    assert load_session(path) == session
    return times


async def keys_during_slow_saves(keys: int, slow_ms: float, folder: Path) -> dict[str, object]:
    session = bench_session()
    open_rounds(session, 30)
    path = session_path(folder, session.id)
    app = MaturityApp(sessions_dir=folder, opening=Opening(session, path, index=30))
    real_fsync = os.fsync
    fsyncs: list[float] = []

    def slow_fsync(fd: int) -> None:
        if slow_ms:
            time.sleep(slow_ms / 1000)
        fsyncs.append(time.perf_counter())
        real_fsync(fd)

    storage.os.fsync = slow_fsync  # type: ignore[assignment]
    latencies: list[float] = []
    stalls: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert app.workshop is not None
            changed: list[float] = []
            app.workshop.on_change.append(lambda: changed.append(time.perf_counter()))
            running = True

            async def ticker() -> None:
                while running:
                    before = time.perf_counter()
                    await asyncio.sleep(0.005)
                    stalls.append((time.perf_counter() - before) * 1000 - 5)

            tick = asyncio.create_task(ticker())
            rng = random.Random(3)
            first_fsync = len(fsyncs)
            busy = 0
            for _ in range(keys):
                changed.clear()
                started = time.perf_counter()
                await pilot.press(str(rng.randint(1, 5)))
                if changed:
                    latencies.append((changed[0] - started) * 1000)
                busy += app.saver is not None and app.saver.dirty
            running = False
            await tick
            await app.workers.wait_for_complete()
            await pilot.pause()
            wanted = app.workshop.session.model_dump(mode="json")
    finally:
        storage.os.fsync = real_fsync  # type: ignore[assignment]
    on_disk = load_session(path).model_dump(mode="json")
    return {
        "latencies": latencies,
        "worst stall": max(stalls),
        "keys with a save in flight": busy,
        "saves": (len(fsyncs) - first_fsync) // 2,  # two fsyncs per save: file and folder
        "saved the latest": on_disk == wanted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=100)
    parser.add_argument("--keys", type=int, default=40)
    parser.add_argument("--slow-fsync-ms", type=float, default=200.0)
    args = parser.parse_args()
    if args.slow_fsync_ms <= 0:
        parser.error("--slow-fsync-ms must be above 0")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        times = measure_one_save(args.saves, folder)
        size = next(folder.glob("*.toml")).stat().st_size
        print(f"One autosave of a 50 x 60 session ({size / 1024:.1f} KB), {args.saves} saves:")
        for name, samples in times.items():
            print("  " + line(name, samples))
        worker = [a + b for a, b in zip(*list(times.values())[1:], strict=True)]
        print("  " + line("worker: whole save", worker))
        runs = {
            "fsync as is": asyncio.run(keys_during_slow_saves(args.keys, 0.0, folder)),
            f"fsync + {args.slow_fsync_ms:.0f} ms": asyncio.run(
                keys_during_slow_saves(args.keys, args.slow_fsync_ms, folder)
            ),
        }
    print(f"\nThe app, {args.keys} vote keys (key press to its change in the workshop):")
    for name, result in runs.items():
        latencies: list[float] = result["latencies"]  # type: ignore[assignment]
        print(f"  {line(name, latencies)}  worst loop stall {result['worst stall']:6.2f} ms")
        print(
            f"  {'':<28} keys pressed during a save: {result['keys with a save in flight']}"
            f" of {args.keys}; saves written: {result['saves']}; latest state on disk: "
            f"{result['saved the latest']}"
        )
    slow: list[float] = list(runs.values())[1]["latencies"]  # type: ignore[assignment]
    waited = max(slow) >= args.slow_fsync_ms
    print(f"  the UI thread waited on the disk: {'YES' if waited else 'no'}")


if __name__ == "__main__":
    main()
