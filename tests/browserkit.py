"""Chromium for the browser-backed tests: found, else installed when this machine allows it,
else those tests skip with one line saying how to enable them; under CI=true they never skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

HIDE_CHROMIUM_ENV = "MATURITY_TUI_TEST_HIDE_CHROMIUM"
"""Test-only: act as a machine without Chromium (and without the means to install it)."""

HOW_TO_ENABLE = (
    "browser tests skipped: no Chromium here; to run them, "
    "`apt-get install chromium chromium-driver` (as root), or run with CI=true to require them"
)


def _found() -> Path | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return Path(path)
    return None


def _install() -> Path | None:
    """Debian's chromium, when we are root with apt-get (never a browser download)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 600}
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, **quiet)  # type: ignore[call-overload]
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"],
        check=False,
        env=env,
        **quiet,  # type: ignore[arg-type]
    )
    return _found()


@cache
def _chromium() -> Path | None:
    if os.environ.get(HIDE_CHROMIUM_ENV):
        return None
    return _found() or _install()


def chromium_path() -> Path:
    """Chromium's path, or the test fails (CI=true) or skips with HOW_TO_ENABLE."""
    path = _chromium()
    if path is not None:
        return path
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true and no Chromium: apt-get install chromium chromium-driver")
    pytest.skip(HOW_TO_ENABLE)
