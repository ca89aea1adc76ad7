"""The extreme-value files of issue 18 through the command line and the home screen: times at
the edges of year 1 and 9999, readings of ±1.7e308, 300,000 names, and a FIFO."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static
from trustkit import GOOD

from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.widgets.library_table import LibraryTable
from waitkit import settle

ANONYMOUS = (GOOD / "anonymous-session.toml").read_text(encoding="utf-8")
UNBOUNDED = '[[model.metrics]]\nid = "nps"\nname = "Net Promoter Score"\nkind = "quantitative"\n'


def variant(session_id: str, text: str = ANONYMOUS) -> str:
    return text.replace('id = "zephyr-2026-q4"', f'id = "{session_id}"', 1)


def extreme_files(folder: Path) -> dict[str, Path]:
    """Each extreme file, and a plain one, in `folder`; the FIFO where the OS has them."""
    texts = {
        "plain": variant("plain"),
        "year-1": variant("year-1").replace(
            "updated_at = 2026-11-24T11:30:00Z", "updated_at = 0001-01-01T00:00:00+01:00"
        ),
        "year-9999": variant("year-9999").replace(
            "updated_at = 2026-11-24T11:30:00Z", "updated_at = 9999-12-31T23:59:59-01:00"
        ),
        "huge-readings": variant("huge-readings")
        .replace("min = -100\nmax = 100\n", "")
        .replace("target = 30\n", "")
        .replace("value = 32\ntarget = 40", "value = 1.7e308"),
        "crowd": variant("crowd").replace(
            'voting = "anonymous"',
            'voting = "anonymous"\nparticipants=['
            + ",".join(f'"p{n}"' for n in range(300_000))
            + "]",
        ),
    }
    files = {}
    for name, text in texts.items():
        files[name] = folder / f"{name}.toml"
        files[name].write_text(text, encoding="utf-8")
    if hasattr(os, "mkfifo"):
        files["fifo"] = folder / "fifo.toml"
        os.mkfifo(files["fifo"])
    return files


EXPECTED_REFUSALS = {
    "huge-readings": "reading nps: value 1.7e+308 is beyond ±10^15",
    "crowd": "session too large to save",
    "fifo": "not a regular file",
}


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "maturity_tui", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,  # a FIFO read would hang here for ever
    )


@pytest.mark.parametrize("command", ["validate", "report", "export", "compare"])
def test_the_command_line_takes_every_extreme_file(command: str, tmp_path: Path) -> None:
    files = extreme_files(tmp_path)
    for name, path in files.items():
        done = cli(command, path, cwd=tmp_path)
        assert "Traceback" not in done.stderr
        for word in ("inf", "nan", "Infinity", "NaN"):
            assert word not in done.stdout.split(), (name, done.stdout)
        if name in EXPECTED_REFUSALS:
            assert done.returncode == 2, (name, done.stderr)
            assert done.stderr.splitlines() == [
                line for line in done.stderr.splitlines() if line.startswith(f"{path}: ")
            ]
            assert EXPECTED_REFUSALS[name] in done.stderr
        else:
            assert done.returncode == 0, (name, done.stderr)


def test_compare_of_the_edge_times_orders_them(tmp_path: Path) -> None:
    files = extreme_files(tmp_path)
    done = cli(
        "compare",
        files["year-9999"],
        files["plain"],
        files["year-1"],
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr


async def test_the_home_screen_lists_every_other_session_beside_the_extreme_files(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    files = extreme_files(folder)

    app = MaturityApp(sessions_dir=folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        ids = {row.key for row in table.rows}
        assert ids == {str(files[n]) for n in ("plain", "year-1", "year-9999")}
        broken = str(app.screen.query_one("#load-errors", Static).render())
        for name in EXPECTED_REFUSALS.keys() & files.keys():
            assert f"{name}.toml" in broken
        assert not app._notifications, [n.message for n in app._notifications]
