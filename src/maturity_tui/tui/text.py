"""User text on screen, always literally: never markup, never a terminal escape."""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content

from maturity_tui.textsafe import CONTROL

_LINE_BREAK = re.compile(r"\r\n|\n")


def _visible(match: re.Match[str]) -> str:
    """A control character as its Unicode picture (ESC shows as ␛): seen, never obeyed."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def clean(text: str, *, one_line: bool = False) -> str:
    """Text safe to draw: control characters made visible, tabs as spaces.

    Only the display changes; the session file keeps the text byte for byte.
    """
    text = text.replace("\t", "    ")
    if one_line:
        text = _LINE_BREAK.sub(" ⏎ ", text)
    return CONTROL.sub(_visible, text)


def as_typed(edited: str, original: str, *, one_line: bool = False) -> str:
    """What an editor (Input, TextArea) gives back: the original text, control characters and
    all, unless the user changed what it showed. Editors draw their text raw, so they are
    given `clean` text: a raw ESC there would reach the terminal.
    """
    return original if edited == clean(original, one_line=one_line) else edited


def literal_content(text: str, *, one_line: bool = False) -> Content:
    """User text as content that no `[bold]`, `[/]` or `\\x1b[31m` can style or break: every
    control character shown (ESC as ␛), never obeyed nor dropped."""
    return Content(clean(text, one_line=one_line))


def literal_text(text: str, *, one_line: bool = True) -> Text:
    """The same as a Rich `Text`, for widgets that take Rich renderables (DataTable cells);
    unlike `literal_content`, on one line unless told otherwise: a cell holds one line."""
    return Text(clean(text, one_line=one_line))
