"""A sessions folder that turns read-only under a running workshop: the screen says NOT SAVED,
the file stays whole, and the retry writes everything once the folder is writable again.

Root ignores permissions, so the app runs as root without CAP_DAC_OVERRIDE (setpriv): the
folder's mode then applies to it as to anyone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from trustkit import ROOT, benchmark, wait_until

from maturity_tui.storage import LoadError, load_session

kill_loop = benchmark("kill_loop")

NO_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")


def permissions_apply() -> bool:
    """Whether a process under NO_OVERRIDE is refused a write to a read-only folder here."""
    if shutil.which("setpriv") is None:
        return False
    with tempfile.TemporaryDirectory() as temp:
        os.chmod(temp, 0o555)
        probe = subprocess.run(
            [*NO_OVERRIDE, sys.executable, "-c", f"open({temp!r} + '/x', 'w')"],
            capture_output=True,
        )
        os.chmod(temp, 0o755)
    return b"PermissionError" in probe.stderr


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not permissions_apply(), reason="needs setpriv and a root that can drop it"),
]


def votes(path: Path) -> dict[str, int]:
    try:
        ratings = load_session(path).ratings
    except LoadError:
        return {}
    return dict(ratings[0].votes) if ratings and isinstance(ratings[0].votes, dict) else {}


def test_a_folder_turned_read_only_keeps_the_file_whole_and_the_retry_saves_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short relative path: the error is drawn whole, whatever tmp_path's length (a parallel
    # worker's is longer and wrapped "Permission denied" over two lines).
    monkeypatch.chdir(tmp_path)
    folder = Path("sessions")
    arguments = ["new", "--team", "T", "--participants", "A,B,C", "--sessions-dir", str(folder)]
    app = kill_loop.AppInPty(arguments, prefix=NO_OVERRIDE)
    try:
        app.wait_until_up()
        path = next(folder.glob("t-*.toml"))
        app.type(b"4")
        assert wait_until(lambda: votes(path) == {"A": 4})
        before = path.read_bytes()
        folder.chmod(0o555)
        since = len(app.output)
        app.type(b"2")
        assert app.shows(b"NOT SAVED", since)
        app.type(b"5")
        assert app.shows(b"Permission denied", since)
        assert path.read_bytes() == before  # never truncated, never half-written
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [path.name, f"{path.name}.lock", f".{path.name}.oslock"]
        )
        restored = len(app.output)
        folder.chmod(0o755)
        assert wait_until(lambda: votes(path) == {"A": 4, "B": 2, "C": 5}, timeout=15)
        assert app.shows(b"saved ", restored)
    finally:
        folder.chmod(0o755)
        app.kill()


def test_opening_a_session_in_a_read_only_folder_is_refused_plainly(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    shutil.copytree(ROOT / "tests" / "data" / "good", folder)
    path = folder / "named-session.toml"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            [*NO_OVERRIDE, sys.executable, "-m", "maturity_tui", "open", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "TERM": "dumb"},
        )
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2
    assert "Permission denied" in done.stderr and str(path) in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
