"""Every test, and every process a test starts, sees empty per-user folders of its own.

The app keeps sessions, models and its config in the user's folders (platformdirs) and the
library's index in the user's cache: a test run must neither read a developer's real config
nor write into their library or cache (subprocesses inherit the variables), nor open
their browser.

The suite runs on every core (pytest-xdist, `-n auto` in pyproject.toml): each worker is a
process with user folders of its own; `-n 0` or `-p no:xdist` runs it serially.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import tempfile
from collections.abc import Generator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from browserkit import HOW_TO_ENABLE
from maturity_tui.library_index import CACHE_ENV
from maturity_tui.places import CONFIG_ENV, ENVIRONMENT, MODELS_ENV

_USER_FOLDERS = tempfile.mkdtemp(prefix="maturity-tui-test-user-")

# Property tests claim what holds, never how fast: on a loaded machine (CI, parallel workers)
# a slow example is no failure. Speed is measured in benchmarks/.
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """With pytest-xdist switched off (`-p no:xdist`), addopts' `-n auto --dist loadgroup` are
    accepted and mean nothing: the run is serial."""
    if not pluginmanager.has_plugin("xdist"):
        group = parser.getgroup("xdist", "pytest-xdist is switched off: these do nothing")
        # `_addoption`, as pytest-xdist itself does: `addoption` refuses lowercase short options.
        group._addoption("-n", "--numprocesses", dest="numprocesses", default=0)
        group.addoption("--dist", dest="dist", default="no")


_COLLECTED = pytest.StashKey[set[tuple[Path, str]]]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    config.stash[_COLLECTED] = {(item.path, item.name) for item in items}


@pytest.fixture
def collected_tests(request: pytest.FixtureRequest) -> set[tuple[Path, str]]:
    """Every test this run collected, as (file, name), before -k and -m deselected any (each
    xdist worker collects them all)."""
    return request.config.stash[_COLLECTED]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`--snapshot-update` runs serially: syrupy only removes the snapshots no test uses any
    more (and reports them) in a run of one process."""
    return 0 if config.getoption("--snapshot-update", default=False) else None


def pytest_configure() -> None:
    for variable in (*ENVIRONMENT.values(), MODELS_ENV, CONFIG_ENV):
        os.environ.pop(variable, None)
    # platformdirs follows these on Linux; the config path is given outright for every OS.
    os.environ["XDG_DATA_HOME"] = os.path.join(_USER_FOLDERS, "data")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(_USER_FOLDERS, "config")
    os.environ[CONFIG_ENV] = os.path.join(_USER_FOLDERS, "config", "maturity-tui", "config.toml")


def pytest_unconfigure() -> None:
    """Each run (each xdist worker, too) leaves no user folders behind in the temp folder."""
    shutil.rmtree(_USER_FOLDERS, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """The one async test runner: every `async def` test runs in a fresh event loop (Pilot
    tests, the room's, the trust tests'), with no async plugin to install."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(cache))
    return cache


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item,
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Every browser test skipped for want of Chromium folds into one summary line, whether
    it skipped in its body or in a fixture (pytest gives those the test's own place)."""
    report = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and HOW_TO_ENABLE in longrepr[2]:
        report.longrepr = (str(Path(__file__).with_name("browserkit.py")), None, longrepr[2])
    return report


@pytest.fixture(autouse=True)
def own_terminal_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app started in a pseudo-terminal takes that terminal's size: a pytest-xdist worker
    has COLUMNS=80 and LINES=24 set, which Textual (shutil.get_terminal_size) would take instead."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(autouse=True)
def no_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test opens the user's browser: an export that asks to is told none was found (a test
    that checks the opening patches webbrowser.open itself)."""
    monkeypatch.setattr("webbrowser.open", lambda url: False)
