"""A vote acknowledged with 204 is on disk: `kill -9` of the room's process mid-storm loses none."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from roomkit import CODE, HEADLESS_ROOM, NAMES, Device, make_session

from maturity_tui.storage import load_session, save_session
from waitkit import PATIENCE, until


async def test_every_acknowledged_vote_survives_kill_9(tmp_path: Path) -> None:
    from aiohttp import ClientSession, TCPConnector

    path = tmp_path / "apollo-2026-q4.toml"
    save_session(make_session(), path)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HEADLESS_ROOM,
        str(path),
        "0",
        CODE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    url = (await asyncio.wait_for(process.stdout.readline(), PATIENCE)).decode().strip()
    indicator = load_session(path).model.indicators[0].id
    acked: dict[str, int] = {}
    in_flight: dict[str, int] = {}

    async def keep_voting(number: int, name: str) -> None:
        connector = TCPConnector(local_addr=(f"127.0.0.{20 + number}", 0))
        async with ClientSession(url, connector=connector) as http:
            device = Device(http)
            assert await device.join(name=name) == 200
            for round_number in range(1000):
                value = 1 + (round_number + number) % 5
                in_flight[name] = value
                try:
                    status = await device.vote(indicator, value)
                except OSError:
                    return  # the server died under us
                if status == 204:
                    acked[name] = value
                await asyncio.sleep(0.05)

    voters = asyncio.gather(*(keep_voting(n, name) for n, name in enumerate(NAMES)))
    # Kill mid-storm, once every device has had a vote acknowledged (however slow the machine).
    await until(lambda: len(acked) == len(NAMES), "every device had a vote acknowledged")
    process.send_signal(signal.SIGKILL)
    await process.wait()
    await asyncio.wait_for(voters, 10)

    rating = load_session(path).rating(indicator)
    assert rating is not None and isinstance(rating.votes, dict)
    for name, value in acked.items():
        assert rating.votes.get(name) in {value, in_flight[name]}, name
