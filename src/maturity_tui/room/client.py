"""`maturity-tui join URL`: vote from a terminal in a room someone opened (no Textual needed).

It speaks the same public API as the page: join with the code (and a name in named voting),
follow the server-sent events, and vote with a digit, the scale position, like the
facilitator's keyboard. Text from the room is printed literally, never as escapes.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from maturity_tui.standing import COLOR_LETTERS
from maturity_tui.textsafe import one_line, strip_controls

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
HELP = "Type a digit to vote (its scale position), w to withdraw, q to quit."
TREND_HELP = "Type u, s or d for the trend: up (getting better), same, down (getting worse)."
TRENDS = {"u": "up", "s": "same", "d": "down"}
TREND_WORDS = {"up": "↑ getting better", "same": "→ staying the same", "down": "↓ getting worse"}
ANSI_COLORS = {"red": "31", "amber": "33", "green": "32"}
FAREWELLS = {
    "closed": "The facilitator closed the room.",
    "revoked": "The facilitator released your name; join again to vote.",
}

Say = Callable[[str], None]


class JoinFailed(Exception):
    """The room refused us for good (wrong code three times, no free name, gone)."""


def room_address(url: str) -> tuple[str, str | None]:
    """The room's base URL, and the join code when the link carries one (`#code=K7Q2XM`)."""
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    code = None
    if parts.fragment.startswith("code="):
        code = parts.fragment.removeprefix("code=")
    return urlunsplit((parts.scheme, parts.netloc, "/", "", "")), code


def read_lines(fd: int, loop: asyncio.AbstractEventLoop, lines: asyncio.Queue[str | None]) -> None:
    """Feed the lines typed on `fd` to the loop, then None at the end; runs in a daemon thread.

    Unbuffered `os.read`, not `input()`: a thread blocked inside sys.stdin's buffer aborts
    the interpreter at exit, and a buffer would hide typed-ahead lines from the loop.
    """
    pending = b""
    try:
        while chunk := os.read(fd, 4096):
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                loop.call_soon_threadsafe(lines.put_nowait, line.decode("utf-8", "replace"))
        loop.call_soon_threadsafe(lines.put_nowait, None)
    except (OSError, RuntimeError):
        pass  # stdin closed under us, or the loop is gone: the client is ending anyway


def terminal_wants_color() -> bool:
    """Colour the letters only on a terminal that wants it (no NO_COLOR, not a pipe)."""
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def point_mark(point: dict[str, Any], colors: bool = False) -> str:
    """What stands for an answer: its colour's letter on a board (painted when `colors`),
    else its value, 0.25 as 0.25."""
    color = point.get("color")
    if color not in COLOR_LETTERS:
        return f"{point['value']:g}" if isinstance(point["value"], float) else str(point["value"])
    letter = COLOR_LETTERS[color]
    return f"\x1b[1;{ANSI_COLORS[color]}m{letter}\x1b[0m" if colors else letter


