"""`kill -9` at random moments loses nothing that reached the disk, nor more than one keystroke."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from trustkit import benchmark

pytestmark = pytest.mark.slow

kill_loop = benchmark("kill_loop")


def assert_nothing_lost(tally: Any, kills: int) -> None:
    assert tally.failures == [], tally.summary()
    assert tally.kills == kills
    assert tally.lost == 0
    assert tally.max_temp_files <= 1
    # Every start after the first found the dead process's lock and took it over.
    assert tally.lock_takeovers == kills - 1


def test_twenty_kills_keep_every_saved_change(tmp_path: Path) -> None:
    tally = kill_loop.kill_loop(20, tmp_path, seed=2026)
    print(tally.summary())
    assert_nothing_lost(tally, 20)
    assert tally.changes > 20  # the keys really changed the session


@pytest.mark.skipif(
    os.environ.get("MATURITY_FULL_KILL_LOOP") != "1", reason="set MATURITY_FULL_KILL_LOOP=1"
)
def test_two_hundred_kills_keep_every_saved_change(tmp_path: Path) -> None:
    tally = kill_loop.kill_loop(200, tmp_path, seed=int.from_bytes(os.urandom(2)))
    print(tally.summary())
    assert_nothing_lost(tally, 200)
