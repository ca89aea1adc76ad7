"""The room server: the voting page and DESIGN's JSON API, inside the app's own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from aiohttp import web

from maturity_tui.room.guard import (
    CODE_ALPHABET,
    CODE_LENGTH,
    RateLimiter,
    code_matches,
    new_join_code,
    new_token,
    normalize_code,
    valid_join_code,
)
from maturity_tui.room.host import OffScale, RoomHost, RoomState, StaleIndicator, Voter, VoteRefused

DEFAULT_PORT = 8765
MAX_BODY = 4096
MAX_DEVICES = 500
KEEPALIVE_SECONDS = 15.0
SAVE_TIMEOUT_SECONDS = 10.0

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


class ApiError(Exception):
    """A refusal with DESIGN's status code; the answer is JSON: {"error": "…", …}."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": message, **extra}


class Room:
    """The devices in the room, their tokens, and the server that lets them vote.

    `start()` and `stop()` run an aiohttp site in the current event loop; tests can also
    serve `room.app` with aiohttp's test server.
    """

    def __init__(
        self,
        host: RoomHost,
        *,
        code: str | None = None,
        limiter: RateLimiter | None = None,
        keepalive: float = KEEPALIVE_SECONDS,
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
        self.on_change: list[Callable[[], None]] = []
        """Told when a device joins or a name is released: the room screen lists them."""
        self.url: str | None = None
        self._devices: dict[str, Voter] = {}
        self._names: dict[str, str] = {}
        self._wakers: set[asyncio.Event] = set()
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._unsubscribe: Callable[[], None] | None = None
        # Built once per change and shared by every stream: 30 devices, one state.
        self._shared_state: RoomState | None = None
        self._runner: web.AppRunner | None = None
        self._pages = {route: _page_file(name) for route, name in PAGE_FILES.items()}
        self.app = self._build_app()

    # --- For the facilitator ----------------------------------------------------------

    @property
    def invite_url(self) -> str | None:
        """The URL with the code in its fragment, for the QR code: the page fills it in.

        A fragment never leaves the phone, so the code is not sent in any request line.
        """
        return f"{self.url}#code={self.code}" if self.url else None

    @property
    def taken_names(self) -> list[str]:
        return list(self._names)

    @property
    def device_count(self) -> int:
        return len(self._devices)

    def release(self, name: str) -> bool:
        """Free a participant's name so that another device can join as them."""
        token = self._names.pop(name, None)
        if token is None:
            return False
        del self._devices[token]
        self._wake_streams()
        self._tell_facilitator()
        return True

    async def start(self, bind: str | None = None, port: int = DEFAULT_PORT) -> str:
        """Listen on `bind` (default: the LAN address) and return the URL to join at."""
        address = bind or lan_address()
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, address, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        port = runner.addresses[0][1]  # the one the system picked, for port 0
        shown = f"[{address}]" if ":" in address else address
        self.url = f"http://{shown}:{port}/"
        return self.url

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self.url = None

    # --- The application --------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._answer])
        for route in self._pages:
            app.router.add_get(route, self._page)
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
        for waker in self._wakers:
            waker.set()

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
        try:
            if not self.limiter.allow(request.remote or "?"):
                raise ApiError(429, "too many requests: slow down")
            response = await handler(request)
        except ApiError as error:
            response = web.json_response(error.body, status=error.status)
        except web.HTTPException as error:  # aiohttp's own: 404, 405, 413 on a chunked body
            headers = {k: v for k, v in error.headers.items() if k.lower() == "allow"}
            response = web.json_response(
                {"error": error.reason}, status=error.status, headers=headers
            )
        if not response.prepared:
            response.headers.update(SAFETY_HEADERS)
        return response

    async def _page(self, request: web.Request) -> web.Response:
        body, content_type = self._pages[request.path]
        response = web.Response(body=body, content_type=content_type, charset="utf-8")
        response.headers["Content-Security-Policy"] = PAGE_POLICY
        return response

    # --- The API ----------------------------------------------------------------------

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
        self._tell_facilitator()
        return web.json_response({"token": token, "name": name, "voting": state.voting})

    async def _state(self, request: web.Request) -> web.Response:
        return web.json_response(self._view(self._voter(request)))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        token = _bearer(request)
        voter = self._voter(request)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        response.headers.update(SAFETY_HEADERS)
        await response.prepare(request)
        waker = asyncio.Event()
        self._wakers.add(waker)
        sent = ""
        try:
            while not self._closing and self._devices.get(token) is voter:
                waker.clear()
                payload = json.dumps(self._view(voter))
                if payload != sent:
                    await response.write(f"event: state\ndata: {payload}\n\n".encode())
                    sent = payload
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waker.wait(), self.keepalive)
                if not waker.is_set():
                    await response.write(b": keep-alive\n\n")
            farewell = "closed" if self._closing else "revoked"
            await response.write(f"event: {farewell}\ndata: {{}}\n\n".encode())
        except ConnectionError:
            pass  # the device went away; nothing to tell it
        finally:
            self._wakers.discard(waker)
        return response

    async def _vote(self, request: web.Request) -> web.Response:
        voter = self._voter(request)
        body = await _json_body(request)
        indicator, value = body.get("indicator"), body.get("value")
        if not isinstance(indicator, str) or type(value) is not int:
            raise ApiError(400, 'expected {"indicator": "…", "value": <a number>}')
        if value not in {point.value for point in self._current_state().scale}:
            raise ApiError(400, f"{value} is not on the scale")
        await self._host_call(self.host.cast_vote(voter, indicator, value))
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
        return state_json(state, voter, my_vote)


def state_json(state: RoomState, voter: Voter, my_vote: int | None) -> dict[str, Any]:
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
            "dimension": current.dimension,
            "statement": current.statement,
            "guidance": current.guidance,
            "position": current.position,
            "total": current.total,
        },
        "scale": [{"value": p.value, "label": p.label} for p in state.scale],
        "revealed": state.revealed,
        "my_vote": my_vote,
        "voted": list(state.voted),
        "vote_count": state.vote_count,
    }
    if state.revealed and state.tally is not None:
        tally = state.tally
        data["tally"] = {
            "count": tally.count,
            "histogram": [{"value": v, "count": n} for v, n in tally.histogram],
            "median": tally.median,
            "spread": tally.spread,
            "contested": tally.contested,
        }
    return data


def _bearer(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _json_body(request: web.Request) -> dict[str, Any]:
    if (request.content_length or 0) > MAX_BODY:
        raise ApiError(413, f"a request body is at most {MAX_BODY} bytes")
    raw = await request.read()  # aiohttp refuses chunked bodies past client_max_size (413)
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