class TerminalVoter:
    """One device in the room, reading typed `lines` and writing with `say`; `colors`
    paints a board's letters in their colours."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        lines: asyncio.Queue[str | None],
        say: Say,
        colors: bool = False,
    ) -> None:
        self.http = http
        self.lines = lines
        self.say = say
        self.colors = colors
        self.token = ""
        self.state: dict[str, Any] | None = None

    async def ask(self, prompt: str) -> str:
        self.say(prompt)
        line = await self.lines.get()
        if line is None:
            raise EOFError
        return line

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # --- Joining ------------------------------------------------------------------------

    async def join(self, code: str | None, name: str | None) -> None:
        for _ in range(3):
            code = code or await self.ask("Join code:")
            body = {"code": code} if name is None else {"code": code, "name": name}
            async with self.http.post("/api/join", json=body) as response:
                reply = await response.json(content_type=None)
                if response.status == 200:
                    self.token = reply["token"]
                    who = f" as {one_line(reply['name'])}" if reply.get("name") else ""
                    self.say(f"Joined{who}. {HELP}")
                    return
            if response.status == 403 and "names" in reply:
                name = await self._pick_name(reply["names"], name)
            elif response.status == 403:
                self.say("Wrong join code.")
                code = None
            else:
                raise JoinFailed(one_line(str(reply.get("error", response.status))))
        raise JoinFailed("could not join after three tries")

    async def _pick_name(self, names: list[str], tried: str | None) -> str:
        if not names:
            raise JoinFailed("every participant's name is taken: ask the facilitator")
        if tried is not None:
            self.say(f"{one_line(tried)} is taken or not a participant.")
        for number, name in enumerate(names, 1):
            self.say(f"  {number}. {one_line(name)}")
        while True:
            answer = (await self.ask("Who are you? (number)")).strip()
            if answer.isdigit() and 1 <= int(answer) <= len(names):
                return names[int(answer) - 1]

    # --- Following and voting -----------------------------------------------------------

    async def run(self) -> int:
        follower = asyncio.create_task(self._follow())
        try:
            while (line := await self.lines.get()) is not None:
                if line.strip().lower() in {"q", "quit"}:
                    break
                await self._command(line.strip())
            return EXIT_OK
        finally:
            follower.cancel()

    async def _command(self, line: str) -> None:
        state = self.state
        if not line or state is None or state["indicator"] is None:
            return
        indicator = state["indicator"]["id"]
        if line.lower() == "w":
            refused = await self._send("DELETE", {"indicator": indicator})
            self.say(refused or "Vote withdrawn.")
            return
        trend = TRENDS.get(line.lower()) if state.get("asks_trend") else None
        if trend is not None:
            refused = await self._send("PUT", {"indicator": indicator, "trend": trend})
            self.say(refused or f"Saved: your trend is {TREND_WORDS[trend]}.")
            return
        scale = state["scale"]
        if not line.isdigit() or not 1 <= int(line) <= len(scale):
            trends = ", u, s, d" if state.get("asks_trend") else ""
            self.say(f"Type 1 to {len(scale)}{trends}, w or q.")
            return
        point = scale[int(line) - 1]
        refused = await self._send("PUT", {"indicator": indicator, "value": point["value"]})
        mark = point_mark(point, self.colors)
        self.say(refused or f"Saved: your vote is {mark} ({one_line(point['label'])}).")

    async def _send(self, method: str, body: dict[str, Any]) -> str | None:
        """None once the room saved it; else why not, in words."""
        try:
            async with self.http.request(method, "/api/vote", json=body, headers=self.auth) as r:
                if r.status == 204:
                    return None
                reply = await r.json(content_type=None)
        except (aiohttp.ClientError, ValueError):
            return self._refusal(0)
        error = reply.get("error") if isinstance(reply, dict) else None
        return self._refusal(r.status, error if isinstance(error, str) else None)

    @staticmethod
    def _refusal(status: int, error: str | None = None) -> str:
        """Why a vote was not saved: our words for what we know, else the room's own."""
        reasons = {
            0: "no connection",
            401: "the room no longer knows this device (was your name released?)",
            429: "too fast, try again in a moment",
        }
        reason = reasons.get(status) or error or f"HTTP {status}"
        return f"Not saved: {one_line(reason)}."

    async def _follow(self) -> None:
        delay = 1.0
        while True:
            try:
                async with self.http.get("/api/events", headers=self.auth) as response:
                    if response.status == 401:
                        self.say("The room no longer knows this device. Join again.")
                        self.lines.put_nowait(None)
                        return
                    delay = 1.0
                    farewell = await self._read_events(response)
                if farewell is not None:
                    self.say(FAREWELLS[farewell])
                    self.lines.put_nowait(None)
                    return
            except (aiohttp.ClientError, TimeoutError):
                pass
            self.say("Connection lost; reconnecting…")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 8.0)

    async def _read_events(self, response: aiohttp.ClientResponse) -> str | None:
        """Show each state as it comes; the name of the event that ended the stream, if any."""
        event, data = "message", ""
        async for raw in response.content:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].lstrip()
            elif not line:
                if event == "state":
                    self.show(json.loads(data))
                elif event in FAREWELLS:
                    return event
                event, data = "message", ""
        return None

    # --- Showing ------------------------------------------------------------------------

    def show(self, state: dict[str, Any]) -> None:
        before, self.state = self.state, state
        current = state["indicator"]
        if current is None:
            self.say("Waiting for the facilitator…")
            return
        earlier = before["indicator"] if before else None
        moved = before is None or earlier is None or earlier["id"] != current["id"]
        if moved:
            self.say(indicator_text(state, self.colors))
        if state["revealed"] and (moved or not before or not before["revealed"]):
            self.say(tally_text(state, self.colors))
        elif before and not moved and before["vote_count"] != state["vote_count"]:
            self.say(voted_text(state))


