"""The room's guards: the join code, device tokens, a request budget per address, and who
is asking (the address behind a trusted proxy, the Host and Origin a request names)."""

from __future__ import annotations

import hmac
import ipaddress
import math
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a code read off a projector is typed right the first time."""
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    """What people type: lower case, spaces or dashes between groups."""
    return "".join(code.split()).replace("-", "").upper()


def valid_join_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


def code_matches(typed: str, code: str) -> bool:
    # Constant time: the comparison gives no hint of how many characters were right.
    return hmac.compare_digest(normalize_code(typed).encode(), code.encode())


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(slots=True)
class _Bucket:
    tokens: float
    stamp: float


@dataclass(slots=True)
class RateLimiter:
    """A token bucket per remote address: `burst` requests at once, `rate` per second after."""

    burst: float = 40.0
    rate: float = 10.0
    clock: Callable[[], float] = time.monotonic
    max_addresses: int = 4096
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, address: str) -> bool:
        return self.wait(address) == 0

    def wait(self, address: str) -> int:
        """Take one request from the address's budget: 0, or the whole seconds to wait."""
        now = self.clock()
        bucket = self._buckets.get(address)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[address] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            return max(1, math.ceil((1 - bucket.tokens) / self.rate))
        bucket.tokens -= 1
        return 0

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded: drop the buckets that have refilled (they hold no history)."""
        if len(self._buckets) < self.max_addresses:
            return
        full_after = self.burst / self.rate
        for address, bucket in list(self._buckets.items()):
            if now - bucket.stamp >= full_after:
                del self._buckets[address]


# --- Who is asking ------------------------------------------------------------------------


def is_loopback(address: str | None) -> bool:
    ip = _ip(address or "")
    return ip is not None and ip.is_loopback


def client_address(peer: str | None, headers: Mapping[str, str], behind_proxy: bool) -> str:
    """The address a request's budget is counted against.

    Behind a proxy every request arrives from the proxy, so its forwarding headers name the
    participant; they are believed only from a loopback peer (the coach's own proxy or tunnel
    on this machine) and only with `behind_proxy`, else anyone could pick their own bucket.
    The last entry of a list is the one the proxy added; earlier ones come from the client.
    """
    peer = peer or "?"
    if not behind_proxy or not is_loopback(peer):
        return peer
    candidates = [
        headers.get("CF-Connecting-IP", ""),
        _last_forwarded_for(headers.get("Forwarded", "")),
        headers.get("X-Forwarded-For", "").rsplit(",", 1)[-1],
    ]
    for candidate in candidates:
        address = _ip(candidate.strip())
        if address is not None:
            return str(address)
    return peer


def _last_forwarded_for(forwarded: str) -> str:
    """RFC 7239: `Forwarded: for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"`."""
    for element in reversed(forwarded.split(",")):
        for pair in element.split(";"):
            key, _, value = pair.strip().partition("=")
            if key.lower() == "for":
                value = value.strip('"')
                if value.startswith("["):  # [v6] or [v6]:port
                    return value[1 : value.find("]")]
                return value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    return ""


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_name(authority: str) -> str:
    """`Example.org:8443` -> `example.org`, `[::1]:8765` -> `::1`; '' for nothing usable."""
    try:
        return (urlsplit(f"//{authority}").hostname or "").lower()
    except ValueError:
        return ""


def host_allowed(authority: str, names: frozenset[str]) -> bool:
    """A Host header the room answers: an IP address, or one of the names it was given.

    DNS rebinding sends a name the attacker controls; an address literal cannot be rebound.
    """
    name = host_name(authority)
    return bool(name) and (_ip(name) is not None or name in names)


def origin_allowed(origin: str | None, host: str, public_url: str | None) -> bool:
    """A browser's Origin (when it sends one) must be the room itself: the page's own address
    as the request names it, or the public URL a proxy or tunnel serves it at."""
    if origin is None:
        return True
    try:
        seen = urlsplit(origin)
        where = (seen.hostname or "", seen.port or DEFAULT_PORTS.get(seen.scheme))
        request = urlsplit(f"//{host}")
        allowed = {(request.hostname or "", request.port or where[1])}
        if public_url:
            public = urlsplit(public_url)
            allowed.add((public.hostname or "", public.port or DEFAULT_PORTS.get(public.scheme)))
    except ValueError:  # a port that is no number
        return False
    return bool(where[0]) and where in allowed  # "null" (a sandboxed frame) has no host


DEFAULT_PORTS = {"http": 80, "https": 443}
