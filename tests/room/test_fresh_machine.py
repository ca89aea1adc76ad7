"""On a machine without Chromium the README's test command passes, and says in one line how
to run the browser tests; under CI=true they never skip."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

import browserkit as browser

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv(browser.HIDE_CHROMIUM_ENV, "1")
    browser._chromium.cache_clear()
    yield
    browser._chromium.cache_clear()


def test_without_chromium_the_browser_tests_skip_saying_how_to_enable_them(
    no_chromium: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        browser.chromium_path()


def test_under_ci_the_browser_tests_never_skip(
    no_chromium: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and no Chromium"):
        browser.chromium_path()


def readme_test_command() -> str:
    quick_start = (ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start")[1]
    blocks = re.findall(r"```sh\n(.*?)\n```", quick_start, re.DOTALL)
    (command,) = [block for block in blocks if "pytest" in block]
    return command


@pytest.mark.slow
def test_the_readmes_test_command_in_a_fresh_clone_without_chromium(tmp_path: Path) -> None:
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode:
        pytest.skip("not a git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    command = readme_test_command()
    assert command in (ROOT / ".ci" / "run").read_text()  # CI runs exactly this
    # Nor this run's pytest-xdist worker and snapshot report: the clone's run is a run of its own.
    ours = ("CI", "TEXTUAL_SNAPSHOT_TEMPDIR")
    environment = {
        k: v for k, v in os.environ.items() if k not in ours and not k.startswith("PYTEST_")
    } | {
        browser.HIDE_CHROMIUM_ENV: "1",
        # The README's command as it is; only the browser tests, not the whole suite again.
        "PYTEST_ADDOPTS": "-p no:cacheprovider tests/room/test_browser.py tests/html",
    }
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=clone,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    skipped = [line for line in done.stdout.splitlines() if browser.HOW_TO_ENABLE in line]
    assert len(skipped) == 1, done.stdout[-3000:]
    assert skipped[0].startswith("SKIPPED")
