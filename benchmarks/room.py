"""Benchmark: 30 devices vote at once on each of 20 indicators through the room server.

Reports, per vote (median and worst): PUT sent -> the vote in the workshop's state (what the
facilitator's screen draws from), -> the vote on disk (the autosave that wrote it finished),
-> the 204 back at the device. Also the event loop's lag during the storms: a facilitator's
keystroke waits at least that long before the app sees it (DESIGN: one 16 ms frame).

Each device comes from its own 127.0.0.x address, as phones on a LAN do, so the per-address
request budget applies as it would in a room, and follows the room's event stream as the
page does.

Then the same storms against the app itself (headless `run_test`, 120x40, the room opened
as `--join` does), while the facilitator types the votes of five people without a device
(digit keys, one every 20 ms): their keystroke to the frame that shows it (measured as in
vote_latency.py), PUT -> the frame that shows the device's vote, PUT -> on disk.

Usage: python benchmarks/room.py [--devices 30] [--rounds 20] [--dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import ClientSession, ClientTimeout, TCPConnector

from maturity_tui.domain import new_session
from maturity_tui.room.workshop_host import open_room
from maturity_tui.storage import find_model, load_session
from maturity_tui.workshop import Workshop

if TYPE_CHECKING:
    from maturity_tui.domain import Session
    from maturity_tui.launch import RoomOptions

# The tests' helpers: roomkit's caddy(), and the autosave of a workshop with no app.
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "room"))
from headless_autosave import HeadlessAutosave

TICK = 0.002
FOREVER = ClientTimeout(total=None)


class VoteWatch:
    """Notes when each participant's vote first shows in the workshop, and at which revision."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.seen: dict[tuple[str, str], tuple[float, int]] = {}
        workshop.on_change.append(self._changed)

    def _changed(self) -> None:
        rating = self.workshop.rating
        if rating is None or not isinstance(rating.votes, dict):
            return
        now = time.perf_counter()
        for name in rating.votes:
            self.seen.setdefault((self.workshop.indicator.id, name), (now, self.workshop.revision))


async def loop_lag(samples: list[float], stop: asyncio.Event) -> None:
    """How late a callback scheduled TICK ahead runs: the wait a keystroke would see."""
    while not stop.is_set():
        planned = time.perf_counter() + TICK
        await asyncio.sleep(TICK)
        samples.append(max(0.0, time.perf_counter() - planned))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(1000 * s for s in seconds)
    return (
        f"{label:<34} median {statistics.median(ms):7.1f} ms   "
        f"p95 {ms[int(0.95 * (len(ms) - 1))]:7.1f} ms   worst {ms[-1]:7.1f} ms   (n={len(ms)})"
    )


def devices_process(url: str, code: str, names: list[str], orders: Connection) -> None:
    """The phones: their own process, so their client work does not count as the app's lag."""
    asyncio.run(devices_loop(url, code, names, orders))


async def devices_loop(url: str, code: str, names: list[str], orders: Connection) -> None:
    # Through the proxy: its certificate is self-signed (the benchmark made it).
    tls = False if url.startswith("https://") else None
    clients = [
        ClientSession(url, connector=TCPConnector(local_addr=(f"127.0.0.{10 + n}", 0), ssl=tls))
        for n in range(len(names))
    ]
    tokens = []
    for client, name in zip(clients, names, strict=True):
        async with client.post("/api/join", json={"code": code, "name": name}) as reply:
            tokens.append((await reply.json())["token"])

    async def follow(n: int) -> None:
        """Listen to the room's events as the page does: each change is pushed to every device."""
        headers = {"Authorization": f"Bearer {tokens[n]}"}
        async with clients[n].get("/api/events", headers=headers, timeout=FOREVER) as stream:
            async for _line in stream.content:
                pass

    streams = [asyncio.create_task(follow(n)) for n in range(len(names))]
    orders.send("joined")

    async def vote(n: int, indicator: str, value: int) -> tuple[str, float, float]:
        body = {"indicator": indicator, "value": value}
        headers = {"Authorization": f"Bearer {tokens[n]}"}
        started = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
        async with clients[n].put("/api/vote", json=body, headers=headers) as reply:
            assert reply.status == 204, reply.status
        return names[n], started, time.perf_counter() - started

    while (order := await asyncio.to_thread(orders.recv)) is not None:
        indicator, round_number = order
        votes = [vote(n, indicator, 1 + (n + round_number) % 5) for n in range(len(names))]
        orders.send(await asyncio.gather(*votes))
    for stream in streams:
        stream.cancel()
    for client in clients:
        await client.close()


