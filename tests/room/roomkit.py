"""A room over a real workshop and session file, served on 127.0.0.1, for the room's tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from aiohttp import ClientSession, TCPConnector
from headless_autosave import HERE, HeadlessAutosave

from maturity_tui.domain import Session, new_session
from maturity_tui.room.guard import RateLimiter
from maturity_tui.room.server import Room
from maturity_tui.room.workshop_host import open_room
from maturity_tui.storage import find_model, load_session
from maturity_tui.workshop import Workshop

# A room in a process of its own: python -c HEADLESS_ROOM FILE PORT CODE (PORT 0: the system
# picks one, and the first line printed, the room's URL, says which)
HEADLESS_ROOM = f"""
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {str(HERE)!r})
from headless_autosave import HeadlessAutosave
from maturity_tui.room.workshop_host import open_room
from maturity_tui.storage import load_session
from maturity_tui.workshop import Workshop

async def main():
    path = Path(sys.argv[1])
    workshop = Workshop(load_session(path))
    autosave = HeadlessAutosave(workshop, path)
    room = await open_room(
        workshop, autosave.on_saved, bind="127.0.0.1", port=int(sys.argv[2]), code=sys.argv[3]
    )
    print(room.url, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""
SERVING = "    await asyncio.Event().wait()\n"
"""HEADLESS_ROOM's last line in main(): tests that make changes meanwhile replace it."""
CODE = "K7Q2XM"
NAMES = ["Ana", "Ben", "Caro"]
STARTED = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def make_session(
    voting: Literal["named", "anonymous"] = "named",
    participants: list[str] | None = None,
    statement: str | None = None,
    model_id: str = "customer-engagement",
) -> Session:
    """A new session on a built-in model (`squad-health-check`: a board with trends)."""
    model = find_model(model_id)
    if statement is not None:
        data = model.model_dump(mode="python")
        data["indicators"][0]["statement"] = statement
        model = type(model).model_validate(data)
    return new_session(
        "apollo-2026-q4",
        model,
        "Apollo",
        participants=(participants or NAMES) if voting == "named" else None,
        voting=voting,
        now=STARTED,
    )


@dataclass
class Served:
    workshop: Workshop
    room: Room
    path: Path
    url: str

    def saved(self) -> Session:
        return load_session(self.path)

    @asynccontextmanager
    async def device(self, address: str = "127.0.0.1") -> AsyncIterator[Device]:
        """A client whose requests come from `address` (any 127.x.y.z reaches us on Linux)."""
        connector = TCPConnector(local_addr=(address, 0), force_close=True)
        async with ClientSession(self.url, connector=connector) as http:
            yield Device(http)


@dataclass
class Device:
    http: ClientSession
    token: str | None = None

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def join(self, code: str = CODE, name: str | None = None) -> int:
        body = {"code": code} if name is None else {"code": code, "name": name}
        async with self.http.post("/api/join", json=body) as response:
            if response.status == 200:
                self.token = (await response.json())["token"]
            return response.status

    async def state(self) -> tuple[int, Any]:
        async with self.http.get("/api/state", headers=self.auth) as response:
            return response.status, await response.json()

    async def vote(self, indicator: str, value: object) -> int:
        body = {"indicator": indicator, "value": value}
        async with self.http.put("/api/vote", json=body, headers=self.auth) as response:
            return response.status

    async def trend(self, indicator: str, trend: object, **more: object) -> int:
        """A trend vote, with a `value` too when given in `more`."""
        body = {"indicator": indicator, "trend": trend, **more}
        async with self.http.put("/api/vote", json=body, headers=self.auth) as response:
            return response.status

    async def withdraw(self, indicator: str) -> int:
        async with self.http.delete(
            "/api/vote", json={"indicator": indicator}, headers=self.auth
        ) as response:
            return response.status


@asynccontextmanager
async def serve(
    tmp_path: Path,
    session: Session | None = None,
    limiter: RateLimiter | None = None,
    **options: Any,
) -> AsyncIterator[Served]:
    """The room on 127.0.0.1; `options` go to `open_room` (public_url, behind_proxy, tls)."""
    workshop = Workshop(session or make_session())
    path = tmp_path / "apollo-2026-q4.toml"
    autosave = HeadlessAutosave(workshop, path)
    room = await open_room(
        workshop, autosave.on_saved, bind="127.0.0.1", port=0, code=CODE, **options
    )
    room.keepalive = 0.5
    if limiter is not None:
        room.limiter = limiter
    assert room.url is not None
    try:
        yield Served(workshop, room, path, room.url)
    finally:
        await room.stop()


def free_port() -> int:
    """A port free now, for a program that must be told one (caddy); a room is given 0 and
    says in its URL which port it took, so parallel test runs never race for one."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def require(program: str, install: str) -> str:
    """The program's path. CI installs it, so there a missing one fails; elsewhere the test
    skips with one line saying what to install."""
    found = shutil.which(program)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{program} is missing: {install}")
        pytest.skip(f"{program} is not installed ({install})")
    return found


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    openssl = require("openssl", "apt-get install openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def caddy(folder: Path, port: int, upstream: str) -> Iterator[None]:
    """Caddy on 127.0.0.1:`port` over HTTPS, in front of `upstream` (host:port), with a
    certificate made for the occasion; listening once this is entered."""
    program = require("caddy", "apt-get install caddy")
    cert, key = make_certificate(folder)
    config = folder / "Caddyfile"
    config.write_text(
        "{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n"
        f"\tstorage file_system {folder / 'data'}\n}}\n"
        f"https://127.0.0.1:{port} {{\n\tbind 127.0.0.1\n\ttls {cert} {key}\n"
        f"\treverse_proxy {upstream}\n}}\n"
    )
    home = {"HOME": str(folder), "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder)}
    log = (folder / "caddy.log").open("wb")
    process = subprocess.Popen(
        [program, "run", "--config", str(config), "--adapter", "caddyfile"],
        env={"PATH": "/usr/bin:/bin", **home},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        until_listening(port)
        yield
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def until_listening(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")
