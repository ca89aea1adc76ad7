"""Any text in a team, name, note, action or statement is data: kept byte for byte on disk,
and inert in every text, Markdown, CSV and JSON output (no escape, no control, no formula)."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from trustkit import NOW

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Action, MaturityModel, Session, new_session
from maturity_tui.domain.base import NonBlank
from maturity_tui.outputs import ACTIONS, COMPARE, OUTPUTS, PORTFOLIO, REPORT, Subject, render
from maturity_tui.portfolio import Portfolio, build_portfolio
from maturity_tui.storage import find_model, load_session, save_session
from maturity_tui.textsafe import CSV_TRIGGERS

HOSTILE = [
    "[bold]",
    "[/]",
    "[link=x]",
    "\x1b[31m",
    "\x1b]8;;http://x\x07",
    "\x1b]0;title\x1b\\",
    "\x9b31m",  # a C1 CSI: a whole escape to some terminals
    "\x85",
    "\x07",
    "\x08",
    "\r",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    " =1",
    "\n",
    "#",
    "1.",
]

any_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE),
        st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
    ),
    min_size=1,
    max_size=4,
).map("".join)

_non_blank = TypeAdapter(NonBlank)


def non_blank(text: str) -> bool:
    try:
        _non_blank.validate_python(text)
    except ValidationError:
        return False
    return True


named_text = any_text.filter(non_blank)

PROPERTIES = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

BASE = find_model("customer-engagement")

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What no text or Markdown output may hold: C0 controls but tab and newline, DEL, C1."""


def hostile_session(
    team: str, names: list[str], note: str, title: str, owner: str, statement: str
) -> Session:
    data = BASE.model_dump(mode="python")
    data["indicators"][0]["statement"] = statement
    model = MaturityModel.model_validate(data)
    session = new_session("hostile-1", model, team, participants=names, period="2026-Q4", now=NOW)
    first = model.indicators[0].id
    rating = session.rating_or_new(first)
    rating.votes = {names[0]: 4}
    rating.notes = note
    session.actions.append(Action(id=1, title=title, owner=owner, indicator=first))
    return Session.model_validate(session.model_dump(mode="python"))


sessions = st.builds(
    hostile_session,
    team=named_text,
    names=st.lists(named_text, min_size=1, max_size=3, unique=True),
    note=any_text,
    title=named_text,
    owner=any_text,
    statement=named_text,
)


@PROPERTIES
@given(session=sessions)
def test_user_text_round_trips_byte_for_byte(session: Session, tmp_path_factory: object) -> None:
    folder: Path = tmp_path_factory.mktemp("round")  # type: ignore[attr-defined]
    path = folder / "hostile-1.toml"
    save_session(session, path)
    loaded = load_session(path)
    assert loaded == session
    assert loaded.team == session.team
    assert loaded.participants == session.participants
    assert loaded.ratings[0].notes == session.ratings[0].notes
    assert loaded.actions[0].title == session.actions[0].title
    assert loaded.actions[0].owner == session.actions[0].owner
    assert loaded.model.indicators[0].statement == session.model.indicators[0].statement


def portfolio_of_one(session: Session) -> Portfolio:
    """The portfolio of a folder that holds this session alone."""
    with tempfile.TemporaryDirectory() as folder:
        save_session(session, Path(folder) / f"{session.id}.toml")
        return build_portfolio(Path(folder))


def outputs(session: Session, *format_names: str) -> dict[str, str]:
    """Every registered output in these formats, of this session (compared with itself)."""
    data: dict[Subject[Any], object] = {
        REPORT: session,
        ACTIONS: session,
        COMPARE: compare_sessions([session]),
        PORTFOLIO: portfolio_of_one(session),
    }
    return {
        output.label: output.render(data[output.subject])
        for output in OUTPUTS
        if output.format.name in format_names
    }


@PROPERTIES
@given(session=sessions)
def test_text_and_markdown_outputs_hold_no_control_character(session: Session) -> None:
    for name, text in outputs(session, "text", "markdown").items():
        assert CONTROL.search(text) is None, (name, CONTROL.search(text))


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@PROPERTIES
@given(session=sessions)
def test_csv_cells_never_start_a_formula_and_hold_no_control(session: Session) -> None:
    for name, text in outputs(session, "csv").items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                # Numbers (ratings, deltas) may be negative; text never starts a formula.
                assert not cell.lstrip().startswith(CSV_TRIGGERS) or is_number(cell), (name, cell)
                assert CONTROL.search(cell) is None, (name, cell)


@PROPERTIES
@given(session=sessions)
def test_json_keeps_user_text_exactly_with_no_raw_control(session: Session) -> None:
    for text in outputs(session, "json").values():
        assert CONTROL.search(text.replace("\n", "")) is None
    actions = render(ACTIONS, "json", session)
    report = render(REPORT, "json", session)
    listed = json.loads(actions)
    entries = listed["actions"] if isinstance(listed, dict) else listed
    assert entries[0]["title"] == session.actions[0].title
    assert entries[0].get("owner") == session.actions[0].owner
    assert json.loads(report)["team"] == session.team
