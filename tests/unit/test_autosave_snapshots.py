"""Autosave's cheap snapshots: after any edits, exactly what dumping the whole session gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_tui.storage import load_session
from maturity_tui.tui.autosave import Snapshots, snapshot
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
