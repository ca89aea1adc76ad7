"""The room's door: how many connections it keeps open, and for how long one may idle.

Nobody without the join code should be able to exhaust the app's file descriptors (its
autosave needs them) or hold connections open forever. aiohttp has no cap on connections
and, depending on its version, no deadline for a request's headers; the gate adds both
between the listening socket and aiohttp's protocol:

- past `max_connections` open at once, or `per_address` from one address, a new
  connection is answered 503 and closed (a proxy on this machine, which brings everyone's
  connections, counts only against the total);
- a connection that is not inside a request (none yet, headers still trickling in, or
  idle between requests) for `idle_seconds` is closed. Event streams are inside their
  request for as long as they last: the room caps those itself.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maturity_tui.room.guard import is_loopback

DEFAULT_MAX_CONNECTIONS = 200
PER_ADDRESS = 32
"""A browser opens at most 6 connections to a site; a few phones behind one NAT fit too."""
IDLE_SECONDS = 15.0
"""Long enough for a phone between taps on a keep-alive connection, short enough that a
flood of silent connections drains away on its own."""
MAX_BACKLOG = 100
"""asyncio's own default."""
FULL = b"The room has too many connections right now: try again in 5 seconds.\n"
FULL_ANSWER = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    b"Retry-After: 5\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(FULL), FULL)
)
"""Written straight to the socket: aiohttp never sees a connection the gate turns away."""


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    """The server side of HTTPS from a certificate chain and its key (PEM files).

    Raises OSError or ssl.SSLError naming what is wrong with the files."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def descriptor_limit() -> int | None:
    """The process's soft limit on open files; None where there is none to respect."""
    if sys.platform == "win32":
        return None
    import resource

    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return None if soft == resource.RLIM_INFINITY else soft


def connection_cap(default: int = DEFAULT_MAX_CONNECTIONS) -> int:
    """At most half the process's file-descriptor limit: the other half stays the app's
    (session files, the terminal, Textual). macOS's default soft limit is 256."""
    limit = descriptor_limit()
    return default if limit is None else max(8, min(default, limit // 2))


def accept_backlog(max_connections: int) -> int:
    """How many connections the listening socket queues, and asyncio accepts in one go.

    asyncio accepts up to the backlog per tick and a refused connection holds its
    descriptor for a few ticks more (transport, `connection_made`, close), so bursts
    overlap: at asyncio's default of 100, a flood past the cap briefly held 300
    descriptors and the autosave met "Too many open files" at a limit of 256. An eighth
    of the descriptors left over keeps even a few overlapping bursts inside them."""
    limit = descriptor_limit()
    if limit is None:
        return MAX_BACKLOG
    return max(8, min(MAX_BACKLOG, (limit - max_connections) // 8))


@dataclass(eq=False)
class _Connection:
    """What the gate knows of one open connection."""

    transport: asyncio.BaseTransport
    address: str
    quiet_since: float
    requests: int = 0
    """Requests being answered on it now (HTTP/1.1: one at a time)."""


@dataclass
class Gate:
    """Wraps aiohttp's protocol factory: `loop.create_server(gate.protocol_factory(f), …)`."""

    max_connections: int = field(default_factory=connection_cap)
    per_address: int = PER_ADDRESS
    proxy_on_loopback: bool = False
    """`--behind-proxy`: loopback connections are the proxy's, everyone's together."""
    idle_seconds: float = IDLE_SECONDS
    clock: Callable[[], float] = time.monotonic
    open: dict[object, _Connection] = field(default_factory=dict)
    """Keyed by aiohttp's protocol of the connection, which a request knows as its protocol."""
    refused: int = 0
    backlog: int = field(init=False)
    _sweeper: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.backlog = accept_backlog(self.max_connections)

    def protocol_factory(self, make: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        return lambda: _Gated(self, make)

    def admits(self, address: str) -> bool:
        if len(self.open) >= self.max_connections:
            return False
        if self.proxy_on_loopback and is_loopback(address):
            return True
        same = sum(1 for c in self.open.values() if c.address == address)
        return same < self.per_address

    def request_started(self, protocol: object) -> None:
        connection = self.open.get(protocol)
        if connection is not None:
            connection.requests += 1

    def request_finished(self, protocol: object) -> None:
        connection = self.open.get(protocol)
        if connection is not None:
            connection.requests -= 1
            connection.quiet_since = self.clock()

    def start(self) -> None:
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep_forever())

    def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            self._sweeper = None

    def sweep(self) -> int:
        """Close the connections quiet for too long; how many were closed."""
        deadline = self.clock() - self.idle_seconds
        stale = [c for c in self.open.values() if not c.requests and c.quiet_since <= deadline]
        for connection in stale:
            connection.transport.close()
        return len(stale)

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(min(1.0, self.idle_seconds / 4))
            self.sweep()


class _Gated(asyncio.Protocol):
    """aiohttp's protocol behind the gate: counted while open, or refused when full."""

    def __init__(self, gate: Gate, make: Callable[[], Any]) -> None:
        self.gate = gate
        self.make = make
        self.inner: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        gate = self.gate
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) else "?"
        if not gate.admits(address):
            gate.refused += 1
            if isinstance(transport, asyncio.WriteTransport):
                transport.write(FULL_ANSWER)
            transport.close()
            return
        self.inner = self.make()
        gate.open[self.inner] = _Connection(transport, address, gate.clock())
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.inner is not None:
            self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.inner is not None else None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.inner is not None:
            self.gate.open.pop(self.inner, None)
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self.inner is not None:
            self.inner.pause_writing()

    def resume_writing(self) -> None:
        if self.inner is not None:
            self.inner.resume_writing()
