"""The room behind a real reverse proxy with TLS, in a real browser at phone size.

Caddy (Debian's package; CI installs it like Chromium) serves HTTPS on 127.0.0.1 with a
certificate the test makes with openssl, and passes everything to the room, opened with
`--behind-proxy --public-url https://127.0.0.1:PORT/`. Two phones (390 x 844, their own
browser contexts, so their own storage) join, vote and see the reveal. Screenshots are kept
in tests/room/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from pagekit import ARTIFACTS, chromium, device_page, screenshot
from playwright.async_api import Browser, Page, expect
from roomkit import (
    CODE,
    Served,
    caddy,
    free_port,
    make_session,
    serve,
)

PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.slow


@asynccontextmanager
async def behind_caddy(tmp_path: Path) -> AsyncIterator[Served]:
    port = free_port()
    public = f"https://127.0.0.1:{port}/"
    session = make_session(participants=["Ana", "Ben", "Caro"])
    async with serve(tmp_path, session, behind_proxy=True, public_url=public) as served:
        upstream = served.url.removeprefix("http://").rstrip("/")
        with caddy(tmp_path, port, upstream):
            yield served


async def phone(browser: Browser, problems: list[str]) -> Page:
    """A phone of its own: its own storage, so its own token."""
    return await device_page(browser, problems, PHONE["width"], PHONE["height"])


async def bottom_of(page: Page, selector: str) -> float:
    box = await page.locator(selector).bounding_box()
    assert box is not None, selector
    return float(box["y"] + box["height"])


async def test_phones_join_vote_and_see_the_reveal_through_a_tls_reverse_proxy(
    tmp_path: Path,
) -> None:
    errors: list[str] = []
    async with behind_caddy(tmp_path) as served, chromium() as browser:
        public = served.room.public_url
        assert public is not None and served.room.join_url == public
        assert served.room.invite_url == f"{public}#code={CODE}", "the QR code's address"
        current = served.workshop.indicator.id
        ana, ben = await phone(browser, errors), await phone(browser, errors)

        # Ana scans the QR code: the code is filled in. The page says whose room it is.
        await ana.goto(served.room.invite_url)
        await expect(ana.locator("#team")).to_have_text("Apollo")
        await expect(ana.locator("#code-label")).to_contain_text("6 characters")
        await screenshot(ana, "proxy-phone-join.png")
        await ana.click("#join-form button")
        await ana.get_by_role("button", name="Ana", exact=True).click()
        await expect(ana.locator("#statement")).to_be_visible()
        assert await ana.locator("#code").is_hidden(), "no code field once joined"

        # Ben types the code at the public address.
        await ben.goto(public)
        await ben.fill("#code", CODE.lower())
        await ben.click("#join-form button")
        await ben.get_by_role("button", name="Ben", exact=True).click()

        served.room.set_timebox(150, running=True)
        for page in (ana, ben):
            await expect(page.locator("#timebox")).to_contain_text(re.compile(r"^2:\d\d left$"))

        await ana.get_by_role("button", name="4 Mostly").click()
        await expect(ana.locator("#saved")).to_contain_text("Saved ✓ Your vote: 4")
        await expect(ana.locator('#scale button[aria-pressed="true"]')).to_have_attribute(
            "data-value", "4"
        )
        await ben.get_by_role("button", name="2").first.click()
        await expect(ben.locator("#saved")).to_contain_text("Saved ✓ Your vote: 2")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ana": 4, "Ben": 2}
        await expect(ana.locator("#voters")).to_have_text("Voted: Ana, Ben · Waiting for: Caro")
        await screenshot(ana, "proxy-phone-voted.png")

        served.workshop.reveal()
        for page, name in ((ana, "ana"), (ben, "ben")):
            await expect(page.locator("#agreed")).to_have_text("Agreed: 2 · Rarely")
            await expect(page.locator(".bar-row .count")).to_have_text(["0", "1", "0", "1", "0"])
            await expect(page.locator("#progress")).to_contain_text("locked")
            assert await page.locator("#scale").is_hidden(), "no vote buttons after the reveal"
            assert await bottom_of(page, "#summary") <= PHONE["height"], "no scrolling"
            await screenshot(page, f"proxy-phone-revealed-{name}.png")

        # Ana's phone reloads, and opens the link in a new tab: she is still in.
        await ana.reload()
        await expect(ana.locator("#agreed")).to_have_text("Agreed: 2 · Rarely")
        assert await ana.locator("#join-form").is_hidden()
        again = await ana.context.new_page()
        await again.goto(public)
        await expect(again.locator("#who")).to_have_text("You: Ana")
        assert served.room.device_count == 2, "Ana's two tabs are one device"

        # The facilitator starts a re-vote: the buttons come back, none highlighted.
        served.workshop.revote()
        for page in (ana, ben):
            await expect(page.locator("#scale")).to_be_visible()
            await expect(page.locator("#progress")).to_contain_text("0 of 3 voted")
            await expect(page.locator('#scale button[aria-pressed="true"]')).to_have_count(0)
            assert await page.locator("#tally").is_hidden()
        await ben.get_by_role("button", name="3 Sometimes").click()
        await expect(ben.locator("#saved")).to_contain_text("Saved ✓ Your vote: 3")
        await screenshot(ben, "proxy-phone-revote.png")
        rating = served.saved().rating(current)
        assert rating is not None and rating.votes == {"Ben": 3}, "the file keeps the new round"
    assert errors == []


async def test_a_vote_without_an_answer_is_not_confirmed_until_a_retry_gets_one(
    tmp_path: Path,
) -> None:
    errors: list[str] = []
    async with behind_caddy(tmp_path) as served, chromium() as browser:
        ana = await phone(browser, errors)
        assert served.room.invite_url is not None
        await ana.goto(served.room.invite_url)
        await ana.click("#join-form button")
        await ana.get_by_role("button", name="Ana", exact=True).click()
        held: list[object] = []
        await ana.route("**/api/vote", lambda route: held.append(route))  # never answered
        await ana.get_by_role("button", name="4 Mostly").click()
        await expect(ana.locator("#retry")).to_be_visible()
        await expect(ana.locator("#saved")).to_contain_text("Not confirmed")
        assert await ana.locator('#scale button[aria-pressed="true"]').count() == 0
        await screenshot(ana, "proxy-phone-not-confirmed.png")
        await ana.unroute("**/api/vote")
        await ana.click("#retry")
        await expect(ana.locator("#saved")).to_contain_text("Saved ✓ Your vote: 4")
        await expect(ana.locator('#scale button[aria-pressed="true"]')).to_have_count(1)
        rating = served.saved().rating(served.workshop.indicator.id)
        assert rating is not None and rating.votes == {"Ana": 4}
    assert errors == []


def test_the_artifacts_folder_is_ignored_by_git() -> None:
    git = shutil.which("git")
    root = Path(__file__).parents[2]
    if git is None or not (root / ".git").exists():
        pytest.skip("not a git checkout")
    probe = ARTIFACTS / "probe.png"
    checked = subprocess.run(
        [git, "check-ignore", "-q", str(probe)], cwd=root, capture_output=True, check=False
    )
    assert checked.returncode == 0, "tests/room/artifacts/ must be in .gitignore"
