"""Session ids, team names and export names never lead a write outside the folder chosen."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trustkit import NOW, ROOT, a_session

from maturity_tui.compare import compare_sessions
from maturity_tui.domain.base import SLUG_MAX_LENGTH, SLUG_PATTERN
from maturity_tui.history import duplicate_for_next_period
from maturity_tui.launch import NewWorkshop, prepare
from maturity_tui.storage import (
    WINDOWS_DEVICE_NAMES,
    free_session_id,
    save_session,
    session_path,
)
from maturity_tui.tui.screens.export_dialog import EXPORTS_DIR, ExportDialog

HOSTILE_NAMES = [
    "..",
    ".",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "\\\\server\\share",
    "~root",
    "CON",
    "nul",
    "Com1",
    "LPT9",
    "aux.toml",
    "a/../../b",
    "x" * 5000,
    "é" * 300,
    "\x00",
    "-",
    "sessions/../../x",
]

TEAMS = [name for name in HOSTILE_NAMES if name.strip() and "\x00" not in name]
"""The hostile names a team may have (not blank)."""
NOT_IDS = [name for name in HOSTILE_NAMES if not re.fullmatch(SLUG_PATTERN, name)]

any_text = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=120))


def inside(path: Path, folder: Path) -> bool:
    return path.resolve().parent == folder.resolve()


@settings(max_examples=200, deadline=None)
@given(session_id=any_text)
def test_session_path_is_in_the_folder_or_refused(session_id: str) -> None:
    folder = Path("/tmp/trust-folder")
    try:
        path = session_path(folder, session_id)
    except ValueError:
        return
    assert inside(path, folder)
    assert path.name == f"{session_id}.toml"


@pytest.mark.parametrize("name", NOT_IDS)
def test_hostile_ids_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        session_path(Path("/tmp/x"), name)


@settings(max_examples=100, deadline=None)
@given(team=any_text, period=any_text)
def test_a_new_session_id_is_a_plain_file_name_in_the_folder(team: str, period: str) -> None:
    folder = Path("/tmp/trust-nonexistent-folder")
    session_id = free_session_id(folder, team, period)
    assert len(session_id) <= SLUG_MAX_LENGTH
    assert session_id not in WINDOWS_DEVICE_NAMES
    assert inside(session_path(folder, session_id), folder)


@pytest.mark.parametrize("team", TEAMS)
def test_new_from_the_command_line_writes_in_the_sessions_folder(team: str, tmp_path: Path) -> None:
    folder = tmp_path / "chosen"
    opening = prepare(folder, NewWorkshop("customer-engagement", team, ["A"]))
    assert opening is not None and opening.lock is not None
    try:
        assert inside(opening.path, folder)
        assert opening.path.stem not in WINDOWS_DEVICE_NAMES
        save_session(opening.session, opening.path)
        assert opening.session.team == team  # the name itself is kept as typed
    finally:
        opening.lock.release()
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["chosen", opening.path.name])


def test_the_next_period_of_a_hostile_team_stays_in_the_folder(tmp_path: Path) -> None:
    for team in TEAMS:
        fresh = duplicate_for_next_period(a_session(team=team), tmp_path, NOW)
        assert inside(session_path(tmp_path, fresh.id), tmp_path)


def test_the_export_dialogs_default_files_stay_in_the_exports_folder(tmp_path: Path) -> None:
    sessions = [
        a_session(team=team) for team in HOSTILE_NAMES if team.strip() and "\x00" not in team
    ]
    dialogs = [ExportDialog.for_session(s, tmp_path) for s in sessions]
    dialogs.append(ExportDialog.for_comparison(compare_sessions(sessions[:3]), tmp_path))
    for dialog in dialogs:
        assert dialog.folder == tmp_path / EXPORTS_DIR
        for choice in dialog.choices:
            assert inside(dialog.folder / choice.filename, dialog.folder), choice.filename
            assert "/" not in choice.filename and "\\" not in choice.filename


def test_cli_export_writes_only_the_file_asked_for(tmp_path: Path) -> None:
    session = a_session(team="../../escape")
    source = tmp_path / "in" / f"{session.id}.toml"
    source.parent.mkdir()
    save_session(session, source)
    target = tmp_path / "out" / "actions.csv"
    target.parent.mkdir()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "maturity_tui",
            "export",
            str(source),
            "--format",
            "csv",
            "--output",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "in",
        f"in/{session.id}.toml",
        "out",
        "out/actions.csv",
    ]
