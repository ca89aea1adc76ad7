"""Session files on disk and a way to run `python -m maturity_tui` on them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from clikit import FORMULA_TITLES, Run, Write, build_session

from maturity_tui.domain import Session
from maturity_tui.storage import dumps_session


@pytest.fixture
def write_session(tmp_path: Path) -> Write:
    def write(session: Session, folder: Path = tmp_path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{session.id}.toml"
        path.write_text(dumps_session(session), encoding="utf-8")
        return path

    return write


@pytest.fixture
def q3(write_session: Write) -> Path:
    return write_session(
        build_session(
            "apollo-2026-q3",
            datetime(2026, 7, 14, 9, 0, tzinfo=UTC),
            {"key-customers-known": 3, "feedback-reaches-team": 4},
            readings=[{"metric": "nps", "value": -12}],
        )
    )


@pytest.fixture
def q4(write_session: Write) -> Path:
    actions = [
        {"id": n, "title": title, "status": "open", "due": date(2027, 1, 31)}
        for n, title in enumerate(FORMULA_TITLES, start=1)
    ]
    return write_session(
        build_session(
            "apollo-2026-q4",
            datetime(2026, 10, 20, 14, 0, tzinfo=UTC),
            {"key-customers-known": 5, "feedback-reaches-team": 4},
            readings=[{"metric": "nps", "value": 8}],
            actions=[*actions, {"id": 9, "title": "Done already", "status": "done"}],
        )
    )


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """`python -m maturity_tui ARGS` in tmp_path, with MATURITY_TUI_SESSIONS unset unless given."""

    def run(*args: str | Path, env: dict[str, str] | None = None, cwd: Path = tmp_path) -> Any:
        environment = {k: v for k, v in os.environ.items() if k != "MATURITY_TUI_SESSIONS"}
        return subprocess.run(
            [sys.executable, "-m", "maturity_tui", *map(str, args)],
            capture_output=True,
            cwd=cwd,
            env=environment | (env or {}),
            timeout=60,
        )

    return run
