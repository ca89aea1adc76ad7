"""The room under attack and behind proxies: every limit and header, over real sockets."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession
from roomkit import CODE, Served, make_session, serve

from maturity_tui.room import gate as gate_module
from maturity_tui.room import server
from maturity_tui.room.guard import RateLimiter, client_address, host_allowed, origin_allowed
from waitkit import PATIENCE, until

PAGES = ["/", "/app.js", "/style.css"]


def port_of(served: Served) -> int:
    return int(served.url.rstrip("/").rsplit(":", 1)[1])


async def raw(served: Served, request: bytes, address: str = "127.0.0.1") -> bytes:
    """Send bytes as they are (no client fixes them up) and read the answer's first bytes."""
    reader, writer = await asyncio.open_connection(
        "127.0.0.1", port_of(served), local_addr=(address, 0)
    )
    writer.write(request)
    await writer.drain()
    answer = await asyncio.wait_for(reader.read(4096), PATIENCE)
    writer.close()
    return answer


@asynccontextmanager
async def idle_connections(
    served: Served, count: int, address: str = "127.0.0.2"
) -> AsyncIterator[list[asyncio.StreamWriter]]:
    """`count` connections that never send a byte (half-open, as far as the server knows)."""
    writers = []
    try:
        for _ in range(count):
            _, writer = await asyncio.open_connection(
                "127.0.0.1", port_of(served), local_addr=(address, 0)
            )
            writers.append(writer)
        yield writers
    finally:
        for writer in writers:
            writer.close()


async def join(http: ClientSession, headers: dict[str, str] | None = None, **body: Any) -> int:
    async with http.post("/api/join", json={"code": CODE, **body}, headers=headers) as reply:
        return reply.status


# --- The request budget ------------------------------------------------------------------


async def test_the_pages_own_files_are_never_refused_and_a_refusal_says_when_to_retry(
    tmp_path: Path,
) -> None:
    async with (
        serve(tmp_path, limiter=RateLimiter(burst=3, rate=0.5)) as served,
        ClientSession(served.url) as http,
    ):
        for _ in range(10):
            for path in PAGES:
                async with http.get(path) as page:
                    assert page.status == 200, path
        statuses = [await join(http, code="AAAAAA") for _ in range(5)]
        assert statuses[:3] == [403, 403, 403] and statuses[3] == 429
        async with http.post("/api/join", json={"code": CODE}) as refused:
            assert refused.status == 429
            wait = int(refused.headers["Retry-After"])
            body = await refused.json()
            assert 1 <= wait <= 2 and body["retry_after"] == wait
            assert f"try again in {wait} s" in body["error"]


async def test_behind_a_proxy_each_forwarded_address_has_its_own_budget(tmp_path: Path) -> None:
    names = [f"P{n:02d}" for n in range(30)]
    session = make_session(participants=names)
    async with (
        serve(tmp_path, session, RateLimiter(burst=4, rate=0.1), behind_proxy=True) as served,
        ClientSession(served.url) as http,
    ):
        flood = [await join(http, {"X-Forwarded-For": "203.0.113.9"}, code="AAAAAA")]
        flood += [await join(http, {"X-Forwarded-For": "203.0.113.9"}, code="AAAAAA")]
        flood += [await join(http, {"X-Forwarded-For": "203.0.113.9"}) for _ in range(4)]
        assert flood[-1] == 429, "a wrong-code flood locks out its own address"
        phones = [{"X-Forwarded-For": f"198.51.100.{n}"} for n in range(30)]
        joined = [
            await join(http, phone, name=name) for phone, name in zip(phones, names, strict=True)
        ]
        assert joined == [200] * 30, "thirty phones behind one proxy, no 429"
        assert served.room.gate.proxy_on_loopback


