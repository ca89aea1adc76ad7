"""Autosave's cheap snapshots: after any edits, exactly what dumping the whole session gives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_tui.storage import load_session
from maturity_tui.tui import autosave
from maturity_tui.tui.autosave import Saver, Snapshots, snapshot
from maturity_tui.workshop import Workshop, WorkshopError

GOOD_SESSION = Path(__file__).parents[1] / "data" / "good" / "named-session.toml"

Edit = Callable[[Workshop], object]

EDITS: list[Edit] = [
    *(lambda w, n=n: w.cast_at(n) for n in range(1, 6)),
    lambda w: w.undo_last(),
    lambda w: w.next(),
    lambda w: w.previous(),
    lambda w: w.move_highlight(1),
    lambda w: w.reveal(),
    lambda w: w.revote(),
    lambda w: w.set_consensus(3),
    lambda w: w.set_consensus(None),
    lambda w: w.set_not_applicable(True),
    lambda w: w.set_not_applicable(False),
    lambda w: w.set_notes("talked it over"),
    lambda w: w.set_notes(""),
    lambda w: w.add_action("Call three customers"),
    lambda w: w.set_status("complete"),
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(EDITS), max_size=30))
def test_snapshots_equal_a_whole_dump_after_any_edits(edits: list[Edit]) -> None:
    workshop = Workshop(load_session(GOOD_SESSION))
    snapshots = Snapshots()
    taken = []
    for edit in edits:
        try:
            edit(workshop)
        except WorkshopError:
            continue
        data = snapshots.take(workshop.session)
        whole = snapshot(workshop.session)
        assert data == whole
        assert list(data) == list(whole)  # the saved file keeps its order of keys
        taken.append((data, whole))
    # Earlier snapshots, partly shared with later ones, were never changed by later edits.
    for data, whole in taken:
        assert data == whole


def saver_with_one_change(tmp_path: Path) -> tuple[Saver, Workshop]:
    workshop = Workshop(load_session(GOOD_SESSION))
    saver = Saver(tmp_path / "session.toml")
    workshop.set_notes("written after the frame")
    saver.offer(saver.snapshots.take(workshop.session), workshop.revision)
    return saver, workshop


def test_a_held_save_waits_for_the_frame_at_most_a_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody says the change is drawn (the UI is busy): the save still happens, DRAW_WAIT later."""
    monkeypatch.setattr(autosave, "DRAW_WAIT", 0.2)
    saver, workshop = saver_with_one_change(tmp_path)
    saver.hold_until_drawn()
    started = time.monotonic()
    saver.run()
    assert time.monotonic() - started >= 0.2, "it waited for the frame"
    assert load_session(saver.path) == workshop.session


def test_a_save_goes_once_the_change_is_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autosave, "DRAW_WAIT", 30.0)
    saver, workshop = saver_with_one_change(tmp_path)
    drawn = saver.hold_until_drawn()
    worker = threading.Thread(target=saver.run)
    worker.start()
    assert not saver.path.exists(), "held until the change is drawn"
    drawn()
    worker.join(timeout=20)
    assert not worker.is_alive(), "released by the frame, not by the 30 s bound"
    assert load_session(saver.path) == workshop.session
