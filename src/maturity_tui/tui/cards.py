"""Answer colours and trends on screen: each colour with its letter, each trend as an arrow.

A colour is never the only sign: the letter (R, A, G) says it without colour (NO_COLOR,
a monochrome projector, colour blindness), the theme's colour says it at a glance.
"""

from __future__ import annotations

from textual.content import Content

from maturity_tui.domain.model import Color
from maturity_tui.domain.session import Trend
from maturity_tui.standing import COLOR_LETTERS, TREND_ARROWS

CARD_STYLES: dict[Color, str] = {
    "red": "text-error",
    "amber": "text-warning",
    "green": "text-success",
}
"""The theme's text colour for each card colour; the letter beside it reads without colour."""

TREND_WORDS: dict[Trend, str] = {
    "up": "getting better",
    "same": "staying the same",
    "down": "getting worse",
}


def card_style(color: Color | None) -> str:
    """The style of a card's letter in a list: bold in the theme's colour; plain without."""
    return f"bold ${CARD_STYLES[color]}" if color else ""


def color_chip(color: Color | None) -> Content:
    """` R ` as a block of the colour: an answer point's colour where it is offered; empty
    for a point without a colour."""
    if color is None:
        return Content("")
    return Content.styled(f" {COLOR_LETTERS[color]} ", f"bold reverse ${CARD_STYLES[color]}")


def trend_arrow(trend: Trend | None) -> str:
    """`↑`, `→` or `↓`; a space without a trend, so columns stay aligned."""
    return TREND_ARROWS[trend] if trend else " "


def trend_words(trend: Trend) -> str:
    """`↑ getting better`: a trend as an arrow and what it means."""
    return f"{TREND_ARROWS[trend]} {TREND_WORDS[trend]}"
