"""The dimensions x levels grid: ● gate passed, ○ not yet, the dimension's level last.

Drawn to the width it is given: whole names where they fit, else short names or names cut
so that no two rows read alike, and a row per group above its dimensions.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from maturity_tui.domain import MaturityModel
from maturity_tui.scoring import SessionScore
from maturity_tui.standing import clip, dimension_labels, placed_dimensions
from maturity_tui.tui.text import literal_content

SHORTEST_LABEL = 6


def dimension_grid(score: SessionScore, model: MaturityModel, width: int) -> list[Content]:
    """The grid's lines at most `width` cells wide (staged models; none for the others)."""
    placed = placed_dimensions(score)
    if not placed:
        return []
    tails = [
        f"  {' '.join('●' if passed else '○' for passed in s.gates_passed)}  L{s.level}"
        + ("" if s.progress is None else f" {s.progress:.0%}→{s.next_level}")
        for _, s in placed
    ]
    label_width = max(width - max(len(tail) for tail in tails), SHORTEST_LABEL)
    by_id = {d.id: d for d in model.dimensions}
    labels = dimension_labels([by_id[d.id] for d, _ in placed], label_width)
    label_width = max(len(label) for label in labels)
    numbers = " ".join(str(n) for n in model.level_numbers)
    lines = [Content.styled(" " * label_width + "  " + numbers, "bold")]
    groups = {g.id: g.name for g in model.groups or ()}
    group_shown: str | None = None
    for (dimension, _), label, tail in zip(placed, labels, tails, strict=True):
        if dimension.group in groups and dimension.group != group_shown:
            group_shown = dimension.group
            name = clip(groups[dimension.group], width)
            lines.append(literal_content(name, one_line=True).stylize("bold underline"))
        lines.append(literal_content(label.ljust(label_width), one_line=True) + Content(tail))
    return lines


class DimensionGrid(Widget):
    """The grid on the results screen, redrawn to its own width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: tuple[SessionScore, MaturityModel] | None = None

    def show(self, score: SessionScore, model: MaturityModel) -> None:
        self._shown = (score, model)
        self.refresh(layout=True)

    def _lines(self, width: int) -> list[Content]:
        return [] if self._shown is None else dimension_grid(*self._shown, width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        return Content("\n").join(self._lines(self.content_size.width))
