"""User text made safe for every text output: terminals, Markdown, CSV and JSON.

User text (teams, names, notes, statements, even a model's own wording) is data: it
is shown literally, so no terminal escape sequence, Markdown construct or spreadsheet
formula hidden in it may take effect.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]

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
    text = _indented_json(data)
    return _JSON_UNESCAPED_CONTROL.sub(lambda m: f"\\u{ord(m[0]):04x}", text) + "\n"


_JSON_SCALARS = frozenset([str, int, float, bool, type(None)])
_JSON_INDENT = "  "


@functools.cache
def _flat_encoder(level: int) -> Callable[[object], str]:
    """Writes a container of scalars as `json.dumps(indent=2)` does at that nesting level,
    but in one call of the C encoder: the item separator carries the line break and indent.
    """
    separator = ",\n" + _JSON_INDENT * level
    if c_make_encoder is None:  # an interpreter without json's C speed-ups
        return json.JSONEncoder(ensure_ascii=False, separators=(separator, ": ")).encode
    # What JSONEncoder.encode would build on every call (check_circular off: no nesting).
    encode = c_make_encoder(
        None, _not_json, encode_basestring, None, ": ", separator, False, False, True
    )
    return lambda value: "".join(encode(value, 0))


def _not_json(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _indented_json(data: object) -> str:
    """`json.dumps(data, indent=2, ensure_ascii=False)`, byte for byte, several times sooner.

    With an indent, the standard library encodes in Python, item by item (a 1,000-session
    comparison: 0.15 s). Here every container holding only scalars (most of an output:
    a comparison's lists of ratings, a session's dimension levels) is one call of the C
    encoder; only containers holding containers are walked in Python. Anything unusual
    (keys that are not strings) goes to the standard library.
    """
    try:
        return _json_at(data, 0)
    except _NotPlain:
        return json.dumps(data, indent=2, ensure_ascii=False)


class _NotPlain(Exception):
    """Data `_json_at` leaves to the standard library."""


def _json_at(value: object, level: int) -> str:
    if isinstance(value, dict):
        if not all(type(key) is str for key in value):
            raise _NotPlain
        items: Iterable[object] = value.values()
        opening, closing = "{", "}"
    elif isinstance(value, list | tuple):
        items, opening, closing = value, "[", "]"
    else:
        return _scalar_json(value)
    if not value:
        return opening + closing
    inner = "\n" + _JSON_INDENT * (level + 1)
    if _JSON_SCALARS.issuperset(map(type, items)):
        return opening + inner + _flat_encoder(level + 1)(value)[1:-1] + inner[:-2] + closing
    parts = [
        _scalar_json(item) if type(item) in _JSON_SCALARS else _json_at(item, level + 1)
        for item in items
    ]
    if isinstance(value, dict):
        parts = [
            f"{encode_basestring(key)}: {part}" for key, part in zip(value, parts, strict=True)
        ]
    return opening + inner + ("," + inner).join(parts) + inner[:-2] + closing


_JSON_CONSTANTS: dict[object, str] = {None: "null", True: "true", False: "false"}


def _scalar_json(value: object) -> str:
    if isinstance(value, str):
        return encode_basestring(value)
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is bool or value is None:
        return _JSON_CONSTANTS[value]
    # Floats (nan and the infinities are spelled as json spells them), and anything else
    # json.dumps may know how to write.
    return _flat_encoder(0)(value)
