"""`maturity-tui join` as a person would use it: a process reading digits, over real HTTP."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from roomkit import CODE, make_certificate, make_session, serve

from maturity_tui.room.client import answer_lines, tally_text, voted_text

ESCAPE_STATEMENT = "We listen \x1b[31mred\x1b[0m [bold]always[/]"


class Terminal:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.seen = ""

    async def expect(self, text: str) -> str:
        """Read output until `text` shows up; returns everything read so far."""
        assert self.process.stdout is not None

        async def read() -> str:
            while text not in self.seen:
                chunk = await self.process.stdout.read(1024)  # type: ignore[union-attr]
                assert chunk, f"the client ended before {text!r}:\n{self.seen}"
                self.seen += chunk.decode()
            return self.seen

        return await asyncio.wait_for(read(), 10)

    async def type(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()


async def start(*args: str, env: dict[str, str] | None = None) -> Terminal:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "maturity_tui",
        "join",
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, **(env or {})},
    )
    return Terminal(process)


async def test_a_terminal_joins_picks_its_name_votes_and_sees_the_reveal(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(statement=ESCAPE_STATEMENT)) as served:
        current = served.workshop.indicator.id
        terminal = await start(served.url, "--code", "WRONG1")
        await terminal.expect("Wrong join code.")
        await terminal.type(CODE.lower())
        await terminal.expect("Who are you?")
        await terminal.type("2")
        shown = await terminal.expect("[5] Always")
        assert "We listen red [bold]always[/]" in shown and "\x1b" not in shown
        await terminal.type("4")
        await terminal.expect("Saved: your vote is 4 (Mostly).")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ben": 4}
        served.workshop.reveal()
        revealed = await terminal.expect("1 votes · median 4")
        assert "4 Mostly" in revealed.split("Revealed:")[1]
        served.workshop.next()
        await terminal.expect("Indicator 2 of")
        await terminal.type("9")
        await terminal.expect("Type 1 to 5")
        await terminal.type("q")
        assert await asyncio.wait_for(terminal.process.wait(), 10) == 0


async def test_a_terminal_with_a_taken_name_or_no_room_says_so(tmp_path: Path) -> None:
    async with serve(tmp_path) as served, served.device() as ana:
        await ana.join(name="Ana")
        terminal = await start(served.url + f"#code={CODE}", "--name", "Ana")
        await terminal.expect("Ana is taken or not a participant.")
        await terminal.expect("1. Ben")
        terminal.process.kill()
        await terminal.process.wait()
        gone = await start("127.0.0.1:9", "--code", CODE)
        await gone.expect("cannot reach")
        assert await asyncio.wait_for(gone.process.wait(), 10) == 1


async def test_a_terminal_ends_when_the_facilitator_closes_the_room(tmp_path: Path) -> None:
    async with serve(tmp_path) as served:
        terminal = await start(served.url, "--code", CODE, "--name", "Ana")
        await terminal.expect("[5] Always")
        await served.room.stop()
        await terminal.expect("The facilitator closed the room.")
        assert await asyncio.wait_for(terminal.process.wait(), 10) == 0
        assert "reconnecting" not in terminal.seen


async def test_a_terminal_votes_a_card_and_its_trend_on_a_board(tmp_path: Path) -> None:
    async with serve(tmp_path, make_session(model_id="squad-health-check")) as served:
        current = served.workshop.indicator.id
        terminal = await start(served.url, "--code", CODE, "--name", "Ana")
        shown = await terminal.expect("Type u, s or d for the trend")
        assert "[1] R  Crappy\n[2] A  Some problems\n[3] G  Awesome" in shown
        assert "Level" not in shown and "\x1b" not in shown, "no level, no colour in a pipe"
        await terminal.type("1")
        await terminal.expect("Saved: your vote is R (Crappy).")
        await terminal.type("d")
        await terminal.expect("Saved: your trend is ↓ getting worse.")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 1}
        assert rating.trend_votes == {"Ana": "down"}
        served.workshop.reveal()
        revealed = await terminal.expect("Trend: ↓ getting worse (0 up, 0 same, 1 down)")
        assert "  R Crappy" in revealed.split("Revealed:")[1]
        assert "1 votes\n" in revealed, "no median between colours"
        await terminal.type("u")
        await terminal.expect("Not saved: the votes are revealed: they are locked until a re-vote.")
        assert served.saved().rating(current).trend_votes == {"Ana": "down"}  # type: ignore[union-attr]
        await terminal.type("q")
        assert await asyncio.wait_for(terminal.process.wait(), 10) == 0


def test_answers_show_their_colour_letter_or_their_decimal_value() -> None:
    board = [
        {"value": 1, "label": "Crappy", "color": "red"},
        {"value": 3, "label": "Awesome", "color": "green"},
    ]
    assert answer_lines(board) == ["[1] R  Crappy", "[2] G  Awesome"]
    assert answer_lines(board, colors=True)[0] == "[1] \x1b[1;31mR\x1b[0m  Crappy"
    score = [
        {"value": 0, "label": "No", "color": None},
        {"value": 0.25, "label": "Yes, for some", "color": None},
    ]
    assert answer_lines(score) == ["[1] 0  No", "[2] 0.25  Yes, for some"]
    plain = [{"value": 1, "label": "Never", "color": None}, {"value": 2, "label": "Rarely"}]
    assert answer_lines(plain) == ["[1] Never   [2] Rarely"]
    tally = {"count": 1, "median": 0.25, "contested": False}
    tally["histogram"] = [{"value": 0, "count": 0}, {"value": 0.25, "count": 1}]
    shown = tally_text({"scale": score, "tally": tally, "asks_trend": False})
    assert "  0.25 Yes, for some" in shown and "median 0.25" in shown and "Trend" not in shown


def test_the_terminal_shows_a_vote_of_zero_as_the_voters_own() -> None:
    state = {"voting": "anonymous", "participants": [], "vote_count": 1}
    assert voted_text({**state, "my_vote": 0}) == "1 voted; yours: 0"
    assert voted_text({**state, "my_vote": None}) == "1 voted"


async def test_plain_http_is_said_and_an_unverifiable_certificate_is_refused_clearly(
    tmp_path: Path,
) -> None:
    from maturity_tui.room.gate import tls_context

    cert, key = make_certificate(tmp_path)
    async with serve(tmp_path) as plain:
        terminal = await start(plain.url, "--code", CODE, "--name", "Ana")
        await terminal.expect("is plain HTTP: the join code and your votes travel unencrypted")
        terminal.process.kill()
        await terminal.process.wait()
    async with serve(tmp_path, tls=tls_context(cert, key)) as served:
        assert served.url.startswith("https://")
        terminal = await start(served.url, "--code", CODE, "--name", "Ana")
        seen = await terminal.expect("SSL_CERT_FILE")
        assert "cannot verify the certificate" in seen and "Traceback" not in seen
        assert await terminal.process.wait() == 1
        trusted = await start(
            served.url, "--code", CODE, "--name", "Ana", env={"SSL_CERT_FILE": str(cert)}
        )
        seen = await trusted.expect("Joined as Ana.")
        assert "plain HTTP" not in seen
        trusted.process.kill()
        await trusted.process.wait()