def indicator_text(state: dict[str, Any], colors: bool = False) -> str:
    current = state["indicator"]
    parts = [f"Indicator {current['position']} of {current['total']}"]
    if current.get("level_heading"):  # none on a board, which has no levels
        parts.append(current["level_heading"])
    if current["dimension"]:
        parts.append(current["dimension"])
    lines = ["", one_line(" · ".join(parts)), "", strip_controls(current["statement"])]
    if current["guidance"]:
        lines += ["", f"Look for: {strip_controls(current['guidance'])}"]
    lines += ["", *answer_lines(state["scale"], colors)]
    if state.get("asks_trend"):
        lines.append(TREND_HELP)
    lines.append(voted_text(state))
    return "\n".join(lines)


def answer_lines(scale: list[dict[str, Any]], colors: bool = False) -> list[str]:
    """The answers with their keys: on one line when they are plain numbers whose labels say
    it all (`[1] Never   [2] Rarely`), else one a line with its value or colour letter."""
    if all(p.get("color") is None and isinstance(p["value"], int) for p in scale):
        return ["   ".join(f"[{n}] {one_line(p['label'])}" for n, p in enumerate(scale, 1))]
    return [
        f"[{n}] {point_mark(p, colors)}  {one_line(p['label'])}" for n, p in enumerate(scale, 1)
    ]


def voted_text(state: dict[str, Any]) -> str:
    expected = f" of {len(state['participants'])}" if state["voting"] == "named" else ""
    mine = state["my_vote"]
    yours = "" if mine is None else f"; yours: {mine}"  # 0 is a vote on a scale from 0
    trend = state.get("my_trend")
    yours += f"; your trend: {TREND_WORDS[trend]}" if trend in TREND_WORDS else ""
    return f"{state['vote_count']}{expected} voted{yours}"


def tally_text(state: dict[str, Any], colors: bool = False) -> str:
    tally = state.get("tally")
    if not tally:
        return "Revealed."
    points = {p["value"]: p for p in state["scale"]}
    most = max((row["count"] for row in tally["histogram"]), default=0) or 1
    lines = ["Revealed:"]
    for row in tally["histogram"]:
        bar = "█" * round(20 * row["count"] / most)
        point = points.get(row["value"], {"value": row["value"], "label": ""})
        label = one_line(point["label"])
        lines.append(f"  {point_mark(point, colors)} {label:<14.14} {bar} {row['count']}")
    # A board's median lies between colours: its count per colour says more.
    board = all(p.get("color") for p in state["scale"])
    median = "-" if tally["median"] is None else f"{tally['median']:g}"
    summary = "" if board else f" · median {median}"
    contested = " · contested" if tally["contested"] else ""
    lines.append(f"  {tally['count']} votes{summary}{contested}")
    if state.get("asks_trend") and "trends" in tally:
        counts = ", ".join(f"{row['count']} {row['trend']}" for row in tally["trends"])
        agreed = TREND_WORDS.get(tally["agreed_trend"] or "", "none")
        lines.append(f"  Trend: {agreed} ({counts})")
    return "\n".join(lines)


# --- Entry points ---------------------------------------------------------------------------


PLAIN_HTTP = (
    "Note: {url} is plain HTTP: the join code and your votes travel unencrypted "
    "(fine on a LAN or VPN you trust; ask for an https:// address otherwise)."
)
UNVERIFIED = (
    "cannot verify the certificate of {url} ({why}). If the facilitator gave you the "
    "room's certificate, point SSL_CERT_FILE at it and try again."
)


async def join_room(url: str, code: str | None, name: str | None, say: Say) -> int:
    base, link_code = room_address(url)
    if base.startswith("http://"):
        say(PLAIN_HTTP.format(url=one_line(base)))
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    reader = (sys.stdin.fileno(), asyncio.get_running_loop(), lines)
    threading.Thread(target=read_lines, args=reader, daemon=True).start()
    timeout = aiohttp.ClientTimeout(total=None, connect=10, sock_read=45)
    async with aiohttp.ClientSession(base, timeout=timeout) as http:
        voter = TerminalVoter(http, lines, say, colors=terminal_wants_color())
        await voter.join(code or link_code, name)
        return await voter.run()


def run(url: str, code: str | None = None, name: str | None = None) -> int:
    def say(line: str) -> None:
        print(line, flush=True)

    try:
        return asyncio.run(join_room(url, code, name, say))
    except JoinFailed as error:
        print(f"maturity-tui join: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except aiohttp.ClientConnectorCertificateError as error:
        why = one_line(str(error.certificate_error))
        print(
            f"maturity-tui join: {UNVERIFIED.format(url=one_line(url), why=why)}", file=sys.stderr
        )
        return EXIT_FAILURE
    except (aiohttp.ClientError, OSError) as error:
        print(f"maturity-tui join: cannot reach {one_line(url)}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except (KeyboardInterrupt, EOFError):
        return EXIT_OK