async def test_without_behind_proxy_forwarding_headers_are_ignored(tmp_path: Path) -> None:
    async with (
        serve(tmp_path, limiter=RateLimiter(burst=3, rate=0.1)) as served,
        ClientSession(served.url) as http,
    ):
        statuses = [
            await join(http, {"X-Forwarded-For": f"198.51.100.{n}"}, code="AAAAAA")
            for n in range(5)
        ]
        assert 429 in statuses, "a header a client sets picks no budget of its own"


def test_forwarding_headers_count_only_from_a_loopback_peer_with_behind_proxy() -> None:
    spoofed = {
        "X-Forwarded-For": "198.51.100.7",
        "Forwarded": "for=198.51.100.8",
        "CF-Connecting-IP": "198.51.100.9",
    }
    assert client_address("203.0.113.5", spoofed, behind_proxy=True) == "203.0.113.5"
    assert client_address("127.0.0.1", spoofed, behind_proxy=False) == "127.0.0.1"
    assert client_address("127.0.0.1", spoofed, behind_proxy=True) == "198.51.100.9"
    # The proxy appends the peer it saw: the last entry; the client wrote the ones before.
    chain = {"X-Forwarded-For": "10.9.9.9, 198.51.100.7"}
    assert client_address("::1", chain, behind_proxy=True) == "198.51.100.7"
    forwarded = {"Forwarded": 'for=10.9.9.9, for="[2001:db8::1]:4711";proto=https'}
    assert client_address("127.0.0.1", forwarded, behind_proxy=True) == "2001:db8::1"
    assert client_address("127.0.0.1", {"Forwarded": "for=198.51.100.3:80"}, True) == (
        "198.51.100.3"
    )
    junk = {"X-Forwarded-For": "not-an-address", "Forwarded": "for=_hidden"}
    assert client_address("127.0.0.1", junk, behind_proxy=True) == "127.0.0.1"


# --- Host and Origin -----------------------------------------------------------------------


def test_host_names_other_than_the_rooms_are_refused() -> None:
    names = frozenset({"localhost", "room.example.org"})
    assert host_allowed("192.168.1.20:8765", names)
    assert host_allowed("[::1]:8765", names)
    assert host_allowed("Room.Example.org", names)
    assert not host_allowed("attacker.example:8765", names), "DNS rebinding"
    assert not host_allowed("", names)


def test_an_origin_must_be_the_room_itself_or_its_public_url() -> None:
    public = "https://room.example.org/"
    assert origin_allowed(None, "127.0.0.1:8765", public), "same-origin GETs send none"
    assert origin_allowed("http://127.0.0.1:8765", "127.0.0.1:8765", public)
    assert origin_allowed("https://room.example.org", "127.0.0.1:8765", public)
    assert origin_allowed("https://room.example.org:443", "room.example.org", None)
    assert not origin_allowed("https://evil.example", "127.0.0.1:8765", public)
    assert not origin_allowed("http://127.0.0.1:9999", "127.0.0.1:8765", public)
    assert not origin_allowed("null", "127.0.0.1:8765", public)


async def test_a_foreign_host_or_origin_is_refused_before_anything_happens(
    tmp_path: Path,
) -> None:
    public = "https://room.example.org/"
    async with serve(tmp_path, public_url=public) as served, ClientSession(served.url) as http:
        async with http.get("/", headers={"Host": "attacker.example"}) as page:
            assert page.status == 421
        evil = {"Origin": "https://evil.example"}
        assert await join(http, evil, name="Ana") == 403
        assert served.room.taken_names == []
        assert await join(http, {"Origin": "https://room.example.org"}, name="Ana") == 200
        async with http.get("/", headers={"Host": "room.example.org"}) as page:
            assert page.status == 200
        assert served.room.invite_url == f"{public}#code={CODE}"


