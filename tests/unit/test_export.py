"""Reports, action lists and comparisons: DESIGN's JSON keys, safe CSV, literal user text."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maturity_tui import export
from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.outputs import ACTIONS, COMPARE, OUTPUTS, PORTFOLIO, REPORT, Subject
from maturity_tui.portfolio import Portfolio, build_portfolio
from maturity_tui.storage import save_session
from maturity_tui.textsafe import CSV_TRIGGERS, csv_cell, markdown_text, strip_controls

ModelBuilder = Callable[..., dict[str, Any]]
SessionBuilder = Callable[..., Session]

REPORT_KEYS = {
    "session", "team", "period", "model", "level", "next_level", "level_name", "progress",
    "complete", "indicators", "objectives", "actions", "dimensions", "readings",
}  # fmt: skip
INDICATOR_KEYS = {
    "id", "level", "dimension", "applicable", "agreed", "achieved", "votes", "median", "min",
    "max", "spread", "contested",
}  # fmt: skip
DUE = date(2027, 1, 31)
FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1+2", "@x", "\tx", "\rx", "  =1+1"]
HOSTILE = "[bold]Evil[/] \x1b[31mred\x1b[0m \x9b31m [/]"
METRICS = [
    {"id": "nps", "name": "NPS", "kind": "quantitative", "min": -100, "max": 100, "target": 30},
    {"id": "quotes", "name": "Quotes", "kind": "qualitative"},
]


def actions(*titles: str, status: str = "open") -> list[dict[str, Any]]:
    return [
        {"id": n, "title": title, "status": status, "owner": title}
        for n, title in enumerate(titles, start=1)
    ]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def scored(make_session: SessionBuilder, make_model: ModelBuilder) -> Session:
    """a achieved; b achieved (lower median of 4, 5); c contested at 2; d unrated.

    Level 1 (c blocks level 2); progress to 2 is 1 - |{c}| / |{b, c}| = 0.5.
    """
    model = make_model(
        dimensions={"a": "x", "b": "x", "c": "y", "d": "y"},
        advancement={1: ["Meet customers"]},
        metrics=METRICS,
    )
    return make_session(
        model,
        {"a": [4, 4, 5], "b": [5, 4], "c": [2, 4, 1]},
        readings=[{"metric": "nps", "value": -12}, {"metric": "quotes", "value": "-12 =A1"}],
        actions=actions("Call Ana", "Fix"),
    )


# --- Report --------------------------------------------------------------------------------


def test_report_json_has_designs_keys_and_the_scoring_rules_values(scored: Session) -> None:
    data = json.loads(export.report_json(scored))
    assert data.keys() >= REPORT_KEYS
    assert (data["session"], data["team"], data["period"]) == ("tiny-2026-q4", "Tiny", "2026-Q4")
    assert data["model"]["id"] == "tiny" and data["model"]["version"] == "1"
    assert (data["level"], data["level_name"], data["next_level"]) == (1, "Level 1", 2)
    assert data["progress"] == 0.5
    assert data["complete"] is False, "d is unrated"
    indicators = {i["id"]: i for i in data["indicators"]}
    assert [i["id"] for i in data["indicators"]] == ["a", "b", "c", "d"], "model order"
    assert all(i.keys() >= INDICATOR_KEYS for i in data["indicators"])
    assert (
        indicators["b"].items()
        >= {"agreed": 4, "median": 4.5, "achieved": True, "votes": 2}.items()
    )
    assert (indicators["c"]["spread"], indicators["c"]["contested"]) == (3, True)
    assert indicators["d"]["agreed"] is None and indicators["d"]["votes"] == 0
    assert indicators["a"]["dimension"] == "x"
    assert data["objectives"] == [
        {"kind": "advancement", "text": "Meet customers"},
        {"kind": "indicator", "text": "Statement c", "id": "c", "agreed": 2, "target": 4},
    ]
    assert data["actions"] == {"open": 2, "done": 0, "dropped": 0}
    assert [(d["id"], d["level"], d["next_level"]) for d in data["dimensions"]] == [
        ("x", 3, None),
        ("y", 1, 2),
    ]
    assert (
        data["readings"][0].items()
        >= {"metric": "nps", "value": -12, "target": 30, "met": False}.items()
    )
    assert data["readings"][1]["met"] is None, "qualitative"


def test_text_report_names_level_progress_unrated_and_objectives(scored: Session) -> None:
    text = export.report_text(scored)
    assert "\nLevel 1 of 3\n" in text  # the level is named "Level 1": not said twice
    assert "50% of the way to level 2" in text
    assert "Incomplete: 1 unrated (d)" in text
    assert "Meet customers" in text and "Statement c (agreed 2, target 4)" in text
    assert "Contested: c (spread 3)" in text
    assert all(len(line) <= export.WIDTH for line in text.splitlines())


def test_markdown_report_names_contested_and_unrated_indicators(scored: Session) -> None:
    text = export.report_markdown(scored)
    assert "Contested: c (spread 3)." in text
    assert "Incomplete: 1 unrated (d)." in text
    assert "## Level 1 of 3\n" in text


def test_dimension_grid_marks_the_gates_each_dimension_passes(scored: Session) -> None:
    text = export.report_markdown(scored)
    assert "| X | ✓ | ✓ | ✓ | 3 | top |" in text
    assert "| Y | ✓ | · | · | 1 | 0% to 2 |" in text


# --- Action list ---------------------------------------------------------------------------


def test_action_csv_has_the_columns_and_one_row_per_action(make_session: SessionBuilder) -> None:
    session = make_session(
        actions=[
            {"id": 1, "title": 'Call, "Ana"', "indicator": "a", "due": DUE},
            {"id": 2, "title": "Plain", "status": "done", "carried_from": "tiny-2026-q3"},
        ]
    )
    header, *rows = csv_rows(export.actions_csv(session))
    assert header == ["id", "title", "indicator", "owner", "due", "status", "carried_from"]
    assert rows == [
        ["1", 'Call, "Ana"', "a", "", "2027-01-31", "open", ""],
        ["2", "Plain", "", "", "", "done", "tiny-2026-q3"],
    ]


def test_action_csv_cells_never_start_a_formula(make_session: SessionBuilder) -> None:
    _, *rows = csv_rows(export.actions_csv(make_session(actions=actions(*FORMULAS))))
    for (_, title, _, owner, *_), given_title in zip(rows, FORMULAS, strict=True):
        for cell in (title, owner):
            assert not cell.startswith(CSV_TRIGGERS), f"formula injection: {cell!r}"
            assert cell in ("'" + given_title, given_title.replace("\r", "")), "text kept"


def test_numbers_stay_numbers_in_csv_but_text_that_looks_like_one_does_not() -> None:
    assert csv_cell(-12) == -12
    assert csv_cell(-0.5) == -0.5
    assert csv_cell("-12") == "'-12"
    assert csv_cell(None) == ""


def test_compare_csv_keeps_negative_readings_numeric_and_neutralises_text(
    scored: Session,
) -> None:
    rows = {(r[0], r[1]): r[3:] for r in csv_rows(export.compare_csv(compare_sessions([scored])))}
    assert rows[("reading", "nps")] == ["-12", ""]
    assert rows[("reading", "quotes")] == ["'-12 =A1", ""]
    assert rows[("indicator", "c")] == ["2", ""]


def test_action_markdown_is_a_checklist_grouped_by_status(make_session: SessionBuilder) -> None:
    session = make_session(
        actions=[
            {"id": 1, "title": "Later", "status": "done"},
            {"id": 2, "title": "Now", "owner": "Ana", "due": DUE},
            {"id": 3, "title": "Never", "status": "dropped"},
        ]
    )
    lines = export.actions_markdown(session).splitlines()
    items = [line for line in lines if line.startswith(("- ", "## "))]
    assert items == [
        "## Open",
        "- [ ] Now (#2) — owner: Ana · due: 2027-01-31",
        "## Done",
        "- [x] Later (#1)",
        "## Dropped",
        "- [x] ~~Never~~ (#3)",
    ]


def test_action_json_keeps_every_field(make_session: SessionBuilder) -> None:
    session = make_session(actions=[{"id": 1, "title": "T", "due": DUE}])
    data = json.loads(export.actions_json(session))
    assert data["session"] == "tiny-2026-q4"
    assert data["actions"][0].items() >= {"id": 1, "due": "2027-01-31", "carried_id": None}.items()


# --- Comparison ----------------------------------------------------------------------------


def test_compare_json_has_designs_keys(scored: Session) -> None:
    data = json.loads(export.compare_json(compare_sessions([scored])))
    (session,) = data["sessions"]
    assert session.keys() >= {"id", "team", "period", "started_at", "level", "progress"}
    assert session["dimensions"] == {"x": 3, "y": 1}
    assert session["started_at"] == "2026-11-24T10:00:00Z"
    c = {"id": "c", "ratings": [2], "applicable": [True], "delta": None}
    assert data["indicators"][2].items() >= c.items()
    assert data["readings"] == {"nps": [-12], "quotes": ["-12 =A1"]}


def test_compare_text_fits_80_columns(scored: Session) -> None:
    text = export.compare_text(compare_sessions([scored, scored.model_copy(update={"id": "b"})]))
    assert "Indicators" in text and "Readings" in text
    assert all(len(line) <= export.WIDTH for line in text.splitlines())


# --- User text is literal ------------------------------------------------------------------


@pytest.fixture
def hostile(make_session: SessionBuilder, make_model: ModelBuilder) -> Session:
    return make_session(
        make_model(metrics=METRICS),
        {"a": {"votes": [4], "notes": HOSTILE}},
        team=HOSTILE,
        title=HOSTILE,
        facilitator=HOSTILE,
        readings=[{"metric": "quotes", "value": HOSTILE}],
        actions=actions(HOSTILE),
    )


def portfolio_of_one(session: Session) -> Portfolio:
    """The portfolio of a folder that holds this session alone."""
    with tempfile.TemporaryDirectory() as folder:
        save_session(session, Path(folder) / f"{session.id}.toml")
        return build_portfolio(Path(folder))


def renderers(session: Session) -> dict[str, str]:
    """Every registered output of the session (a comparison of it alone), by `subject format`."""
    data: dict[Subject[Any], object] = {
        REPORT: session,
        ACTIONS: session,
        COMPARE: compare_sessions([session]),
        PORTFOLIO: portfolio_of_one(session),
    }
    return {
        f"{output.subject.name} {output.format.name}": output.render(data[output.subject])
        for output in OUTPUTS
    }


def test_no_terminal_control_character_reaches_any_output(hostile: Session) -> None:
    for name, text in renderers(hostile).items():
        assert "\x1b" not in text and "\x9b" not in text, name


def test_text_outputs_show_markup_literally(hostile: Session) -> None:
    for name in ("report text", "compare text"):
        assert "[bold]Evil[/] red 31m [/]" in renderers(hostile)[name], name


def test_markdown_outputs_render_user_text_literally(hostile: Session) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for name in ("report markdown", "actions markdown", "compare markdown"):
        html = parser.render(renderers(hostile)[name])
        assert "[bold]Evil[/] red 31m [/]" in html, name


def test_json_keeps_user_text_exact_with_controls_escaped(hostile: Session) -> None:
    text = export.report_json(hostile)
    assert json.loads(text)["team"] == HOSTILE
    assert "\\u001b" in text and "\\u009b" in text


# --- Markdown escaping, for any text --------------------------------------------------------

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from("\\`*_[]<>|~&#-+=.!()0123456789 \n\t"),
    max_size=40,
)


def shown(text: str) -> str:
    """What the Markdown should display: the literal text on one line, HTML-escaped."""
    collapsed = " ".join(strip_controls(text).split())
    for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        collapsed = collapsed.replace(raw, entity)
    return collapsed


@given(TEXT)
def test_markdown_text_renders_as_itself_in_a_list_item_and_a_table_cell(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    escaped = markdown_text(text)
    if not escaped:
        return
    assert parser.render(f"- {escaped}") == f"<ul>\n<li>{shown(text)}</li>\n</ul>\n"
    table = parser.render(f"| h |\n| --- |\n| {escaped} |\n")
    assert f"<td>{shown(text)}</td>" in table
