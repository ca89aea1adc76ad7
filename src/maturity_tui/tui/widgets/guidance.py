"""The indicator's guidance on the voting screen: a few lines, and a mark when there is more."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from maturity_tui.domain import Indicator
from maturity_tui.tui.text import literal_content

GUIDANCE_LINES = 4
"""At most this many lines: the statement and the tally need the rest of an 80x24 screen."""


def more_mark(key: str, hidden_lines: int, links: int) -> Content:
    """What is left out, and the key that shows it: "▸ 7 more lines, 2 links: i shows all"."""
    parts = [f"{hidden_lines} more line{'' if hidden_lines == 1 else 's'}"] if hidden_lines else []
    if links:
        parts.append(f"{links} link{'' if links == 1 else 's'}")
    return Content.styled(f"▸ {', '.join(parts)}: {key} shows all", "bold not italic")


class Guidance(Widget):
    """The first lines of the guidance; when it is cut, or has links (never shown here), the
    last line says how much more there is and which key opens it whole."""

    def __init__(self, key: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.key = key
        self._text = Content("")
        self._links = 0

    def show(self, indicator: Indicator) -> None:
        self._text = literal_content(indicator.guidance or "")
        self._links = len(indicator.links or ())
        self.display = bool(indicator.guidance or indicator.links)
        self.refresh(layout=True)

    @property
    def cut(self) -> bool:
        """Whether the mark shows: lines were left out, or there are links to open."""
        return self._lines(self.content_size.width) != self._all_lines(self.content_size.width)

    def _all_lines(self, width: int) -> list[Content]:
        return self._text.wrap(max(width, 1)) if self._text else []

    def _lines(self, width: int) -> list[Content]:
        lines = self._all_lines(width)
        if len(lines) <= GUIDANCE_LINES and not self._links:
            return lines
        kept = lines[: GUIDANCE_LINES - 1]
        return [*kept, more_mark(self.key, len(lines) - len(kept), self._links)]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))
