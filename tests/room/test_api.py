"""DESIGN's room API over real HTTP: every status code, and that a refused call changes nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from roomkit import CODE, make_session, serve

from maturity_tui.room import server
from maturity_tui.room.guard import RateLimiter


async def test_a_named_device_votes_and_the_vote_is_on_disk_at_the_204(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        assert await ana.join(name="Ana") == 200
        current = served.workshop.indicator.id
        assert await ana.vote(current, 4) == 204
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 4}
        status, state = await ana.state()
        assert status == 200 and state["my_vote"] == 4 and state["voted"] == ["Ana"]
        assert await ana.vote(current, 2) == 204
        assert served.saved().rating(current).votes == {"Ana": 2}  # type: ignore[union-attr]
        assert await ana.withdraw(current) == 204
        assert served.saved().rating(current).votes is None  # type: ignore[union-attr]


async def test_wrong_join_code_is_403_and_case_and_spaces_do_not_matter(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        assert await device.join(code="AAAAAA", name="Ana") == 403
        assert await device.join(code=" k7q 2xm ", name="Ana") == 200
        assert served.room.taken_names == ["Ana"]


async def test_named_join_without_a_name_lists_the_free_names(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana, served.device() as other:
        await ana.join(name="Ana")
        async with other.http.post("/api/join", json={"code": CODE}) as response:
            assert response.status == 403
            assert (await response.json())["names"] == ["Ben", "Caro"]
        async with other.http.post("/api/join", json={"code": "WRONG2"}) as response:
            assert "names" not in await response.json(), "names leak only with the right code"


async def test_a_taken_name_is_refused_until_the_facilitator_releases_it(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as first, served.device() as second:
        assert await first.join(name="Ana") == 200
        assert await second.join(name="Ana") == 403
        assert await second.join(name="Mallory") == 403
        assert served.room.release("Ana")
        assert await first.state() == (401, {"error": "join the room first (no or unknown token)"})
        assert await second.join(name="Ana") == 200
        assert (await second.state())[0] == 200


async def test_no_or_unknown_token_is_401_and_nothing_is_cast(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        current = served.workshop.indicator.id
        assert await device.vote(current, 4) == 401
        device.token = "forged-token"
        assert await device.vote(current, 4) == 401
        assert await device.withdraw(current) == 401
        assert (await device.state())[0] == 401
        async with device.http.get("/api/events") as response:
            assert response.status == 401
        assert served.workshop.votes() == []
        assert not served.path.exists(), "nothing changed, so nothing was saved"


async def test_a_decimal_of_a_whole_scale_value_is_that_vote(tmp_path: Path) -> None:
    """DESIGN: 1 and 1.0 are the same vote; the file keeps the scale's own value."""
    async with serve(tmp_path) as served, served.device() as device:
        await device.join(name="Ben")
        assert await device.vote(served.workshop.indicator.id, 4.0) == 204
        assert served.workshop.votes() == [4]
        assert type(served.workshop.votes()[0]) is int


