"""Headless Chromium (found or installed by tests/browserkit.py) for the room's page tests: one
browser, a context per device (so each has its own storage, and its own token), and
screenshots kept in tests/room/artifacts/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from browserkit import chromium_path

ARTIFACTS = Path(__file__).parent / "artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

try:
    from playwright.async_api import Browser, Page, async_playwright, expect

    # A page assertion waits for what the page does at once, however loaded the machine (CI,
    # parallel workers): 30 s bounds a hang; Playwright's own 5 s is a speed.
    expect.set_options(timeout=30_000)
except ImportError:  # pragma: no cover - the test extra installs it
    async_playwright = None  # type: ignore[assignment]


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if async_playwright is None:
        pytest.fail("playwright is missing: pip install '.[test]'")
    executable = chromium_path()
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(
            executable_path=str(executable), headless=True, args=FLAGS
        )
        try:
            yield browser
        finally:
            await browser.close()


async def device_page(browser: Browser, problems: list[str], width: int, height: int) -> Page:
    """A device of its own; dialogs and script errors are collected in `problems`."""
    context = await browser.new_context(
        viewport={"width": width, "height": height}, ignore_https_errors=True
    )
    page = await context.new_page()
    page.on("dialog", lambda dialog: problems.append(dialog.message))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return page


async def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)
