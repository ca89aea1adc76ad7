"""Every test's app and command line keep the library's index in a temp folder, never in the
user's own cache folder (subprocesses inherit the variable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity_tui.library_index import CACHE_ENV


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache
