"""300 silent connections against a room limited to 256 file descriptors (macOS's default).

The room runs in its own process with that limit, saving a change every 50 ms as a
facilitator's keys would. Before the gate, the connections took every descriptor and the
autosave failed with "Too many open files".
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from aiohttp import ClientSession, TCPConnector
from roomkit import CODE, HEADLESS_ROOM, SERVING, Device, make_session

from maturity_tui.storage import load_session, save_session
from waitkit import PATIENCE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_NOFILE is POSIX")

RLIMIT = """
import resource
_soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
"""
AT_WORK = """
    room.gate.idle_seconds = 600  # the attack keeps its connections for the whole test
    print(room.gate.max_connections, flush=True)
    tick = 0
    while True:  # the facilitator at work: a change to save every 50 ms
        tick += 1
        workshop.set_notes(f"tick {tick}")
        await asyncio.sleep(0.05)
"""
LIMITED_ROOM = RLIMIT + HEADLESS_ROOM.replace(SERVING, AT_WORK)


def ticks(path: Path) -> int:
    """The last tick saved; 0 before the first save (the room may be slow to start)."""
    ratings = load_session(path).ratings
    return int((ratings[0].notes or "tick 0").split()[1]) if ratings else 0


async def saved_more(path: Path, after: int) -> int:
    """The autosave is still writing: the file's tick moves past `after`."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        if (now := ticks(path)) > after:
            return now
    raise AssertionError(f"no save past tick {after} in {PATIENCE:.0f} s")


async def connect(port: int, address: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A server out of descriptors stops accepting, and this would hang (on a loaded machine a
    connection may wait out the client's SYN retries: 1 s, 3 s, 7 s...)."""
    opening = asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    return await asyncio.wait_for(opening, PATIENCE)


async def test_300_silent_connections_leave_the_room_saving_and_answering(
    tmp_path: Path,
) -> None:
    path = tmp_path / "apollo-2026-q4.toml"
    save_session(make_session(), path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LIMITED_ROOM,
        str(path),
        "0",
        CODE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    attack: list[asyncio.StreamWriter] = []
    try:
        url = (await asyncio.wait_for(process.stdout.readline(), PATIENCE)).decode().strip()
        port = int(url.rsplit(":", 1)[1].strip("/"))
        cap = int(await asyncio.wait_for(process.stdout.readline(), PATIENCE))
        assert cap == 128, "half of 256 descriptors"
        before = await saved_more(path, 0)

        # One attacker: it gets its per-address share, the rest are turned away.
        for _ in range(300):
            _, writer = await connect(port, "127.0.0.2")
            attack.append(writer)
        before = await saved_more(path, before)
        async with ClientSession(url, connector=TCPConnector(local_addr=("127.0.0.1", 0))) as http:
            async with http.get("/") as page:
                assert page.status == 200
            phone = Device(http)
            assert await phone.join(name="Ana") == 200
            indicator = load_session(path).model.indicators[0].id
            assert await phone.vote(indicator, 4) == 204, "acknowledged: on disk"

        # Many attackers, ten connections each: the total cap holds, saving goes on, and a
        # page that cannot get in is told why and when to retry.
        for n in range(30):
            for _ in range(10):
                _, writer = await connect(port, f"127.0.0.{10 + n}")
                attack.append(writer)
        await saved_more(path, before)
        reader, writer = await connect(port, "127.0.0.1")
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(4096), PATIENCE)
        writer.close()
        status = answer.split(b"\r\n", 1)[0]
        assert status.endswith(b"200 OK") or (
            b" 503 " in status and b"try again in 5 seconds" in answer
        ), answer[:200]
    finally:
        for writer in attack:
            writer.close()
        process.kill()
        await process.wait()
    errors = (await process.stderr.read()).decode()
    assert "Too many open files" not in errors, errors[-2000:]
    assert load_session(path).rating(indicator).votes == {"Ana": 4}  # type: ignore[union-attr]