async def bench(devices: int, rounds: int, folder: Path) -> None:
    names = [f"P{number:02d}" for number in range(1, devices + 1)]
    model = find_model("customer-engagement")
    session = new_session("bench-room", model, "Bench", participants=names, now=datetime.now(UTC))
    workshop = Workshop(session)
    path = folder / "bench-room.toml"
    autosave = HeadlessAutosave(workshop, path)
    saved_at: list[tuple[int, float]] = []
    autosave.on_saved.append(lambda revision: saved_at.append((revision, time.perf_counter())))
    watch = VoteWatch(workshop)
    room = await open_room(workshop, autosave.on_saved, bind="127.0.0.1", port=free_port())

    orders, their_end = multiprocessing.get_context("spawn").Pipe()
    phones = multiprocessing.get_context("spawn").Process(
        target=devices_process, args=(room.url, room.code, names, their_end)
    )
    phones.start()
    assert await asyncio.to_thread(orders.recv) == "joined"

    lag: list[float] = []
    stop = asyncio.Event()
    lag_task = asyncio.create_task(loop_lag(lag, stop))
    to_state, to_disk, acked = [], [], []
    indicators = min(rounds, len(workshop.indicators))
    for round_number in range(indicators):
        indicator = workshop.indicator.id
        orders.send((indicator, round_number))
        for name, started, ack in await asyncio.to_thread(orders.recv):
            seen, revision = watch.seen[indicator, name]
            to_state.append(seen - started)
            to_disk.append(next(t for r, t in saved_at if r >= revision) - started)
            acked.append(ack)
        workshop.next()
    stop.set()
    await lag_task
    orders.send(None)
    await asyncio.to_thread(phones.join)
    await room.stop()

    saved = load_session(path)
    stored = sum(len(r.vote_values) for r in saved.ratings)
    assert stored == devices * indicators, (stored, devices * indicators)
    print(f"{devices} devices x {indicators} indicators, {stored} votes, all on disk")
    print(summary("PUT -> vote in the workshop state", to_state))
    print(summary("PUT -> vote on disk", to_disk))
    print(summary("PUT -> 204 at the device", acked))
    print(summary("event-loop lag during the storms", lag))
    print(f"saves written: {len(saved_at)} for {stored} votes (coalesced)")


def devices_once_open(url: str, code: str, names: list[str], orders: Connection) -> None:
    orders.recv()  # the room is open
    devices_process(url, code, names, orders)


TYPED = ["F1", "F2", "F3", "F4", "F5"]
"""People in the room without a device, listed first: the highlight starts on them."""


async def bench_app(devices: int, rounds: int, folder: Path, *, proxy: bool = False) -> None:
    """`proxy`: the devices go through Caddy over HTTPS, as remote participants would (the
    room opened with --behind-proxy --public-url), each from its own address."""
    from maturity_tui.launch import RoomOptions
    from maturity_tui.storage import session_path

    names = [f"P{number:02d}" for number in range(1, devices + 1)]
    model = find_model("customer-engagement")
    session_id = "bench-room-proxy" if proxy else "bench-room-app"
    session = new_session(
        session_id, model, "Bench", participants=TYPED + names, now=datetime.now(UTC)
    )
    path = session_path(folder, session.id)
    code, port = "K7Q2XM", free_port()
    url = f"http://127.0.0.1:{port}/"
    with contextlib.ExitStack() as proxies:
        if proxy:
            from roomkit import caddy  # the tests' Caddy in front of the room, with TLS

            public_port = free_port()
            url = f"https://127.0.0.1:{public_port}/"
            scratch = Path(proxies.enter_context(tempfile.TemporaryDirectory()))
            proxies.enter_context(caddy(scratch, public_port, f"127.0.0.1:{port}"))
        options = RoomOptions("127.0.0.1", port, code, public_url=url, behind_proxy=proxy)
        await app_storms(devices, rounds, folder, session, path, url, options)


