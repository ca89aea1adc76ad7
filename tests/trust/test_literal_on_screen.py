"""What the app draws never holds a control character from user text, on any screen or dialog
(the compositor's output, not only the widgets' content), and markup shows as typed."""

from __future__ import annotations

import re
from pathlib import Path

from textual.app import App
from trustkit import a_session

from maturity_tui.domain import Action, MaturityModel, Reading, Session
from maturity_tui.launch import Opening
from maturity_tui.storage import find_model, load_session, save_session, session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.readings import ReadingsScreen
from waitkit import settle

TEAM = "[bold]Apollo[/] \x1b[31mred\x9b2J"
NAMES = ["[red]Ana[/]", "\x1b]8;;http://x\x07Ben\x1b]8;;\x07", "\u202eCaro"]
STATEMENT = "We [b]ship[/b] \x1b[5m weekly\x07 [link=http://x]now[/link]"
NOTES = "line one \x1b[2J\nline [/] two\x08\x08\r\x85"
LABEL = "\x1b[1mGood[/]"
TITLE = "=cmd [italic]five[/] \x1b[31m"

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def hostile_session() -> Session:
    data = find_model("customer-engagement").model_dump(mode="python")
    data["indicators"][0]["statement"] = STATEMENT
    data["scale"]["points"][3]["label"] = LABEL
    session = a_session(team=TEAM, participants=NAMES)
    data_session = session.model_dump(mode="python")
    data_session["model"] = MaturityModel.model_validate(data).model_dump(mode="python")
    session = Session.model_validate(data_session)
    rating = session.rating_or_new(session.model.indicators[0].id)
    rating.votes = {NAMES[0]: 4, NAMES[1]: 2}
    rating.notes = NOTES
    session.actions.append(Action(id=1, title=TITLE, owner=NAMES[1]))
    return session


def drawn(app: App[object]) -> str:
    """Every character the screen would send to the terminal, line by line."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_every_screen_and_dialog_draws_user_text_inert(tmp_path: Path) -> None:
    session = hostile_session()
    path = session_path(tmp_path, session.id)
    save_session(session, path)
    seen: dict[str, str] = {}

    app = MaturityApp(sessions_dir=tmp_path, opening=Opening(session, path, 0))
    async with app.run_test(size=(140, 45)) as pilot:

        async def look(name: str, *keys: str) -> None:
            await pilot.press(*keys)
            await settle(pilot)
            seen[name] = drawn(app)

        await look("voting", "r")
        await look("notes dialog", "e")
        await look("voting again", "ctrl+s")  # kept unchanged: the notes stay as they were
        await look("consensus dialog", "c")
        await look("jump dialog", "escape", "g")
        await look("keys dialog", "escape", "question_mark")
        await look("results", "escape", "v")
        await look("actions", "escape", "a")
        await look("action form", "e")
        await look("actions again", "ctrl+s")  # kept unchanged: the title stays as it was
        app.pop_screen()
        app.pop_screen()
        await look("home")

    reloaded = load_session(path)
    assert reloaded.ratings[0].notes == NOTES
    assert reloaded.actions[0].title == TITLE
    assert reloaded.actions[0].owner == NAMES[1]
    controls = {
        name: sorted(set(CONTROL.findall(text.replace("\n", "")))) for name, text in seen.items()
    }
    assert {name: found for name, found in controls.items() if found} == {}
    assert "[bold]Apollo[/]" in seen["voting"]
    assert "We [b]ship[/b]" in seen["voting"]
    assert "[red]Ana[/]" in seen["voting"]
    assert "line one" in seen["notes dialog"]
    assert "Good[/]" in seen["consensus dialog"]
    assert "[italic]five[/]" in seen["actions"]
    assert "[bold]Apollo[/]" in seen["home"]


async def test_readings_draw_hostile_values_inert_and_keep_them_when_left_unchanged(
    tmp_path: Path,
) -> None:
    session = hostile_session()
    value, note = "\x1b[31m[bold]loved it[/]\x07", "\x1b]8;;http://x\x07see\x1b]8;;\x07"
    session.readings.append(Reading(metric="testimonials", value=value, note=note))
    path = session_path(tmp_path, session.id)
    save_session(session, path)
    seen: dict[str, str] = {}

    app = MaturityApp(sessions_dir=tmp_path, opening=Opening(session, path, 0))
    async with app.run_test(size=(140, 100)) as pilot:
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ReadingsScreen)
        assert app.workshop is not None
        before = app.workshop.revision
        seen["readings"] = drawn(app)
        await pilot.press("escape")  # leaving stores every row that changed
        await pilot.pause()
        assert app.workshop.revision == before

    assert CONTROL.findall(seen["readings"].replace("\n", "")) == []
    assert "␛[31m[bold]lov" in seen["readings"]  # as typed, escape made visible
    reading = session.reading("testimonials")
    assert reading is not None and (reading.value, reading.note) == (value, note)
