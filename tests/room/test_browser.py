"""The voting page in headless Chromium: two devices join, vote by click and key, see the reveal.

Chromium is found or installed (tests/browserkit.py); without it the tests skip with one line saying
how to enable them, except under CI=true, where they fail. Each device has a browser context
of its own (its own storage, so its own token). The phone-size screenshots are kept in
tests/room/artifacts/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pagekit import chromium, device_page, screenshot
from playwright.async_api import Page, expect
from roomkit import CODE, STARTED, make_session, serve

from maturity_tui.domain import new_session
from maturity_tui.storage import load_model
from waitkit import until

HOSTILE_NAME = "<img src=x onerror=alert('name')>"
HOSTILE_STATEMENT = "<script>alert('statement')</script><b>We</b> listen & <i>act</i>"

pytestmark = pytest.mark.slow


async def assert_fits_the_phone(page: Page) -> None:
    width, viewport = await page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width <= viewport, f"the phone page scrolls sideways ({width} px in {viewport})"


async def test_two_pages_join_vote_and_see_the_reveal(tmp_path: Path) -> None:
    session = make_session(participants=["Ana", HOSTILE_NAME], statement=HOSTILE_STATEMENT)
    dialogs: list[str] = []
    async with serve(tmp_path, session) as served, chromium() as browser:
        current = served.workshop.indicator.id
        phone = await device_page(browser, dialogs, 360, 740)
        laptop = await device_page(browser, dialogs, 1100, 800)

        # The phone types the code; the laptop came through the QR code's #code= link.
        await phone.goto(served.url)
        await phone.fill("#code", CODE.lower())
        await phone.click("#join-form button")
        await expect(phone.locator("#names")).to_be_visible()
        await assert_fits_the_phone(phone)
        await screenshot(phone, "phone-join.png", full_page=True)
        await phone.get_by_role("button", name="Ana", exact=True).click()
        assert served.room.invite_url == served.url + f"#code={CODE}"
        await laptop.goto(served.room.invite_url)
        await laptop.click("#join-form button")
        await laptop.get_by_role("button", name=HOSTILE_NAME, exact=True).click()
        both = sorted(["Ana", HOSTILE_NAME])
        await until(lambda: sorted(served.room.taken_names) == both, "both names taken")

        for page in (phone, laptop):
            await expect(page.locator("#statement")).to_have_text(HOSTILE_STATEMENT)
            assert await page.locator("#statement *").count() == 0, "markup stayed text"
        await expect(laptop.locator("#who")).to_have_text(f"You: {HOSTILE_NAME}")
        assert await laptop.locator("header img").count() == 0

        # The phone taps a button; the laptop votes with the keyboard.
        await phone.get_by_role("button", name="4 Mostly").click()
        await expect(phone.locator("#saved")).to_contain_text("Saved ✓ Your vote: 4")
        await laptop.focus('#scale button[data-value="2"]')
        await laptop.keyboard.press("Enter")
        await expect(laptop.locator("#saved")).to_contain_text("Saved ✓ Your vote: 2")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 4, HOSTILE_NAME: 2}
        await expect(phone.locator("#progress")).to_contain_text("2 of 2 voted")
        assert await phone.locator("#tally").is_hidden(), "no tally before the reveal"

        served.workshop.reveal()
        for page in (phone, laptop):
            await expect(page.locator("#summary")).to_contain_text("2 votes · median 3")
            await expect(page.locator(".bar-row .count")).to_have_text(["0", "1", "0", "1", "0"])
        await assert_fits_the_phone(phone)
        await screenshot(phone, "phone-revealed.png", full_page=True)

        # The room closes and opens again on the same address: the pages say so and return.
        port = int(served.url.rsplit(":", 1)[1].strip("/"))
        await served.room.stop()
        await expect(phone.locator("#banner")).to_be_visible()
        await served.room.start("127.0.0.1", port)
        served.workshop.next()
        for page in (phone, laptop):
            await expect(page.locator("#banner")).to_be_hidden(timeout=15000)
            await expect(page.locator("#where")).to_contain_text("Indicator 2 of")
            assert await page.locator("#tally").is_hidden()
        await screenshot(phone, "phone-next.png", full_page=True)

    assert dialogs == [], "no script from a name or statement ran, and the page had no errors"


async def test_a_phone_votes_a_card_and_its_trend_on_a_board(tmp_path: Path) -> None:
    """A squad health check on a 390x844 phone: every answer in its colour with its letter
    and label, the trend beside it, hidden until the reveal and locked after it."""
    problems: list[str] = []
    session = make_session(participants=["Ana", "Ben"], model_id="squad-health-check")
    async with serve(tmp_path, session) as served, chromium() as browser:
        current = served.workshop.indicator.id
        phone = await device_page(browser, problems, 390, 844)
        other = await device_page(browser, problems, 390, 844)
        for page, name in ((phone, "Ana"), (other, "Ben")):
            await page.goto(served.room.invite_url or "")
            await page.click("#join-form button")
            await page.get_by_role("button", name=name, exact=True).click()
            await expect(page.locator("#statement")).to_have_text("Easy to release")
        await expect(phone.locator("#where")).to_have_text("Indicator 1 of 10")
        answers = phone.locator("#scale button")
        await expect(answers).to_have_text(["RCrappy", "ASome problems", "GAwesome"])
        swatches = phone.locator("#scale .swatch")
        await expect(swatches.nth(0)).to_have_class("value swatch red")
        colours = await swatches.evaluate_all(
            "nodes => nodes.map(n => getComputedStyle(n).backgroundColor)"
        )
        assert len(set(colours)) == 3, f"three colours, one per answer: {colours}"
        await expect(phone.locator("#trends button")).to_have_text(
            ["↑Getting better", "→Staying the same", "↓Getting worse"]
        )

        await phone.get_by_role("button", name="R Crappy").click()
        await expect(phone.locator("#saved")).to_have_text("Saved ✓ Your vote: R · Crappy")
        await phone.get_by_role("button", name="↑ Getting better").click()
        await expect(phone.locator("#saved")).to_have_text("Saved ✓ Your trend: ↑ getting better")
        await phone.keyboard.press("d")  # a laptop's keyboard: u, s, d as in `join`
        await expect(phone.locator("#saved")).to_have_text("Saved ✓ Your trend: ↓ getting worse")
        await expect(phone.locator('#trends button[data-trend="down"]')).to_have_attribute(
            "aria-pressed", "true"
        )
        await other.get_by_role("button", name="A Some problems").click()
        await expect(other.locator("#saved")).to_contain_text("Saved ✓")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 1, "Ben": 2}
        assert rating.trend_votes == {"Ana": "down"}
        await expect(other.locator("#voters")).to_have_text(
            "Voted: Ana, Ben · Waiting for: Ben"  # Ben's trend is still to come
        )
        await expect(other.locator('#trends [aria-pressed="true"]')).to_have_count(0)
        await assert_fits_the_phone(phone)
        await screenshot(phone, "phone-board-voted.png")

        served.workshop.reveal()
        for page in (phone, other):
            await expect(page.locator("#agreed")).to_have_text("Agreed: R · Crappy")
            await expect(page.locator("#agreed-trend")).to_have_text(
                "Trend: ↓ getting worse · 0 up, 0 same, 1 down"
            )
            await expect(page.locator("#trend-box")).to_be_hidden()
            await expect(page.locator(".bar-row .label")).to_have_text(
                ["R Crappy", "A Some problems", "G Awesome"]
            )
            await expect(page.locator("#summary")).to_have_text("2 votes")  # no median
        await expect(phone.locator("#agreed")).to_have_class("red")
        await assert_fits_the_phone(phone)
        await screenshot(phone, "phone-board-revealed.png")

    assert problems == []


async def test_a_phone_votes_a_decimal_answer_on_a_score_model(tmp_path: Path) -> None:
    model = load_model(Path(__file__).parents[1] / "data" / "good" / "samm-like-model.toml")
    session = new_session("orion-2027-q1", model, "Orion", participants=["Ana"], now=STARTED)
    problems: list[str] = []
    async with serve(tmp_path, session) as served, chromium() as browser:
        phone = await device_page(browser, problems, 390, 844)
        await phone.goto(served.room.invite_url or "")
        await phone.click("#join-form button")
        await phone.get_by_role("button", name="Ana", exact=True).click()
        await expect(phone.locator("#where")).to_contain_text("Level 1 Initial understanding")
        await expect(phone.locator("#scale button")).to_have_text(
            ["0No", "0.25Yes, for some", "0.5Yes, for at least half", "1Yes, for most or all"]
        )
        lefts = await phone.locator("#scale .label").evaluate_all(
            "nodes => nodes.map(n => Math.round(n.getBoundingClientRect().left))"
        )
        assert len(set(lefts)) == 1, f"the labels line up beside 0 and 0.25: {lefts}"
        await phone.get_by_role("button", name="0.25 Yes, for some").click()
        await expect(phone.locator("#saved")).to_have_text(
            "Saved ✓ Your vote: 0.25 · Yes, for some"
        )
        assert served.saved().rating("sg-1-a").votes == {"Ana": 0.25}  # type: ignore[union-attr]
        await expect(phone.locator("#trend-box")).to_be_hidden()
        await assert_fits_the_phone(phone)
        await screenshot(phone, "phone-score-voted.png")
    assert problems == []
