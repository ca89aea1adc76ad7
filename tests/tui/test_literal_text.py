"""User text is never markup: `[bold]`, `[/]` and escapes show as typed on every screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import DataTable, OptionList, Static
from tuikit import build_session, make_app, model_with, settle

from maturity_tui.domain import Action, Session
from maturity_tui.storage import find_model, save_session
from maturity_tui.tui.text import clean, literal_content
from maturity_tui.tui.widgets.library_table import LibraryTable
from maturity_tui.tui.widgets.voting import ParticipantList

TEAM = "[bold]Apollo[/] \x1b[31mred"
NAMES = ["[red]Ana[/]", "\x1b[2JBen", "[/]"]
STATEMENT = "We [b]ship[/b] [/] \x1b]0;title\x07 weekly"
NOTES = "[link=http://x]click[/link]"
ACTION = "Call [italic]five[/] customers"


def screen_text(app: App[Any]) -> str:
    """Everything the current screen shows in its text widgets, tables and lists."""
    parts: list[str] = []
    for widget in app.screen.query("*"):
        if isinstance(widget, Static):
            parts.append(str(widget.render()))
        elif isinstance(widget, ParticipantList):
            parts.append(widget.text)
        elif isinstance(widget, OptionList):
            parts += [str(widget.get_option_at_index(n).prompt) for n in range(widget.option_count)]
        elif isinstance(widget, DataTable | LibraryTable):
            parts += [
                str(cell) for row in range(widget.row_count) for cell in widget.get_row_at(row)
            ]
    return "\n".join(parts)


def test_literal_keeps_markup_and_shows_escapes_without_obeying_them() -> None:
    content = literal_content("[bold]x[/] \x1b[31m\tend\x9b")
    assert content.plain == "[bold]x[/] ␛[31m    end\ufffd"
    assert list(content.spans) == []
    assert clean("a\nb", one_line=True) == "a ⏎ b"


def hostile_session() -> Session:
    base = find_model("customer-engagement")
    indicators = [i.model_dump() for i in base.indicators]
    indicators[0]["statement"] = STATEMENT
    indicators[0]["guidance"] = "[/]"
    session = build_session(
        team=TEAM, participants=NAMES, model=model_with(indicators=indicators), period="[Q4]"
    )
    rating = session.rating_or_new(indicators[0]["id"])
    rating.votes = {NAMES[0]: 1, NAMES[1]: 5}
    rating.notes = NOTES
    return session


async def test_every_screen_shows_user_text_as_typed(folder: Path) -> None:
    session = hostile_session()
    session.actions.append(
        Action(id=1, title=ACTION, owner=NAMES[2], indicator=session.model.indicators[0].id)
    )
    app = make_app(folder, session, save=True)
    seen: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        seen["voting"] = screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        seen["jump"] = screen_text(app)
        await pilot.press("escape", "v")
        await pilot.pause()
        seen["results"] = screen_text(app)
        await pilot.press("A")
        await pilot.pause()
        seen["actions"] = screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        seen["action form"] = screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        app.pop_screen()
        app.pop_screen()
        app.pop_screen()
        await settle(pilot)
        seen["home"] = screen_text(app)
    assert "[bold]Apollo[/] ␛[31mred" in seen["voting"]
    assert "We [b]ship[/b] [/] ␛]0;title␇ weekly" in seen["voting"]
    assert "[red]Ana[/]" in seen["voting"] and "␛[2JBen" in seen["voting"]
    assert NOTES in seen["voting"]
    assert "[b]ship[/b]" in seen["jump"]
    assert "[b]ship[/b]" in seen["results"]
    assert ACTION in seen["actions"]
    assert "[bold]Apollo[/] ␛[31mred" in seen["home"]
    for name, text in seen.items():
        assert "\x1b" not in text, name


async def test_home_lists_broken_files_with_their_error(folder: Path) -> None:
    save_session(build_session(team=TEAM), folder / "apollo-2026-q4.toml")
    (folder / "broken.toml").write_text("team = [/]\n")
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
    assert "broken.toml: line 1" in text and "Cannot load 1 file" in text
    assert "[bold]Apollo[/] ␛[31mred" in text


async def test_home_shows_a_sessions_folder_named_like_markup_as_typed(tmp_path: Path) -> None:
    folder = tmp_path / "[bold]x" / "[/]"  # the "/" of "[/]" makes it two folders: fine
    folder.mkdir(parents=True)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)):
        # Before the files are read: the status line names the folder being scanned.
        loading = str(app.screen.query_one("#home-status", Static).render())
    assert loading == f"Loading sessions from {folder} …"
