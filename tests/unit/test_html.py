"""The HTML outputs: hostile text stays text, the charts and their text equivalents are there,
and each page needs nothing from outside (no script, no request)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.html_report import render_compare, render_portfolio, render_report
from maturity_tui.portfolio import build_portfolio
from maturity_tui.storage import find_model, save_session
from modekit import board_session, score_session

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "{{ 7*7 }}{% if 1 %}x{% endif %}",
    "[bold]red[/]",
    '=HYPERLINK("http://x","y")',
    "' onmouseover='alert(3)",
    "</title></style><svg onload=alert(4)>",
    "&amp; &lt;",
]
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "footer",
    "section",
    "article",
    "figure",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "p",
    "ul",
    "ol",
    "li",
    "b",
    "small",
    "span",
    "strong",
    "div",
    "br",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "svg",
    "g",
    "rect",
    "line",
    "circle",
    "path",
    "polygon",
    "text",
    "tspan",
    "defs",
    "pattern",
}


class Page(HTMLParser):
    """Every tag and attribute of a page, and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def count(self, tag: str, css_class: str | None = None) -> int:
        return sum(
            1
            for name, attrs in self.tags
            if name == tag
            and (css_class is None or css_class in (attrs.get("class") or "").split())
        )


def hostile_session(text: str, period: str = "2026-Q4", day: int = 0) -> Session:
    """The built-in model with `text` in every place a person or a model file writes."""
    model = find_model("customer-engagement").model_dump(mode="python")
    model["name"] = f"Model {text}"
    model["levels"][1]["name"] = f"Level {text}"
    model["levels"][0]["advancement"] = [f"Advance {text}"]
    model["dimensions"][0]["name"] = f"Dimension {text}"
    model["metrics"][0]["name"] = f"Metric {text}"
    model["metrics"][0]["unit"] = text[:20]
    for indicator in model["indicators"]:
        indicator["statement"] = f"{indicator['id']} {text}"
    started = datetime(2026, 10, 1, 10, 0, tzinfo=UTC) + timedelta(days=day)
    ratings: list[dict[str, Any]] = [
        {"indicator": i["id"], "votes": {text: 5, "Ben": 3 if n % 3 else 1}, "notes": text}
        for n, i in enumerate(model["indicators"][:-3])
    ]
    metric = model["metrics"][0]
    value = metric.get("target") or (metric.get("max") or 10) / 2
    data = {
        "format": "maturity-session",
        "format_version": 1,
        "id": f"hostile-{period.lower()}",
        "team": f"Team {text}",
        "title": f"Title {text}",
        "facilitator": text,
        "period": period,
        "started_at": started,
        "updated_at": started,
        "participants": [text, "Ben"],
        "model": model,
        "ratings": ratings,
        "readings": [{"metric": metric["id"], "value": value, "note": text}],
        "actions": [
            {"id": 1, "title": text, "owner": text, "due": date(2027, 1, 31)},
            {"id": 2, "title": f"Second {text}", "status": "done"},
        ],
    }
    return Session.model_validate(data)


def pages(text: str, folder: Path) -> dict[str, str]:
    older, newer = hostile_session(text, "2026-Q3", 0), hostile_session(text, "2026-Q4", 90)
    for session in (older, newer):
        save_session(session, folder / f"{session.id}.toml")
    return {
        "report": render_report(newer),
        "compare": render_compare(compare_sessions([older, newer])),
        "portfolio": render_portfolio(build_portfolio(folder)),
    }


def assert_shown_as_text(text: str, pages: dict[str, str]) -> None:
    """No element, attribute or template expression came from `text`; the team shows it."""
    for name, html in pages.items():
        page = Page(html)
        unknown = {tag for tag, _ in page.tags} - ALLOWED_TAGS
        assert not unknown, f"{name}: markup from user text became elements: {unknown}"
        handlers = [(tag, a) for tag, attrs in page.tags for a in attrs if a.startswith("on")]
        assert not handlers, f"{name}: event handler attributes {handlers}"
        assert f"Team {text}" in page.text, f"{name}: the team is not shown literally"
        assert "49" not in page.text.replace(text, ""), f"{name}: a template expression ran"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_as_text_in_every_page(text: str, tmp_path: Path) -> None:
    assert_shown_as_text(text, pages(text, tmp_path))


def test_the_report_shows_each_kind_of_user_text_literally(tmp_path: Path) -> None:
    text = HOSTILE[0]
    page = Page(pages(text, tmp_path)["report"])
    for shown in (f"Title {text}", f"Dimension {text}", f"Advance {text}", f"Metric {text}"):
        assert shown in page.text, shown
    assert page.text.count(text) >= 5, "facilitator, action, owner, note, statements"


def test_pages_need_nothing_from_outside(tmp_path: Path) -> None:
    for name, html in pages("x", tmp_path).items():
        page = Page(html)
        assert page.count("script") == 0 and page.count("link") == 0, name
        for tag, attrs in page.tags:
            assert not {"src", "href"} & set(attrs), (name, tag, attrs)
        policy = [a.get("content") for t, a in page.tags if a.get("http-equiv")]
        assert policy == ["default-src 'none'; style-src 'unsafe-inline'"], name
        assert "@media print" in html and "break-before: page" in html, name


