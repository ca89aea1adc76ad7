"""Waiting for a condition, never for a fixed time: a test that waits so passes on a loaded
machine (CI, parallel workers) as on a fast one, and takes no longer than the condition does."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

PATIENCE = 30.0
"""Seconds to wait for what a working program does at once: a bound on a hang, not a speed."""


async def until(condition: Callable[[], bool], what: str, timeout: float = PATIENCE) -> None:
    """Return as soon as `condition()` holds; fail saying `what` did not happen in time."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s")
        await asyncio.sleep(0.02)


async def settle(pilot: Pilot[Any]) -> None:
    """Let screens switch and every worker (the library's fill, each save) finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
