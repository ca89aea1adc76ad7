"""Every screen as an SVG at 80x24 and 120x40: fixed clock, paused timer, no cursor blink."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tuikit import build_session, make_app, settle

from maturity_tui.domain import Action, Session
from maturity_tui.storage import save_session

SIZES = [(80, 24), (120, 40)]


def workshop_session() -> Session:
    """Three indicators rated (one contested, one with consensus and notes), one action."""
    session = build_session(participants=["Ana", "Ben", "Caro", "Dana"])
    ids = [i.id for i in session.model.indicators]
    session.rating_or_new(ids[0]).votes = {"Ana": 4, "Ben": 5, "Caro": 4, "Dana": 4}
    contested = session.rating_or_new(ids[1])
    contested.votes = {"Ana": 2, "Ben": 5, "Caro": 3, "Dana": 4}
    contested.consensus = 3
    contested.notes = "Support keeps the feedback in its own tool."
    session.rating_or_new(ids[2]).votes = {"Ana": 4, "Ben": 4}
    session.actions.append(
        Action(
            id=1,
            title="Route support feedback to the team weekly",
            indicator=ids[1],
            owner="Ben",
            due=date(2027, 1, 31),
        )
    )
    return session


def still(keys: tuple[str, ...]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Press `keys`, wait for saves and screens, and stop every cursor from blinking."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)
        for widget in pilot.app.screen.query("Input, TextArea"):
            assert isinstance(widget, Input | TextArea)
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


SCREENS = {
    "voting-hidden": ("2",),
    "voting-revealed": ("p", "r"),
    "results": ("v",),
    "actions": ("a",),
    "action-form": ("a", "e"),
    "keys": ("f1",),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_workshop_screens(
    screen: str,
    size: tuple[int, int],
    snap_compare: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("sessions"), workshop_session(), index=2)
    Path("sessions").mkdir()
    assert snap_compare(app, terminal_size=size, run_before=still(SCREENS[screen]))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["home", "setup"])
def test_home_and_setup(
    screen: str,
    size: tuple[int, int],
    snap_compare: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = Path("sessions")
    folder.mkdir()
    save_session(workshop_session(), folder / "apollo-2026-q4.toml")
    (folder / "broken.toml").write_text('format = "maturity-session"\nteam = 3\n')
    keys = ("n",) if screen == "setup" else ()
    assert snap_compare(make_app(folder), terminal_size=size, run_before=still(keys))