def test_every_chart_carries_its_text(tmp_path: Path) -> None:
    """Each SVG says what it shows, to a screen reader and in a tooltip."""
    for name, html in pages("x", tmp_path).items():
        page = Page(html)
        charts = [attrs for tag, attrs in page.tags if tag == "svg"]
        assert charts, f"{name} has no chart"
        for attrs in charts:
            assert attrs.get("role") == "img" and attrs.get("aria-label"), (name, attrs)


def test_the_report_draws_the_ladder_grid_histograms_and_gauges(tmp_path: Path) -> None:
    page = Page(pages("x", tmp_path)["report"])
    assert page.count("figure", "ladder") == 1
    assert page.count("rect", "step-reached") + page.count("rect", "step-next") >= 2
    assert page.count("table", "grid-dimensions") == 1
    assert page.count("svg", "gauge") == 1, "one reading, one gauge"
    assert page.count("article") >= 1, "contested indicators, each with its histogram"
    assert page.count("td", "heat") == 20, "every indicator, its agreed rating coloured"


# --- Score and board models ------------------------------------------------------------------


def mode_pages(text: str, folder: Path) -> dict[str, str]:
    """A score model's and a board's report, comparison and portfolio (one folder, both)."""
    scores = [score_session(f"Team {text}", f"2026-Q{n + 1}", n, text) for n in range(3)]
    boards = [board_session(name, text) for name in ("vega-2026-q3.toml", "vega-2026-q4.toml")]
    for session in (*scores, *boards):
        save_session(session, folder / f"{session.id}.toml")
    return {
        "score report": render_report(scores[-1]),
        "score compare": render_compare(compare_sessions(scores)),
        "board report": render_report(boards[-1]),
        "board compare": render_compare(compare_sessions(boards)),
        "portfolio": render_portfolio(build_portfolio(folder)),
    }


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_as_text_in_score_and_board_pages(text: str, tmp_path: Path) -> None:
    assert_shown_as_text(text, mode_pages(text, tmp_path))


def cells(html: str, css_class: str) -> list[str]:
    """The text of every element with the class, in page order."""
    found, depth, texts = [], 0, []

    class Cells(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            nonlocal depth
            if depth:
                depth += 1
            elif css_class in (dict(attrs).get("class") or "").split():
                depth = 1
                texts.clear()

        def handle_endtag(self, tag: str) -> None:
            nonlocal depth
            if depth:
                depth -= 1
                if not depth:
                    found.append(" ".join(" ".join(texts).split()))

        def handle_data(self, data: str) -> None:
            if depth:
                texts.append(data)

    Cells(convert_charrefs=True).feed(html)
    return found


def test_a_score_report_draws_scores_against_targets_as_a_radar_and_grouped_bars(
    tmp_path: Path,
) -> None:
    html = mode_pages("", tmp_path)["score report"]
    page = Page(html)
    assert page.count("svg", "radar") == 1
    assert page.count("circle", "dot") == 6, "a dot per dimension"
    assert page.count("rect", "radar-target-mark") == 4, "a mark per dimension with a target"
    assert page.count("svg", "score-bar") == 9, "three groups and six dimensions"
    assert page.count("tr", "group") == 3
    radar_label = next(a["aria-label"] for t, a in page.tags if a.get("class") == "chart radar")
    assert "Goals 0.38 (target 1.50); Policy 1.25 (target 2.50)" in str(radar_label)
    scores = [cell for cell in cells(html, "num") if cell.count(".") == 1]
    assert scores and all(len(cell.partition(".")[2]) == 2 for cell in scores), scores


def test_a_score_comparison_has_the_score_line_and_dimension_scores_by_period(
    tmp_path: Path,
) -> None:
    html = mode_pages("", tmp_path)["score compare"]
    assert "Score per period: 2026-Q1 " in html
    heat = cells(html, "heat")
    assert len(heat) >= 18 and all(len(c.partition(".")[2]) == 2 for c in heat[:18]), heat[:18]


def test_the_board_shows_every_card_red_first_each_with_its_letter_and_trend(
    tmp_path: Path,
) -> None:
    html = mode_pages("", tmp_path)["board report"]
    names = cells(html, "card-name")
    assert names[0] == "Support" and len(names) == 10
    marks = cells(html, "board-card")
    assert [m.split()[0] for m in marks] == ["R", "A", "A", *["G"] * 7]
    assert marks[0].startswith("R ↓ Support Crappy · getting worse")
    assert cells(html, "board-count") == [
        "Red cards R 1 closer to crappy: talk about these first",
        "Amber cards A 2 some problems",
        "Green cards G 7 closer to awesome",
    ]


def test_a_board_comparison_writes_each_cards_letter_per_period_never_colour_alone(
    tmp_path: Path,
) -> None:
    html = mode_pages("", tmp_path)["board compare"]
    rag = cells(html, "rag-cell")
    assert len(rag) == 20, "ten cards, two periods"
    assert all(cell[0] in "RAG" for cell in rag), rag
    assert rag[:2] == ["A ↑", "G ↑"], "easy to release: amber, then green"


def test_the_portfolio_shows_scores_to_two_decimals_and_each_teams_board(tmp_path: Path) -> None:
    html = mode_pages("", tmp_path)["portfolio"]
    heat = cells(html, "heat")
    assert len(heat) == 7 and all(len(c.partition(".")[2]) == 2 for c in heat), heat
    assert "red 2→1, amber 5→2" in html
    assert len(cells(html, "rag-cell")) == 10
