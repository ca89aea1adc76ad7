"""The room's guards: the join code, device tokens and a request budget per address."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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
        now = self.clock()
        bucket = self._buckets.get(address)
        if bucket is None:
            self._forget_idle(now)
            bucket = self._buckets[address] = _Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded: drop the buckets that have refilled (they hold no history)."""
        if len(self._buckets) < self.max_addresses:
            return
        full_after = self.burst / self.rate
        for address, bucket in list(self._buckets.items()):
            if now - bucket.stamp >= full_after:
                del self._buckets[address]