async def test_no_answer_names_the_server_software_or_its_version(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, ClientSession(served.url) as http:
        for path in ["/", "/api/state", "/nothing-here"]:
            async with http.get(path) as answer:
                assert answer.headers.get("Server", "") == "maturity-tui", path
        garbage = await raw(served, b"GARBAGE / HTTP/9.9\r\n\r\n")
        assert b" 400 " in garbage.split(b"\r\n")[0] and b"aiohttp" not in garbage.lower()
        assert b"python" not in garbage.lower()


# --- Event streams -----------------------------------------------------------------------


async def test_event_streams_pass_through_buffering_proxies(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        served.room.keepalive = 0.2
        await ana.join(name="Ana")
        async with ana.http.get("/api/events", headers=ana.auth) as events:
            assert events.headers["X-Accel-Buffering"] == "no"
            assert "no-transform" in events.headers["Cache-Control"]
            await events.content.readuntil(b"\n\n")
            line = await asyncio.wait_for(events.content.readline(), 2)
            assert line == b": keep-alive\n"


async def test_a_token_keeps_two_streams_and_a_third_takes_over_the_oldest(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        first = await ana.http.get("/api/events", headers=ana.auth)
        second = await ana.http.get("/api/events", headers=ana.auth)
        third = await ana.http.get("/api/events", headers=ana.auth)
        ended = await asyncio.wait_for(first.content.read(), 5)
        assert b"event: replaced" in ended
        assert served.room.device_count == 1, "one device, however many tabs"
        for stream in (second, third):
            stream.close()


async def test_event_streams_in_all_are_capped(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana, served.device() as ben:
        served.room.max_streams = 1
        await ana.join(name="Ana")
        await ben.join(name="Ben")
        async with ana.http.get("/api/events", headers=ana.auth) as open_stream:
            await open_stream.content.readuntil(b"\n\n")
            async with ben.http.get("/api/events", headers=ben.auth) as refused:
                assert refused.status == 503 and refused.headers["Retry-After"] == "10"


async def test_the_device_count_is_the_devices_connected_now(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana, served.device() as ben:
        joins: list[str | None] = []
        served.room.on_join.append(joins.append)
        await ana.join(name="Ana")
        await ben.join(name="Ben")
        assert joins == ["Ana", "Ben"], "the facilitator hears each join as it happens"
        assert served.room.device_count == 0, "joined is not connected"
        async with ana.http.get("/api/events", headers=ana.auth) as events:
            await events.content.readuntil(b"\n\n")
            assert served.room.device_count == 1 and served.room.connected_names == ["Ana"]
        await until(lambda: served.room.device_count == 0, "the closed stream is counted out")
        assert served.room.taken_names == ["Ana", "Ben"]


# --- Connections ---------------------------------------------------------------------------


async def test_past_the_cap_a_connection_is_told_503_and_idle_ones_are_closed(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path) as served:
        gate = served.room.gate
        gate.max_connections, gate.idle_seconds = 6, PATIENCE  # none idle out before the 503
        async with idle_connections(served, 6, "127.0.0.2"):
            await until(lambda: len(gate.open) == 6, "six connections let in")
            full = await raw(served, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert full.startswith(b"HTTP/1.1 503") and b"Retry-After: 5" in full
            gate.idle_seconds = 0.6
            await until(lambda: len(gate.open) == 0, "the gate closes the silent ones")
            page = await raw(served, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            assert page.startswith(b"HTTP/1.1 421"), "let in (and refused for its Host)"
            assert len(gate.open) == 0


async def test_one_address_cannot_take_every_connection(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, ClientSession(served.url) as http:
        served.room.gate.per_address = 4
        async with idle_connections(served, 10, "127.0.0.2"):
            await until(lambda: served.room.gate.refused == 6, "six of ten turned away")
            assert len(served.room.gate.open) == 4
            async with http.get("/") as page:
                assert page.status == 200, "another address is still served"


async def test_headers_sent_a_byte_at_a_time_are_cut_off(tmp_path: Path) -> None:
    async with serve(tmp_path) as served:
        served.room.gate.idle_seconds = 0.5
        reader, writer = await asyncio.open_connection("127.0.0.1", port_of(served))
        closed = False
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 40:
            writer.write(bytes([byte]))
            await asyncio.sleep(0.05)
            if reader.at_eof() or writer.is_closing():
                closed = True
                break
        closed = closed or await asyncio.wait_for(reader.read(), PATIENCE) == b""
        writer.close()
        assert closed, "a request still in its headers after the idle time is closed"


async def test_a_body_that_never_arrives_is_408(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "BODY_SECONDS", 0.3)
    async with serve(tmp_path) as served:
        head = (
            b"POST /api/join HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: 200\r\n\r\n{"
        )
        answer = await raw(served, head)
        assert answer.startswith(b"HTTP/1.1 408")
        assert served.room.taken_names == []


# --- What a device sees ----------------------------------------------------------------------


async def test_a_device_never_sees_a_vote_the_facilitator_typed_for_its_name(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        current = served.workshop.indicator.id
        served.workshop.cast(4, participant="Ana")  # typed before Ana's phone joined
        await ana.join(name="Ana")
        _, state = await ana.state()
        assert state["my_vote"] is None and state["voted"] == ["Ana"]
        assert "4" not in json.dumps({k: v for k, v in state.items() if k != "scale"})
        assert await ana.vote(current, 2) == 204
        assert (await ana.state())[1]["my_vote"] == 2
        served.workshop.cast(5, participant="Ana")  # the facilitator types over it
        assert (await ana.state())[1]["my_vote"] is None


async def test_the_join_page_learns_the_team_and_the_codes_length_without_a_token(
    tmp_path: Path,
) -> None:
    async with (
        serve(tmp_path) as served,
        ClientSession(served.url) as http,
        http.get("/api/room") as about,
    ):
        assert await about.json() == {"team": "Apollo", "code_length": 6, "voting": "named"}


async def test_every_device_gets_the_timebox(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        assert (await ana.state())[1]["timebox"] is None
        served.room.set_timebox(120, running=True)
        timebox = (await ana.state())[1]["timebox"]
        assert timebox["running"] is True and 118 <= timebox["remaining"] <= 120
        served.room.set_timebox(95, running=False)
        assert (await ana.state())[1]["timebox"] == {"remaining": 95, "running": False}


async def test_votes_are_locked_after_the_reveal_until_the_facilitators_re_vote(
    tmp_path: Path,
) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        current = served.workshop.indicator.id
        assert await ana.vote(current, 4) == 204
        served.workshop.reveal()
        async with ana.http.put(
            "/api/vote", json={"indicator": current, "value": 2}, headers=ana.auth
        ) as refused:
            assert refused.status == 409
            assert "locked until a re-vote" in (await refused.json())["error"]
        assert await ana.withdraw(current) == 409
        assert served.saved().rating(current).votes == {"Ana": 4}  # type: ignore[union-attr]
        served.workshop.revote()
        _, state = await ana.state()
        assert state["revealed"] is False and state["my_vote"] is None
        assert await ana.vote(current, 2) == 204
        assert served.saved().rating(current).votes == {"Ana": 2}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("limit", "cap", "backlog"),
    [(256, 128, 16), (512, 200, 39), (1024, 200, 100), (None, 200, 100)],
)
def test_the_accept_backlog_keeps_a_burst_of_refusals_inside_the_descriptor_limit(
    monkeypatch: pytest.MonkeyPatch, limit: int | None, cap: int, backlog: int
) -> None:
    """asyncio accepts up to the backlog per tick; a refused connection holds its
    descriptor a few ticks. At macOS's 256, a backlog of 100 let overlapping bursts past
    the cap reach the limit (CI saw "Too many open files")."""
    monkeypatch.setattr(gate_module, "descriptor_limit", lambda: limit)
    gate = gate_module.Gate()
    assert (gate.max_connections, gate.backlog) == (cap, backlog)
    if limit is not None:
        assert cap + 4 * backlog < limit - 32, "held + four overlapping bursts + the app's own"
