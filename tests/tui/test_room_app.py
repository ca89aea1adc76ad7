"""The room opened from the app: devices vote over real HTTP, the facilitator's screen follows."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientConnectionError, ClientSession
from textual.pilot import Pilot
from textual.widgets import Static
from tuikit import NAMES, build_session, fixed_now, settle

from maturity_tui.domain import Session
from maturity_tui.launch import Opening, RoomOptions
from maturity_tui.room.guard import CODE_ALPHABET
from maturity_tui.room.qr import qr_lines
from maturity_tui.storage import load_session, save_session, session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.big_code import big_code_lines
from maturity_tui.tui.screens.room import RoomScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.voting import ParticipantList

CODE = "K7Q2XM"
SNAPSHOT_PORT = 8799


def room_app(
    folder: Path,
    session: Session,
    *,
    port: int = 0,
    join: bool = True,
    public_url: str | None = None,
) -> MaturityApp:
    """An app on `session` with the room options `--join --host 127.0.0.1` would give."""
    options = RoomOptions("127.0.0.1", port, CODE, public_url=public_url, behind_proxy=True)
    return MaturityApp(
        sessions_dir=folder,
        opening=Opening(session, session_path(folder, session.id), index=0),
        room=options if join else None,
        now=fixed_now,
    )


def shown(app: MaturityApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def url_of(app: MaturityApp) -> str:
    room = app.room_control.room
    assert room is not None and room.url is not None
    return room.url


@asynccontextmanager
async def devices(app: MaturityApp, names: Sequence[str | None]) -> AsyncIterator[list[Device]]:
    """Devices that join and follow the room's events, as the page does: connected now."""
    async with ClientSession(url_of(app)) as http, AsyncExitStack() as streams:
        joined = []
        for name in names:
            async with http.post("/api/join", json={"code": CODE, "name": name}) as reply:
                assert reply.status == 200, await reply.text()
                device = Device(http, (await reply.json())["token"])
            stream = await streams.enter_async_context(
                http.get("/api/events", headers=device.headers)
            )
            await stream.content.readuntil(b"\n\n")  # the first state: it is connected
            joined.append(device)
        yield joined


class Device:
    def __init__(self, http: ClientSession, token: str) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {token}"}

    async def vote(self, indicator: str, value: int) -> int:
        body = {"indicator": indicator, "value": value}
        async with self.http.put("/api/vote", json=body, headers=self.headers) as reply:
            return reply.status

    async def state(self) -> dict[str, Any]:
        async with self.http.get("/api/state", headers=self.headers) as reply:
            assert reply.status == 200
            data: dict[str, Any] = await reply.json()
            return data


async def back_to_voting(pilot: Pilot[Any]) -> None:
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, VotingScreen)


async def test_three_devices_vote_hidden_until_r_reveals_and_the_file_holds_them(
    folder: Path,
) -> None:
    session = build_session()
    first = session.model.indicators[0].id
    app = room_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen), "--join shows the room screen at start"
        async with devices(app, NAMES) as phones:
            await pilot.pause()
            assert "In the room: Ana, Ben, Caro" in shown(app, "#room-joined")
            await back_to_voting(pilot)
            assert shown(app, "#room-badge") == "room open · 3 devices"

            statuses = await asyncio.gather(
                *(phone.vote(first, value) for phone, value in zip(phones, [4, 5, 2], strict=True))
            )
            assert statuses == [204, 204, 204], "each vote acknowledged once saved"
            await settle(pilot)
            tally = shown(app, "#tally")
            assert "3 of 3 voted" in tally
            assert "median" not in tally and "revealed" not in tally
            participants = app.screen.query_one(ParticipantList).text
            assert participants.count("✓") == 3
            assert not any(str(v) in participants for v in (2, 4, 5)), "never a value"
            hidden = await phones[0].state()
            assert hidden["revealed"] is False and "tally" not in hidden
            assert hidden["voted"] == NAMES

            await pilot.press("r")
            await settle(pilot)
            tally = shown(app, "#tally")
            assert "revealed" in tally and "median 4 · spread 3" in tally
            revealed = await phones[1].state()
            assert revealed["tally"]["count"] == 3
            assert {b["value"]: b["count"] for b in revealed["tally"]["histogram"]} == {
                1: 0,
                2: 1,
                3: 0,
                4: 1,
                5: 1,
            }
            rating = load_session(session_path(folder, session.id)).rating(first)
            assert rating is not None and rating.votes == {"Ana": 4, "Ben": 5, "Caro": 2}


