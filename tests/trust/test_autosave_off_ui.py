"""The UI thread never waits for the disk: with every fsync slowed to 200 ms, vote keys are
still handled within a frame and the worker coalesces them into fewer saves."""

from __future__ import annotations

from pathlib import Path

import pytest
from trustkit import benchmark

pytestmark = pytest.mark.slow

autosave = benchmark("autosave")


async def test_keys_are_handled_while_a_slow_save_runs(tmp_path: Path) -> None:
    result = await autosave.keys_during_slow_saves(12, 200.0, tmp_path)
    latencies = result["latencies"]
    assert len(latencies) == 12
    assert max(latencies) < 50  # a key that waited for a save would take 200 ms or more
    assert result["keys with a save in flight"] >= 10
    assert 1 <= result["saves"] < 12  # coalesced, newest snapshot wins
    assert result["saved the latest"]


def test_one_save_costs_the_ui_thread_a_small_part_of_a_frame(tmp_path: Path) -> None:
    times = autosave.measure_one_save(10, tmp_path)
    assert sorted(times["UI: snapshot + offer"])[5] < autosave.FRAME_MS / 4