async def test_bad_json_and_off_scale_values_are_400(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        await device.join(name="Ben")
        current = served.workshop.indicator.id
        for value in (9, 0, True, "4", 4.5, float("inf"), None):
            assert await device.vote(current, value) == 400, value
        headers = {**device.auth, "Content-Type": "application/json"}
        for body in (b"{not json", b"[1, 2]", b"\xff\xfe", b"[" * 3000):
            async with device.http.put("/api/vote", data=body, headers=headers) as response:
                assert response.status == 400, body[:10]
                assert "error" in await response.json()
        async with device.http.post("/api/join", data=b"nope") as response:
            assert response.status == 400
        assert served.workshop.votes() == []


async def test_a_vote_on_another_indicator_is_409(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        await device.join(name="Caro")
        first = served.workshop.indicator.id
        served.workshop.next()
        assert await device.vote(first, 4) == 409
        assert await device.withdraw(first) == 409
        assert await device.vote("no-such-indicator", 4) == 409
        assert served.workshop.session.rating(first) is None
        assert not served.path.exists(), "nothing changed, so nothing was saved"


async def test_a_body_over_4_kb_is_413_declared_or_chunked(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        await device.join(name="Ana")
        big = json.dumps({"indicator": "x" * 5000, "value": 4}).encode()
        headers = {**device.auth, "Content-Type": "application/json"}
        async with device.http.put("/api/vote", data=big, headers=headers) as response:
            assert response.status == 413

        async def chunks():  # type: ignore[no-untyped-def]
            for _ in range(10):
                yield b" " * 1000

        async with device.http.put("/api/vote", data=chunks(), headers=headers) as response:
            assert response.status == 413
        assert served.workshop.votes() == []


async def test_a_flood_from_one_address_is_429_while_others_are_served(tmp_path: Path) -> None:
    limiter = RateLimiter(burst=20, rate=5)
    async with (
        serve(tmp_path, limiter=limiter) as served,
        served.device("127.0.0.1") as flooder,
        served.device("127.0.0.2") as neighbour,
    ):
        statuses = await asyncio.gather(*(flooder.join(code="AAAAAA") for _ in range(60)))
        # 429 past the request budget; 503 past the connections one address may hold at once.
        refused = statuses.count(429) + statuses.count(503)
        assert refused >= 30 and set(statuses) <= {403, 429, 503}
        assert await neighbour.join(name="Ben") == 200
        assert await neighbour.vote(served.workshop.indicator.id, 3) == 204


async def test_the_tally_appears_only_once_revealed(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana, served.device() as ben:
        await ana.join(name="Ana")
        await ben.join(name="Ben")
        current = served.workshop.indicator.id
        await ana.vote(current, 4)
        await ben.vote(current, 2)
        _, hidden = await ben.state()
        assert "tally" not in hidden and hidden["vote_count"] == 2
        assert hidden["my_vote"] == 2 and hidden["voted"] == ["Ana", "Ben"]
        served.workshop.reveal()
        _, shown = await ben.state()
        histogram = {row["value"]: row["count"] for row in shown["tally"]["histogram"]}
        assert histogram == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
        assert shown["tally"]["contested"] is True


async def test_anonymous_devices_hold_one_vote_each_that_they_change_or_withdraw(
    tmp_path: Path,
) -> None:
    async with (
        serve(tmp_path, make_session("anonymous")) as served,
        served.device() as one,
        served.device() as two,
    ):
        assert await one.join(name="Ana") == 200, "a name is ignored in anonymous voting"
        assert await two.join() == 200
        current = served.workshop.indicator.id
        served.workshop.cast(5)  # the facilitator types one for someone without a device
        await one.vote(current, 3)
        await two.vote(current, 1)
        await one.vote(current, 4)
        assert sorted(served.saved().rating(current).vote_values) == [1, 4, 5]  # type: ignore[union-attr]
        assert (await one.state())[1]["my_vote"] == 4
        assert await two.withdraw(current) == 204
        assert sorted(served.saved().rating(current).vote_values) == [4, 5]  # type: ignore[union-attr]
        assert (await two.state())[1]["my_vote"] is None


async def test_server_sent_events_push_each_change(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        async with ana.http.get("/api/events", headers=ana.auth) as events:
            assert events.headers["Content-Type"] == "text/event-stream"

            async def next_state() -> dict[str, object]:
                while True:
                    line = (await events.content.readline()).decode()
                    if line.startswith("data: "):
                        return json.loads(line[6:])  # type: ignore[no-any-return]

            first = await asyncio.wait_for(next_state(), 5)
            assert first["revealed"] is False
            served.workshop.next()
            moved = await asyncio.wait_for(next_state(), 5)
            assert moved["indicator"]["position"] == 2  # type: ignore[index]
            served.workshop.reveal()
            revealed = await asyncio.wait_for(next_state(), 5)
            assert revealed["revealed"] is True and "tally" in revealed
            served.room.release("Ana")
            rest = await asyncio.wait_for(events.content.read(), 5)
            assert b"event: revoked" in rest


async def test_the_server_serves_the_page_and_nothing_else(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as device:
        async with device.http.get("/") as page:
            assert page.status == 200 and page.content_type == "text/html"
            policy = page.headers["Content-Security-Policy"]
            assert "script-src 'self'" in policy and "unsafe" not in policy
            assert page.headers["X-Content-Type-Options"] == "nosniff"
        for path in ("/static/index.html", "/../pyproject.toml", "/api/sessions", "/app.js/x"):
            async with device.http.get(path) as response:
                assert response.status == 404, path
        await device.join(name="Ana")
        async with device.http.get("/api/state", headers=device.auth) as response:
            assert response.headers["Cache-Control"] == "no-store"


async def test_a_vote_the_disk_never_took_gets_no_204(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "SAVE_TIMEOUT_SECONDS", 0.3)
    async with serve(tmp_path) as served, served.device() as device:
        await device.join(name="Ana")
        served.room.host.wait_saved = never_saved  # type: ignore[attr-defined]
        assert await device.vote(served.workshop.indicator.id, 4) == 503


async def never_saved(revision: int) -> None:
    await asyncio.Event().wait()