async def test_every_page_follows_next_and_a_typed_vote_mixes_with_device_votes(
    folder: Path,
) -> None:
    session = build_session()
    second = session.model.indicators[1].id
    app = room_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await back_to_voting(pilot)
        async with devices(app, ["Ana", "Ben"]) as (ana, ben):
            await pilot.press("n")
            await settle(pilot)
            assert (await ana.state())["indicator"]["id"] == second
            assert await ana.vote(second, 3) == 204
            assert await ben.vote(second, 4) == 204
            await settle(pilot)
            # Caro has no device: the facilitator types hers (the highlight is on her now).
            await pilot.press("1")
            await settle(pilot)
            assert "3 of 3 voted" in shown(app, "#tally")
            assert (await ben.state())["voted"] == NAMES
            await pilot.press("p")
            await settle(pilot)
            assert await ana.vote(second, 5) == 409, "the indicator is no longer current"
    rating = load_session(session_path(folder, session.id)).rating(second)
    assert rating is not None and rating.votes == {"Ana": 3, "Ben": 4, "Caro": 1}


async def test_closing_the_workshop_turns_auto_reveal_off_for_the_next_one(folder: Path) -> None:
    session = build_session()
    save_session(session, session_path(folder, session.id))
    app = room_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await back_to_voting(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("ctrl+w")
        await settle(pilot)
        await pilot.press("enter")  # the same session again: --join opens the room with it
        await settle(pilot)
        await back_to_voting(pilot)
        assert shown(app, "#room-badge") == "room open · 0 devices"
        await pilot.press("R")  # crashed: it unhooked auto-reveal from the new workshop
        await settle(pilot)
        assert app.room_control.auto_reveal and app.is_running


async def test_auto_reveal_shows_the_votes_once_everyone_has_voted(folder: Path) -> None:
    session = build_session()
    first = session.model.indicators[0].id
    app = room_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await back_to_voting(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert shown(app, "#room-badge") == "room open · 0 devices · auto-reveal"
        async with devices(app, NAMES) as phones:
            for phone in phones[:2]:
                assert await phone.vote(first, 3) == 204
            await settle(pilot)
            assert app.workshop is not None and not app.workshop.revealed
            assert await phones[2].vote(first, 4) == 204
            await settle(pilot)
            assert app.workshop.revealed, "the last vote revealed them"
            assert (await phones[0].state())["tally"]["count"] == 3
            assert await phones[0].vote(first, 5) == 409, "locked after the reveal"
            await pilot.press("ctrl+r", "y")  # a re-vote: cleared and hidden again
            await settle(pilot)
            assert not app.workshop.revealed and app.workshop.votes() == []
            assert await phones[0].vote(first, 5) == 204
            await pilot.press("R")
            await settle(pilot)
            assert shown(app, "#room-badge") == "room open · 3 devices"


async def test_releasing_a_name_lets_another_device_join_as_them(folder: Path) -> None:
    app = room_app(folder, build_session())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        async with devices(app, ["Ben"]) as _, ClientSession(url_of(app)) as http:
            again = {"code": CODE, "name": "Ben"}
            async with http.post("/api/join", json=again) as reply:
                assert reply.status == 403
            await pilot.press("x")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, RoomScreen)
            assert "Not yet: Ana, Ben, Caro" in shown(app, "#room-joined")
            async with http.post("/api/join", json=again) as reply:
                assert reply.status == 200


async def test_j_closes_the_room_and_quitting_frees_the_port(folder: Path) -> None:
    app = room_app(folder, build_session(), join=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.room_control.room is None
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, RoomScreen)
        url = url_of(app)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen) and app.room_control.room is None
        await refused(url)
        await pilot.press("j")
        await settle(pilot)
        url = url_of(app)
        async with ClientSession(url) as http, http.get("/") as page:
            assert page.status == 200
        await pilot.press("ctrl+q")
        await pilot.pause()
    await refused(url)


