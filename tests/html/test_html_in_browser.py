"""Each HTML output in headless Chromium, offline: no error, no request, the charts drawn,
no sideways scroll on a phone, and a PDF of a sane number of A4 and Letter pages.

Chromium is found or installed (tests/browserkit.py); without it these tests skip with one
line saying how to enable them, except under CI=true, where they fail. Screenshots (laptop
and phone) and PDFs are kept in tests/html/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import maturity_tui
from browserkit import chromium_path
from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.html_report import render_compare, render_portfolio, render_report
from maturity_tui.portfolio import build_portfolio
from maturity_tui.storage import load_session, save_session
from modekit import score_session

DEMO = Path(maturity_tui.__file__).parent / "demo"
ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SIZES = {"laptop": (1280, 800), "phone": (390, 844)}
MOST_PAGES = {
    "report": 8,
    "compare": 10,
    "portfolio": 2,
    "score-report": 8,
    "score-compare": 8,
    "board-report": 5,
    "board-compare": 5,
}
"""More printed pages than this would be a broken print stylesheet, not a long report."""

pytestmark = pytest.mark.slow

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extra installs it
    sync_playwright = None  # type: ignore[assignment]


def renamed(session: Session, team: str) -> Session:
    data = session.model_dump(mode="python")
    data["team"] = team
    data["id"] = session.id.replace("apollo", team.lower())
    return Session.model_validate(data)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo history's report and comparison, a score model's and the demo board's, and
    a portfolio of three staged teams, two score teams and the board."""
    folder = tmp_path_factory.mktemp("sessions")
    history = [load_session(path) for path in sorted(DEMO.glob("apollo-*.toml"))]
    for team, sessions in (("Apollo", history), ("Borealis", history[1:]), ("Cygnus", history[:2])):
        for session in sessions:
            copy = session if team == "Apollo" else renamed(session, team)
            save_session(copy, folder / f"{copy.id}.toml")
    scores = [score_session("Orion", f"2026-Q{n + 1}", n) for n in range(4)]
    scores += [score_session("Lyra", "2026-Q4", 2)]
    boards = [load_session(path) for path in sorted(DEMO.glob("vega-*.toml"))]
    for session in (*scores, *boards):
        save_session(session, folder / f"{session.id}.toml")
    out = tmp_path_factory.mktemp("html")
    written = {
        "report": render_report(history[-1]),
        "compare": render_compare(compare_sessions(history)),
        "portfolio": render_portfolio(build_portfolio(folder)),
        "score-report": render_report(scores[3]),
        "score-compare": render_compare(compare_sessions(scores[:4])),
        "board-report": render_report(boards[-1]),
        "board-compare": render_compare(compare_sessions(boards)),
    }
    for name, html in written.items():
        (out / f"{name}.html").write_text(html, encoding="utf-8")
    return {name: out / f"{name}.html" for name in written}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.fail("playwright is missing: pip install '.[test]'")
    executable = chromium_path()
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(executable), headless=True, args=FLAGS)
        yield browser
        browser.close()


def open_offline(browser: Browser, path: Path, width: int, height: int) -> tuple[Page, list[str]]:
    """The page with the network off; every console message, error and request is noted."""
    context = browser.new_context(viewport={"width": width, "height": height}, offline=True)
    page = context.new_page()
    noted: list[str] = []
    page.on("console", lambda message: noted.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: noted.append(f"page error: {error}"))
    page.on(
        "request",
        lambda request: None if request.url == path.as_uri() else noted.append(request.url),
    )
    page.goto(path.as_uri())
    return page, noted


def drawn_charts(page: Page) -> tuple[int, int]:
    """(SVG elements, those drawn at a visible size with shapes inside)."""
    sizes = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg')).map(svg => {
            const box = svg.getBoundingClientRect();
            const shapes = svg.querySelectorAll('rect, path, circle, polygon, line').length;
            return box.width >= 20 && box.height >= 10 && shapes > 0;
        })"""
    )
    return len(sizes), sum(sizes)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("name", list(MOST_PAGES))
def test_each_page_reads_offline_draws_its_charts_and_prints(
    browser: Browser, pages: dict[str, Path], name: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for size, (width, height) in SIZES.items():
        page, noted = open_offline(browser, pages[name], width, height)
        charts, drawn = drawn_charts(page)
        assert charts > 0 and drawn == charts, f"{name} {size}: {drawn} of {charts} charts drawn"
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} scrolls sideways on a {size} ({scroll} px)"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        if size == "laptop":
            for paper in ("A4", "Letter"):
                pdf = page.pdf(format=paper, print_background=True)
                (ARTIFACTS / f"{name}-{paper}.pdf").write_bytes(pdf)
                count = pdf_pages(pdf)
                assert 1 <= count <= MOST_PAGES[name], f"{name} prints on {count} {paper} pages"
        page.context.close()
        assert noted == [], f"{name} {size}: nothing logged, nothing fetched"
