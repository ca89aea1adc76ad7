"""Voting and results on a board model (health check) and a score model (SAMM-shaped) as
SVGs at 80x24 and 120x40: fixed clock, paused timer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_snapshots import SIZES, still
from tuikit import build_session, make_app

from maturity_tui.domain import Session
from maturity_tui.storage import find_model, load_session

ORION = Path(__file__).parents[1] / "data" / "golden" / "input" / "orion-2026-q4.toml"


def health_check() -> Session:
    """Vega's check: two cards voted and revealed, the third being voted on."""
    session = build_session(team="Vega", model=find_model("squad-health-check"))
    ids = [i.id for i in session.model.indicators]
    easy = session.rating_or_new(ids[0])
    easy.votes, easy.trend_votes = {"Ana": 2, "Ben": 2, "Caro": 3}, {"Ana": "up", "Ben": "up"}
    process = session.rating_or_new(ids[1])
    process.votes = {"Ana": 1, "Ben": 1, "Caro": 2}
    process.trend_votes = {"Ana": "down", "Ben": "same", "Caro": "down"}
    green = session.rating_or_new(ids[3])
    green.votes, green.trend = {"Ana": 3, "Ben": 3, "Caro": 3}, "same"
    return session


SESSIONS = {"board": health_check, "score": lambda: load_session(ORION)}
CASES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    # mode, indicator index, keys. The board: the third card, one colour and one trend
    # cast; Orion (score): its second question, two of three votes in the file.
    "board-voting-hidden": ("board", 2, ("3", "u", "1")),
    "board-voting-revealed": ("board", 1, ("r",)),
    "board-results": ("board", 2, ("v",)),
    "score-voting-hidden": ("score", 1, ("3",)),
    "score-voting-revealed": ("score", 1, ("r",)),
    "score-results": ("score", 1, ("v",)),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("case", CASES)
def test_format2_screens(case: str, size: tuple[int, int], folder: Path, snap_compare: Any) -> None:
    mode, index, keys = CASES[case]
    app = make_app(folder, SESSIONS[mode](), index=index)
    assert snap_compare(app, terminal_size=size, run_before=still(keys))