async def test_exiting_any_way_closes_the_room(folder: Path) -> None:
    app = room_app(folder, build_session())
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        url = url_of(app)
    await refused(url)


async def test_a_taken_port_is_a_message_not_a_crash(folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = room_app(folder, build_session(), port=port)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, VotingScreen)
            assert app.room_control.room is None
            messages = [n.message for n in app._notifications]
            assert any(
                f"did not open on 127.0.0.1, port {port}: the port is taken" in m for m in messages
            )


async def test_anonymous_room_counts_votes_and_auto_reveals_when_every_device_has(
    folder: Path,
) -> None:
    session = build_session(voting="anonymous")
    first = session.model.indicators[0].id
    app = room_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "Devices connected now: 0" in shown(app, "#room-joined")
        await back_to_voting(pilot)
        await pilot.press("R")
        async with devices(app, [None, None]) as phones:
            assert await phones[0].vote(first, 5) == 204
            assert await phones[0].vote(first, 3) == 204, "a changed vote replaces the first"
            await settle(pilot)
            tally = shown(app, "#tally")
            assert "1 vote" in tally and "3" not in tally.replace("1 vote", "")
            assert shown(app, "#room-badge") == "room open · 2 devices · auto-reveal"
            assert app.workshop is not None and not app.workshop.revealed
            assert await phones[1].vote(first, 4) == 204
            await settle(pilot)
            assert app.workshop.revealed, "as many votes as devices"
            assert "2 votes · revealed" in shown(app, "#tally")
    rating = load_session(session_path(folder, session.id)).rating(first)
    assert rating is not None and sorted(rating.vote_values) == [3, 4]


async def test_names_on_the_room_screen_are_shown_literally(folder: Path) -> None:
    names = ["[bold]Ana[/]", "Ben\x1b[31m", "[/]"]
    app = room_app(folder, build_session(participants=names))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        async with devices(app, names[:2]):
            await pilot.pause()
            joined = shown(app, "#room-joined")
            assert "In the room: [bold]Ana[/], Ben␛[31m" in joined
            assert "Not yet: [/]" in joined


async def test_a_small_terminal_hides_the_qr_code_and_says_so(folder: Path) -> None:
    app = room_app(folder, build_session())
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#room-qr").display
        assert "QR code hidden: the terminal needs 73 x 19" in shown(app, "#room-qr-note")
        assert shown(app, "#room-code") == "K 7 Q 2 X M", "big letters need more room"
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        assert app.screen.query_one("#room-qr").display
        assert len(shown(app, "#room-code").splitlines()) == 3


def test_every_join_code_character_has_its_own_big_glyph() -> None:
    glyphs = [tuple(big_code_lines(char) or ()) for char in CODE_ALPHABET]
    assert all(len(glyph) == 3 for glyph in glyphs)
    assert len(set(glyphs)) == len(CODE_ALPHABET)
    assert big_code_lines("K7Q2X0") is None, "no glyph for a character a code never has"


async def refused(url: str) -> None:
    async with ClientSession(url) as http:
        with pytest.raises(ClientConnectionError):
            async with http.get("/"):
                pass


SIZES = [(80, 24), (120, 40)]


@pytest.mark.xdist_group("room-snapshot-port")  # one at a time on SNAPSHOT_PORT, shown on screen
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_room_screen(
    size: tuple[int, int], snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("sessions")
    folder.mkdir()
    app = room_app(folder, build_session(), port=SNAPSHOT_PORT)
    assert snap_compare(app, terminal_size=size, run_before=settle)


async def test_the_room_screen_and_its_qr_code_show_the_public_url(folder: Path) -> None:
    public = "https://room.example.org/"
    app = room_app(folder, build_session(), public_url=public)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown(app, "#room-url") == public
        qr = shown(app, "#room-qr")
        assert qr == "\n".join(qr_lines(f"{public}#code={CODE}")), "the QR code carries it"
        async with devices(app, ["Ana"]):
            await pilot.pause()
            assert any("Ana joined the room." in str(n.message) for n in app._notifications)
