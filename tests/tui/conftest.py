"""Fixtures for the Textual app's tests; the helpers themselves are in tuikit.py."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "sessions"
    path.mkdir()
    return path


@pytest.fixture(params=[False, True], ids=["colour", "NO_COLOR"])
def with_and_without_colour(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> bool:
    """Runs a test twice: in colour, then under NO_COLOR (meaning must not hang on colour)."""
    if request.param:
        monkeypatch.setenv("NO_COLOR", "1")
    return bool(request.param)
