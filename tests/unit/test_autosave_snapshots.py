"""Autosave's cheap snapshots: after any edits, exactly what dumping the whole session gives."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_tui.storage import load_session
from maturity_tui.tui import autosave
from maturity_tui.tui.autosave import Saver, Snapshots, TomlText, snapshot
from maturity_tui.workshop import Workshop, WorkshopError

GOOD = Path(__file__).parents[1] / "data" / "good"
GOOD_SESSION = GOOD / "named-session.toml"

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
    lambda w: w.set_notes('a "quoted", multi-line\nnote [with] = signs, and a long tail ' * 3),
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


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["named-session.toml", "anonymous-session.toml", "board-session.toml"]),
    st.lists(st.sampled_from(EDITS), max_size=30),
)
def test_the_reused_toml_text_is_tomli_w_s_after_any_edits(name: str, edits: list[Edit]) -> None:
    """Autosave's worker reuses the text of unchanged tables: byte for byte what dumping the
    whole snapshot gives, whether the ratings are an array of tables or short enough to be
    an inline array, and with a note that needs escaping."""
    workshop = Workshop(load_session(GOOD / name))
    snapshots, toml = Snapshots(), TomlText()
    for edit in [lambda w: None, *edits]:
        try:
            edit(workshop)
        except WorkshopError:
            continue
        data = snapshots.take(workshop.session)
        assert toml.dumps(data) == tomli_w.dumps(data)


def test_short_ratings_make_an_inline_array_and_a_long_one_an_array_of_tables() -> None:
    """tomli_w writes an array of tables inline when every table fits on a line: the reused
    text follows it both ways, and back."""
    session = load_session(GOOD / "named-session.toml")
    session.ratings = session.ratings[:2]
    for rating in session.ratings:
        rating.votes, rating.notes = {"Ana": 3}, None
    workshop, snapshots, toml = Workshop(session), Snapshots(), TomlText()
    data = snapshots.take(session)
    assert "ratings = [" in toml.dumps(data) == tomli_w.dumps(data)
    workshop.set_notes("long enough to keep this rating from fitting on one line " * 2)
    data = snapshots.take(session)
    assert "[[ratings]]" in toml.dumps(data) == tomli_w.dumps(data)
    workshop.set_notes("")
    data = snapshots.take(session)
    assert "ratings = [" in toml.dumps(data) == tomli_w.dumps(data)
