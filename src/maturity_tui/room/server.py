"""The room server: the voting page and DESIGN's JSON API, inside the app's own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web, web_response

from maturity_tui.domain.base import Number
from maturity_tui.room.gate import Gate
from maturity_tui.room.guard import (
    CODE_ALPHABET,
    CODE_LENGTH,
    RateLimiter,
    client_address,
    code_matches,
    host_allowed,
    new_join_code,
    new_token,
    normalize_code,
    origin_allowed,
    valid_join_code,
)
from maturity_tui.room.host import (
    TRENDS,
    OffScale,
    RoomHost,
    RoomState,
    StaleIndicator,
    Voter,
    VoteRefused,
)

DEFAULT_PORT = 8765
MAX_BODY = 4096
MAX_DEVICES = 500
KEEPALIVE_SECONDS = 15.0
"""A comment line on every event stream this often: proxies close streams idle for 60 s
(nginx's proxy_read_timeout) or 100 s (Cloudflare), and the page's watchdog waits 40 s."""
SAVE_TIMEOUT_SECONDS = 10.0
BODY_SECONDS = 10.0
"""A request body must arrive within this: a body sent a byte a minute holds nothing."""
STREAMS_PER_TOKEN = 2
"""A reload opens the new stream before the old one is noticed gone; a third tab takes
over from the oldest."""
TLS_HANDSHAKE_SECONDS = 10.0

# aiohttp names itself and its version in a Server header on every answer, its own
# answers to malformed requests included (which no hook of ours sees): the room gives an
# attacker no version to look up. Only servers read this name; the client has its own.
web_response.SERVER_SOFTWARE = "maturity-tui"  # type: ignore[attr-defined]
# aiohttp logs malformed requests at ERROR; with no handler Python would print them over
# the app's screen.
logging.getLogger("aiohttp").addHandler(logging.NullHandler())
logging.getLogger("aiohttp").propagate = False

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

PAGE_FILES = {"/": "index.html", "/app.js": "app.js", "/style.css": "style.css"}
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SAFETY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
STREAM_HEADERS = {
    "Content-Type": "text/event-stream",
    # no-transform: Cloudflare and other proxies otherwise compress, and so hold back, it.
    "Cache-Control": "no-store, no-transform",
    "X-Accel-Buffering": "no",  # nginx: pass each event on as it comes
}


def lan_address() -> str:
    """The address other machines on the network reach us at; 127.0.0.1 when there is none.

    Connecting a UDP socket only picks the outgoing interface: no packet is sent.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"
    return "127.0.0.1" if address.startswith("0.") else address


@dataclass
class Timebox:
    """The facilitator's countdown as devices see it: seconds left at `stamp`, running or not."""

    remaining: int
    running: bool
    stamp: float = field(default_factory=time.monotonic)

    def now(self) -> int:
        elapsed = time.monotonic() - self.stamp if self.running else 0.0
        return self.remaining - int(elapsed)


@dataclass(eq=False)
class _Stream:
    """One open event stream of a device; `ending` names the event that ends it early."""

    token: str
    waker: asyncio.Event = field(default_factory=asyncio.Event)
    ending: str | None = None


class ApiError(Exception):
    """A refusal with DESIGN's status code; the answer is JSON: {"error": "…", …}."""

    def __init__(
        self, status: int, message: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}
        self.body = {"error": message, **extra}


class Room:
    """The devices in the room, their tokens, and the server that lets them vote.

    `start()` and `stop()` run the server in the current event loop, behind a `Gate`; tests
    can also serve `room.app` with aiohttp's test server.
    """

    def __init__(
        self,
        host: RoomHost,
        *,
        code: str | None = None,
        limiter: RateLimiter | None = None,
        keepalive: float = KEEPALIVE_SECONDS,
        public_url: str | None = None,
        behind_proxy: bool = False,
        gate: Gate | None = None,
    ) -> None:
        code = normalize_code(code) if code is not None else new_join_code()
        if not valid_join_code(code):
            raise ValueError(
                f"a join code is {CODE_LENGTH} characters from {CODE_ALPHABET}, not {code!r}"
            )
        self.host = host
        self.code = code
        self.limiter = limiter or RateLimiter()
        self.keepalive = keepalive
        self.public_url = public_url
        self.behind_proxy = behind_proxy
        self.gate = gate or Gate()
        self.gate.proxy_on_loopback = behind_proxy
        self.max_streams = self.gate.max_connections * 3 // 4
        """Event streams in all: the rest of the connections stay free for votes and pages."""
        self.on_change: list[Callable[[], None]] = []
        """Told when a device joins, connects, leaves or is released: the room screen."""
        self.on_join: list[Callable[[str | None], None]] = []
        """Told the name (None when anonymous) of each device as it joins."""
        self.url: str | None = None
        self.timebox: Timebox | None = None
        self._devices: dict[str, Voter] = {}
        self._names: dict[str, str] = {}
        self._streams: dict[str, list[_Stream]] = {}
        self._host_names = frozenset({"localhost"})
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None
        # Built once per change and shared by every stream: 30 devices, one state.
        self._shared_state: RoomState | None = None
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self._pages = {route: _page_file(name) for route, name in PAGE_FILES.items()}
        self.app = self._build_app()

    # --- For the facilitator ----------------------------------------------------------

    @property
    def join_url(self) -> str | None:
        """What people open: the public URL (a proxy's or tunnel's) when there is one."""
        return (self.public_url or self.url) if self.url else None

    @property
    def invite_url(self) -> str | None:
        """The URL with the code in its fragment, for the QR code: the page fills it in.

        A fragment never leaves the phone, so the code is not sent in any request line.
        """
        return f"{self.join_url}#code={self.code}" if self.join_url else None

    @property
    def taken_names(self) -> list[str]:
        return list(self._names)

    @property
    def connected_names(self) -> list[str]:
        """The names whose device follows the room now (an open event stream)."""
        return [name for name, token in self._names.items() if token in self._streams]

    @property
    def device_count(self) -> int:
        """Devices connected now, not tokens ever handed out."""
        return len(self._streams)

    def release(self, name: str) -> bool:
        """Free a participant's name so that another device can join as them."""
        token = self._names.pop(name, None)
        if token is None:
            return False
        del self._devices[token]
        for stream in self._streams.get(token, []):
            stream.ending = "revoked"
            stream.waker.set()
        self._tell_facilitator()
        return True

    def set_timebox(self, remaining: int, running: bool) -> None:
        """The facilitator's timer; devices hear of it when it starts, stops or jumps (a
        restart, a longer timebox), not every second: each page counts down itself."""
        shown = self.timebox
        self.timebox = Timebox(remaining, running)
        if shown is None or shown.running != running or abs(shown.now() - remaining) > 1:
            self._wake_streams()

    async def start(
        self,
        bind: str | None = None,
        port: int = DEFAULT_PORT,
        tls: ssl.SSLContext | None = None,
    ) -> str:
        """Listen on `bind` (default: the LAN address) and return the URL to join at."""
        address = bind or lan_address()
        # handler_cancellation: a stream whose device went away ends at once, so the device
        # count is the devices connected now (not at the next keep-alive).
        runner = web.AppRunner(
            self.app, access_log=None, shutdown_timeout=2.0, handler_cancellation=True
        )
        await runner.setup()
        assert runner.server is not None
        loop = asyncio.get_running_loop()
        try:
            self._server = await loop.create_server(
                self.gate.protocol_factory(runner.server),
                address,
                port,
                backlog=self.gate.backlog,
                ssl=tls,
                ssl_handshake_timeout=TLS_HANDSHAKE_SECONDS if tls else None,
            )
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self.gate.start()
        port = self._server.sockets[0].getsockname()[1]  # the one the system picked, for 0
        shown = f"[{address}]" if ":" in address else address
        self.url = f"{'https' if tls else 'http'}://{shown}:{port}/"
        names = {"localhost", address.lower()}
        if self.public_url:
            names.add((urlsplit(self.public_url).hostname or "").lower())
        self._host_names = frozenset(names)
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        server, self._server = self._server, None
        if server is not None:
            server.close()  # no new connections; the open ones end with the app below
        if runner is not None:
            await runner.cleanup()
        self.gate.stop()
        self.url = None

    # --- The application --------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._answer])
        for route in self._pages:
            app.router.add_get(route, self._page)
        app.router.add_get("/api/room", self._about)
        app.router.add_post("/api/join", self._join)
        app.router.add_get("/api/state", self._state)
        app.router.add_get("/api/events", self._events)
        app.router.add_put("/api/vote", self._vote)
        app.router.add_delete("/api/vote", self._withdraw)
        app.on_startup.append(self._on_startup)
        app.on_shutdown.append(self._on_shutdown)
        app.on_cleanup.append(self._on_cleanup)
        return app

    async def _on_startup(self, _app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._closing = False
        self._unsubscribe = self.host.subscribe(self._host_changed)

    async def _on_shutdown(self, _app: web.Application) -> None:
        self._closing = True
        self._wake_streams()

    async def _on_cleanup(self, _app: web.Application) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _host_changed(self) -> None:
        self._shared_state = None
        # Listeners may be called from a worker thread; the streams live on the loop.
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake_streams)

    def _wake_streams(self) -> None:
        for streams in self._streams.values():
            for stream in streams:
                stream.waker.set()

    def _current_state(self) -> RoomState:
        state = self._shared_state
        if state is None:
            state = self._shared_state = self.host.state()
        return state

    def _tell_facilitator(self) -> None:
        for listener in list(self.on_change):
            listener()

    @web.middleware
    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Every answer carries the safety headers; every refusal is JSON."""
        self.gate.request_started(request.protocol)
        try:
            self._check_caller(request)
            response = await handler(request)
        except ApiError as error:
            response = web.json_response(error.body, status=error.status, headers=error.headers)
            if error.status == 408:
                response.force_close()  # the rest of that body may still come: no next request
        except web.HTTPException as error:  # aiohttp's own: 404, 405, 413 on a chunked body
            headers = {k: v for k, v in error.headers.items() if k.lower() == "allow"}
            response = web.json_response(
                {"error": error.reason}, status=error.status, headers=headers
            )
        finally:
            self.gate.request_finished(request.protocol)
        if not response.prepared:
            response.headers.update(SAFETY_HEADERS)
        return response

    def _check_caller(self, request: web.Request) -> None:
        """Host first (DNS rebinding), then the budget (never for the page's own files, so a
        busy room still shows why), then Origin (another site's page guessing codes)."""
        if not host_allowed(request.host, self._host_names):
            raise ApiError(421, "this room does not answer to that host name")
        if request.path in self._pages:
            return
        address = client_address(request.remote, request.headers, self.behind_proxy)
        wait = self.limiter.wait(address)
        if wait:
            raise ApiError(
                429,
                f"too many requests from your address: try again in {wait} s",
                retry_after=wait,
                headers={"Retry-After": str(wait)},
            )
        if not origin_allowed(request.headers.get("Origin"), request.host, self.public_url):
            raise ApiError(403, "requests from another site's page are refused")

    async def _page(self, request: web.Request) -> web.Response:
        body, content_type = self._pages[request.path]
        response = web.Response(body=body, content_type=content_type, charset="utf-8")
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        return response

    # --- The API ----------------------------------------------------------------------

    async def _about(self, _request: web.Request) -> web.Response:
        """What the join page shows before anyone has the code: whose room, how long a code."""
        state = self._current_state()
        return web.json_response(
            {"team": state.team, "code_length": CODE_LENGTH, "voting": state.voting}
        )

    async def _join(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        code, name = body.get("code"), body.get("name")
        if not isinstance(code, str) or not isinstance(name, str | None):
            raise ApiError(400, 'expected {"code": "…", "name": "…"}')
        if not code_matches(code, self.code):
            raise ApiError(403, "wrong join code")
        if len(self._devices) >= MAX_DEVICES:
            raise ApiError(403, "the room is full")
        state = self._current_state()
        if state.voting == "named":
            free = [p for p in state.participants if p not in self._names]
            if name not in free:
                why = "pick your name" if name is None else f"{name!r} is taken or not on the list"
                raise ApiError(403, why, names=free)
        else:
            name = None
        token = new_token()
        self._devices[token] = Voter(device=secrets.token_hex(8), name=name)
        if name is not None:
            self._names[name] = token
        for listener in list(self.on_join):
            listener(name)
        self._tell_facilitator()
        return web.json_response({"token": token, "name": name, "voting": state.voting})

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self._view(self._voter(request)))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        token = _bearer(request)
        voter = self._voter(request)
        stream = self._open_stream(token)
        response = web.StreamResponse(headers=STREAM_HEADERS)
        response.headers.update(
            {k: v for k, v in SAFETY_HEADERS.items() if k not in STREAM_HEADERS}
        )
        try:
            await response.prepare(request)
            sent = ""
            while not self._closing and stream.ending is None:
                stream.waker.clear()
                payload = json.dumps(self._view(voter))
                if payload != sent:
                    await response.write(f"event: state\ndata: {payload}\n\n".encode())
                    sent = payload
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stream.waker.wait(), self.keepalive)
                if not stream.waker.is_set():
                    await response.write(b": keep-alive\n\n")
            farewell = "closed" if self._closing else stream.ending
            await response.write(f"event: {farewell}\ndata: {{}}\n\n".encode())
        except ConnectionError:
            pass  # the device went away; nothing to tell it
        finally:
            self._close_stream(stream)
        return response

    def _open_stream(self, token: str) -> _Stream:
        """Count the stream; the token's oldest makes way past STREAMS_PER_TOKEN."""
        streams = self._streams.get(token, [])
        if not streams and self.device_count >= self.max_streams:
            raise ApiError(
                503,
                "the room has too many devices following it: try again in 10 s",
                headers={"Retry-After": "10"},
            )
        if len(streams) >= STREAMS_PER_TOKEN:
            oldest = streams.pop(0)
            oldest.ending = "replaced"
            oldest.waker.set()
        stream = _Stream(token)
        self._streams[token] = [*streams, stream]
        if not streams:
            self._tell_facilitator()  # one more device connected
        return stream

    def _close_stream(self, stream: _Stream) -> None:
        streams = [s for s in self._streams.get(stream.token, []) if s is not stream]
        if streams:
            self._streams[stream.token] = streams
        elif self._streams.pop(stream.token, None) is not None:
            self._tell_facilitator()  # one device fewer

    async def _vote(self, request: web.Request) -> web.Response:
        """A vote, a trend vote, or both: `{"indicator", "value"}`, `{"indicator", "trend"}`."""
        voter = self._voter(request)
        body = await _json_body(request)
        indicator, value, trend = body.get("indicator"), body.get("value"), body.get("trend")
        # Decimal answers (0.25) are votes too; a bool is no number (and nan no scale value).
        valid_value = value is None or type(value) in (int, float)
        if not isinstance(indicator, str) or not valid_value or (value is None and trend is None):
            raise ApiError(
                400, 'expected {"indicator": "…", "value": <a number>, "trend": "up|same|down"}'
            )
        state = self._current_state()
        if value is not None and value not in {point.value for point in state.scale}:
            raise ApiError(400, f"{value} is not on the scale")
        if trend is not None and trend not in TRENDS:
            raise ApiError(400, f"a trend is one of {', '.join(TRENDS)}")
        if trend is not None and not state.asks_trend:
            raise ApiError(400, "this model asks for no trend")
        if value is not None:
            await self._host_call(self.host.cast_vote(voter, indicator, value))
        if trend is not None:
            await self._host_call(self.host.cast_trend(voter, indicator, trend))
        return web.Response(status=204)

    async def _withdraw(self, request: web.Request) -> web.Response:
        voter = self._voter(request)
        body = await _json_body(request)
        indicator = body.get("indicator")
        if not isinstance(indicator, str):
            raise ApiError(400, 'expected {"indicator": "…"}')
        await self._host_call(self.host.withdraw_vote(voter, indicator))
        return web.Response(status=204)

    async def _host_call(self, call: Awaitable[None]) -> None:
        try:
            await asyncio.wait_for(call, SAVE_TIMEOUT_SECONDS)
        except TimeoutError:
            # Never a 204 for a vote that is not on disk: the device is told to try again.
            raise ApiError(503, "not saved yet: the facilitator's disk is not answering") from None
        except StaleIndicator:
            raise ApiError(409, "that indicator is no longer the current one") from None
        except OffScale as error:
            raise ApiError(400, str(error)) from None
        except VoteRefused as error:
            raise ApiError(409, str(error)) from None

    def _voter(self, request: web.Request) -> Voter:
        voter = self._devices.get(_bearer(request))
        if voter is None:
            raise ApiError(401, "join the room first (no or unknown token)")
        return voter

    def _view(self, voter: Voter) -> dict[str, Any]:
        state = self._current_state()
        current = state.indicator
        my_vote = self.host.vote_of(voter, current.id) if current else None
        data = state_json(state, voter, my_vote)
        data["my_trend"] = self.host.trend_of(voter, current.id) if current else None
        timebox = self.timebox
        data["timebox"] = (
            None if timebox is None else {"remaining": timebox.now(), "running": timebox.running}
        )
        return data


def state_json(state: RoomState, voter: Voter, my_vote: Number | None) -> dict[str, Any]:
    """The public shape of `/api/state`: the tally key appears only once revealed."""
    current = state.indicator
    data: dict[str, Any] = {
        "team": state.team,
        "voting": state.voting,
        "you": voter.name,
        "participants": list(state.participants),
        "indicator": None
        if current is None
        else {
            "id": current.id,
            "level": current.level,
            "level_name": current.level_name,
            "level_heading": current.level_heading,
            "dimension": current.dimension,
            "statement": current.statement,
            "guidance": current.guidance,
            "position": current.position,
            "total": current.total,
        },
        "scale": [{"value": p.value, "label": p.label, "color": p.color} for p in state.scale],
        "revealed": state.revealed,
        "my_vote": my_vote,
        "voted": list(state.voted),
        "vote_count": state.vote_count,
        "asks_trend": state.asks_trend,
        "trend_voted": list(state.trend_voted),
        "trend_count": state.trend_count,
    }
    if state.revealed and state.tally is not None:
        tally = state.tally
        data["tally"] = {
            "count": tally.count,
            "histogram": [{"value": v, "count": n} for v, n in tally.histogram],
            "median": tally.median,
            "spread": tally.spread,
            "contested": tally.contested,
            "agreed": tally.agreed,
        }
        if state.asks_trend:
            data["tally"]["trends"] = [{"trend": t, "count": n} for t, n in tally.trends]
            data["tally"]["agreed_trend"] = tally.agreed_trend
    return data


def _bearer(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _json_body(request: web.Request) -> dict[str, Any]:
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(413, f"a request body is at most {MAX_BODY} bytes")
    try:
        # aiohttp refuses chunked bodies past client_max_size (413).
        raw = await asyncio.wait_for(request.read(), BODY_SECONDS)
    except TimeoutError:
        raise ApiError(408, f"the body did not arrive within {BODY_SECONDS:g} s") from None
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ApiError(400, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


def _page_file(name: str) -> tuple[bytes, str]:
    """A file of the page, read once from package data: requests never name a path."""
    data = (resources.files("maturity_tui.room") / "static" / name).read_bytes()
    return data, CONTENT_TYPES[name[name.rfind(".") :]]
