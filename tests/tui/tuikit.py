"""Helpers for the app's tests: fixed clock, sessions built in code, driving a Pilot."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.color import Color
from textual.filter import NoColor

from maturity_tui.domain import MaturityModel, Session, new_session
from maturity_tui.launch import Opening
from maturity_tui.storage import find_model, save_session, session_path
from maturity_tui.tui.app import MaturityApp
from waitkit import settle as settle  # the tests import it from here, beside make_app

NOW = datetime(2026, 11, 24, 10, 42, 7, tzinfo=UTC)
NAMES = ["Ana", "Ben", "Caro"]


def fixed_now() -> datetime:
    return NOW


def model_with(**changes: Any) -> MaturityModel:
    """The built-in model with some top-level parts replaced (scale, indicators…)."""
    data = find_model("customer-engagement").model_dump(mode="python")
    data.update(changes)
    return MaturityModel.model_validate(data)


def build_session(
    *,
    team: str = "Apollo",
    voting: str = "named",
    participants: list[str] | None = None,
    model: MaturityModel | None = None,
    period: str = "2026-Q4",
) -> Session:
    return new_session(
        "apollo-2026-q4",
        model or find_model("customer-engagement"),
        team,
        participants=(participants or NAMES) if voting == "named" else None,
        voting=voting,  # type: ignore[arg-type]
        period=period,
        now=NOW,
    )


def make_app(
    folder: Path, session: Session | None = None, *, index: int | None = 0, save: bool = False
) -> MaturityApp:
    """An app opened on `session` (or the home screen) with a fixed clock."""
    opening = None
    if session is not None:
        path = session_path(folder, session.id)
        if save:
            save_session(session, path)
        opening = Opening(session, path, index=index)
    return MaturityApp(sessions_dir=folder, opening=opening, now=fixed_now)


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows, line by line (as `App.export_screenshot` renders it)."""
    console = Console(width=app.size.width, height=app.size.height, record=True, file=io.StringIO())
    screen = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(screen)
    return console.export_text(styles=False).splitlines()


STANDS_OUT = ("reverse", "underline")
"""Attributes a terminal shows without any colour (NO_COLOR with the ANSI theme drops every
colour; with the others, Textual turns colours to greys of the same lightness)."""


def attributes_on(app: App[Any], text: str) -> set[str]:
    """The attributes (not colours) the terminal gets on `text` where it shows, as the
    NO_COLOR filter leaves them."""
    for strip in app.screen._compositor.render_strips():
        begin = strip.text.find(text)
        if begin < 0:
            continue
        found: set[str] = set()
        offset = 0
        for segment in NoColor().apply(list(strip), Color(0, 0, 0)):
            end = offset + len(segment.text)
            if offset < begin + len(text) and end > begin and segment.text.strip():
                style = segment.style
                found.update(name for name in STANDS_OUT if style and getattr(style, name))
            offset = end
        return found
    raise AssertionError(f"{text!r} is not on the screen")
