"""Every message that can carry a file's content is one line, control-stripped, naming the
file, on every path of the command line (issue 18 point 6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import Run

HOSTILE_FORMAT = "evil\u2028next\x85nel\rcr\x1b[31mred\x1b]0;title\x07"
"""Line breaks Python's splitlines() honours (U+2028, NEL, CR) and terminal escapes."""

COMMANDS = {
    "validate": ["validate", "{file}"],
    "open": ["open", "{file}"],
    "new --model": ["new", "--model", "{file}", "--team", "T", "--participants", "A"],
    "report": ["report", "{file}"],
    "export": ["export", "{file}"],
    "compare": ["compare", "{file}"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_a_message_carrying_file_content_is_one_safe_line(
    command: str, run: Run, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.toml"
    escaped = "".join(f"\\u{ord(c):04x}" if not c.isalnum() else c for c in HOSTILE_FORMAT)
    path.write_text(f'format = "{escaped}"\n', encoding="utf-8")
    args = [part.replace("{file}", str(path)) for part in COMMANDS[command]]
    done = run(*args)
    assert done.returncode == 2
    stderr = done.stderr.decode("utf-8")
    lines = stderr.splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0]
    assert "not a maturity-" in lines[0]
    for forbidden in ("\x1b", "\x07", "\r", "\x85", "\u2028"):
        assert forbidden not in stderr


def test_a_file_name_with_a_line_break_stays_on_its_line(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "two\u2028lines.toml"
    path.write_text("x = [", encoding="utf-8")
    done = run("validate", path)
    lines = done.stderr.decode("utf-8").splitlines()
    assert len(lines) == 1 and "TOML syntax error" in lines[0], lines