async def app_storms(
    devices: int,
    rounds: int,
    folder: Path,
    session: Session,
    path: Path,
    url: str,
    options: RoomOptions,
) -> None:
    from vote_latency import instrument

    from maturity_tui.launch import Opening
    from maturity_tui.tui.app import MaturityApp
    from maturity_tui.tui.screens.voting import VotingScreen

    names = [p for p in session.participants if p not in TYPED]
    code = options.join_code
    assert code is not None
    app = MaturityApp(sessions_dir=folder, opening=Opening(session, path, index=0), room=options)
    saved_at: list[tuple[int, float]] = []
    keys, to_state, to_screen, to_disk = [], [], [], []
    # Started before the app: under run_test, stderr has no file descriptor to hand down.
    orders, their_end = multiprocessing.get_context("spawn").Pipe()
    phones = multiprocessing.get_context("spawn").Process(
        target=devices_once_open, args=(url, code, names, their_end)
    )
    phones.start()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("escape")  # from the room screen to voting
        await pilot.pause()
        screen, room, workshop = app.screen, app.room_control.room, app.workshop
        assert isinstance(screen, VotingScreen) and room is not None and workshop is not None
        assert app.saver is not None
        app.saver.on_saved.append(lambda r: saved_at.append((r, time.perf_counter())))
        watch = VoteWatch(workshop)
        frames = instrument(app, screen)

        def frame_after(moment: float) -> float:
            shown = frames.after(moment)
            assert shown is not None, "a frame after every vote"
            return shown[0]

        orders.send("open")
        assert await asyncio.to_thread(orders.recv) == "joined"
        indicators = min(rounds, len(workshop.indicators))
        for round_number in range(indicators):
            indicator = workshop.indicator.id
            orders.send((indicator, round_number))
            results = asyncio.ensure_future(asyncio.to_thread(orders.recv))
            for n in range(len(TYPED)):
                await pilot.press(str(n % 5 + 1))
                await pilot.pause(0.02)  # the frame showing the vote has been written by now
                began, ended, _cpu = frames.handled[-1]
                keys.append(frame_after(ended) - began)
            answers = await results
            await pilot.pause(0.02)  # the frame after the last vote
            for name, started, _ack in answers:
                seen, revision = watch.seen[indicator, name]
                to_state.append(seen - started)
                to_screen.append(frame_after(seen) - started)
                to_disk.append(next(t for r, t in saved_at if r >= revision) - started)
            await pilot.press("n")
            await pilot.pause()
        orders.send(None)
        await asyncio.to_thread(phones.join)
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+q")
    saved = load_session(path)
    stored = sum(len(r.vote_values) for r in saved.ratings)
    expected = (devices + len(TYPED)) * indicators
    assert stored == expected, (stored, expected)
    through = f" through Caddy at {url}" if options.behind_proxy else ""
    print(f"\nThe app (120x40, headless) with the room open{through}: {stored} votes, all on disk")
    print(summary("facilitator key -> frame (16 ms)", keys))
    print(summary("PUT -> vote in the workshop state", to_state))
    print(summary("PUT -> vote on the screen (frame)", to_screen))
    print(summary("PUT -> vote on disk", to_disk))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.dir or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        asyncio.run(bench(args.devices, args.rounds, folder))
        asyncio.run(bench_app(args.devices, args.rounds, folder))
        asyncio.run(bench_app(args.devices, args.rounds, folder, proxy=True))


if __name__ == "__main__":
    main()
