"""What an installed tool needs: `--where`, `config`, `demo` and shell completion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from clikit import Run


def test_where_names_the_folders_in_use_and_why(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = run("--where", env={"XDG_DATA_HOME": str(data)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[0] == f"sessions: {data / 'maturity-tui' / 'sessions'} (the user's data folder)"
    assert lines[1] == f"models: {data / 'maturity-tui' / 'models'} (the user's data folder)"
    assert lines[2].startswith("config: ")
    (tmp_path / "sessions").mkdir()
    done = run("--where", "--sessions-dir", "elsewhere")
    assert done.stdout.decode().splitlines()[0] == "sessions: elsewhere (command line)"
    done = run("--where")
    here = "sessions: sessions (found in the current folder)"
    assert done.stdout.decode().splitlines()[0] == here
    assert b"--where" in run("--help").stdout


def test_config_shows_each_setting_and_where_it_came_from(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "my config.toml"
    env = {"MATURITY_TUI_CONFIG": str(config), "MATURITY_TUI_THEME": "nord"}
    assert run("config", "set", "facilitator", "Zoë", env=env).returncode == 0
    done = run("config", env=env)
    assert done.returncode == 0, done.stderr
    shown = done.stdout.decode()
    assert f"facilitator = 'Zoë'  # {config}" in shown
    assert "theme = 'nord'  # $MATURITY_TUI_THEME" in shown
    assert "timebox_seconds = 180  # default" in shown
    bad = run("config", "set", "room.port", "99999", env=env)
    assert bad.returncode == 2
    assert b"room.port" in bad.stderr and b"Traceback" not in bad.stderr


def test_demo_copies_the_history_the_app_then_finds_here(run: Run, tmp_path: Path) -> None:
    done = run("demo")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "sessions").iterdir()) == [
        *(f"apollo-2026-q{n}.toml" for n in range(1, 5)),
        *(f"vega-2026-q{n}.toml" for n in range(2, 5)),
    ]
    listed = run("compare", "apollo-2026-q1", "apollo-2026-q4")
    assert listed.returncode == 0, listed.stderr


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_completion_script_sources_and_completes(run: Run, tmp_path: Path) -> None:
    script = run("completion", "bash")
    assert script.returncode == 0, script.stderr
    (tmp_path / "completion.bash").write_bytes(script.stdout)
    # A `maturity-tui` on PATH, as an installed tool has, running this checkout.
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    launcher = bin_folder / "maturity-tui"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m maturity_tui "$@"\n')
    launcher.chmod(0o755)
    complete = (
        "source completion.bash\n"
        'complete -p maturity-tui >/dev/null || { echo "not registered"; exit 1; }\n'
        'COMP_LINE="maturity-tui rep"; COMP_POINT=${#COMP_LINE}\n'
        "COMP_WORDS=(maturity-tui rep); COMP_CWORD=1\n"
        'function=$(complete -p maturity-tui | sed -E "s/.*-F ([^ ]+).*/\\1/")\n'
        '"$function" maturity-tui rep maturity-tui\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", complete],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}"},
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split() == ["report"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_are_generated(run: Run, shell: str) -> None:
    done = run("completion", shell)
    assert done.returncode == 0, done.stderr
    assert b"maturity-tui" in done.stdout
