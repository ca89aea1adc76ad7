"""User text made safe for every text output: terminals, Markdown, CSV and JSON.

User text (teams, names, notes, statements, even a model's own wording) is data: it
is shown literally, so no terminal escape sequence, Markdown construct or spreadsheet
formula hidden in it may take effect.
"""

from __future__ import annotations

import json
import re

# ESC sequences are dropped whole, so `\x1b[31m` leaves nothing behind (not a stray
# "[31m"): CSI, then the string commands (OSC, DCS, SOS, PM, APC) up to their
# terminator, then any other escape with its intermediate bytes.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and C1 controls (U+0080-U+009F: U+009B is a CSI on
its own to some terminals): dropped from text outputs, made visible on screen."""

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# What would turn the start of a line into a heading, list item, quote or rule.
_MARKDOWN_LINE_START = re.compile(r"^(\d+)([.)])|^([-=+#])")

CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""

_JSON_UNESCAPED_CONTROL = re.compile(r"[\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """The text without terminal escape sequences and control characters, for files and
    stdout; newlines and tabs stay. (On screen, `tui.text` shows them instead.)"""
    return CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str) -> str:
    """Literal text on a single line, runs of whitespace (newlines too) as one space."""
    return " ".join(strip_controls(text).split())


def markdown_text(text: str) -> str:
    """One line of Markdown that renders as the text itself: no link, emphasis, HTML or table
    cell border, and no heading or list when it starts a line."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", one_line(text))
    return _MARKDOWN_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def csv_cell(value: object) -> str | int | float:
    """A CSV cell that no spreadsheet evaluates.

    Text starting with a formula trigger, even after leading spaces, gets a leading single
    quote, as OWASP advises. Numbers (ratings, deltas, readings) are written as numbers,
    `-12` included: they come from typed fields, never from user text, so they cannot
    carry a formula and stay usable in the spreadsheet's own sums.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    text = strip_controls(str(value))
    if text.startswith(CSV_TRIGGERS) or text.lstrip().startswith(CSV_TRIGGERS):
        return "'" + text
    return text


def json_text(data: object) -> str:
    """Indented JSON, UTF-8 kept readable, with DEL and C1 controls escaped as `\\u00XX`.

    `json.dumps` escapes C0 controls already; escaping the others too keeps the data exact
    while no terminal that shows the output can take them for commands.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_UNESCAPED_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"
