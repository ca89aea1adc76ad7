"""Every bad file: one clear message naming it, no traceback, the app stays usable, and the
file is left byte for byte as it was (the corpus of tests/data/bad plus a 10 MB file)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static
from trustkit import BAD, ROOT, a_session

from maturity_tui.cli import main
from maturity_tui.storage import MAX_FILE_BYTES, LoadError, load_any, load_session, save_session
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.home import HomeScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.text import clean
from maturity_tui.tui.widgets.library_table import LibraryTable
from waitkit import settle

CORPUS = sorted(BAD.iterdir())


def huge_file(folder: Path) -> Path:
    """10 MB of otherwise valid TOML: refused for its size before any parsing."""
    path = folder / "huge.toml"
    line = b"# " + b"x" * 97 + b"\n"
    path.write_bytes(b'format = "maturity-session"\n' + line * (10 * 1024 * 1024 // len(line)))
    assert path.stat().st_size > MAX_FILE_BYTES
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A sessions folder: the whole corpus, the huge file and one good session."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    for path in CORPUS:
        shutil.copyfile(path, folder / path.name)
    huge_file(folder)
    save_session(a_session(), folder / "apollo-2026-q4.toml")
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 25


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_validate_names_the_file_and_exits_2(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = path.read_bytes()
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"{path}: ")
    with pytest.raises(LoadError) as caught:
        load_any(path)
    assert err.splitlines() == [f"{path}: {problem}" for problem in caught.value.problems]
    if path.name.startswith("syntax-"):
        assert f"{path}: line " in err
    assert path.read_bytes() == before


def test_validate_in_a_process_reports_every_file_without_a_traceback(folder: Path) -> None:
    files = sorted(p for p in folder.iterdir() if p.name != "apollo-2026-q4.toml")
    before = digests(folder)
    done = subprocess.run(
        [sys.executable, "-m", "maturity_tui", "validate", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    named = {line.split(": ", 1)[0] for line in done.stderr.splitlines()}
    assert named == {str(p) for p in files}
    assert f"{folder / 'huge.toml'}: file is too large" in done.stderr
    assert digests(folder) == before


async def test_the_home_screen_lists_every_bad_file_and_still_opens_the_good_one(
    folder: Path,
) -> None:
    before = digests(folder)
    good = folder / "apollo-2026-q4.toml"

    app = MaturityApp(sessions_dir=folder)
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        assert table.row_count == 1  # the good session; the others are listed apart
        errors = str(app.screen.query_one("#load-errors", Static).render())
        broken = [*CORPUS, folder / "huge.toml"]
        assert f"Cannot load {len(broken)} file(s)" in errors
        for path in broken:
            with pytest.raises(LoadError) as caught:
                load_session(folder / path.name)
            assert clean(f"{path.name}: {caught.value.problems[0]}") in errors
        assert "file is too large" in errors
        await pilot.press("n", "escape")  # the keys still work
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table.move_cursor(row=table.get_row_index(str(good)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, VotingScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()

    after = digests(folder)
    assert {n: d for n, d in after.items() if n != good.name} == {
        n: d for n, d in before.items() if n != good.name
    }
    assert sorted(after) == sorted(before)  # no temp or lock file left behind
