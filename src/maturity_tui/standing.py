"""Where a team stands, in a line or a few characters, for every scoring mode.

One place for the words and numbers the reports (text, Markdown and HTML), the library, the
portfolio and the app use: a level (`2 Managed`), a score (`score 1.25`, always two
decimals) or a board (`1 red 2 amber`), a board card's colour letter and trend arrow, so a
board reads without colour too (NO_COLOR, print), and numbers, shares and changes as every
output writes them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from maturity_tui.textsafe import one_line

if TYPE_CHECKING:
    # Named in annotations only: a comparison read from the library's index words its
    # numbers with this module, and imports no domain model.
    from maturity_tui.domain import Dimension, MaturityModel
    from maturity_tui.domain.base import Number
    from maturity_tui.scoring import DimensionScore, IndicatorScore, SessionScore, Standing

NONE = "\N{EN DASH}"
"""A cell with no value: unrated, absent, or no next level."""

COLOR_LETTERS = {"red": "R", "amber": "A", "green": "G"}
"""A letter beside each colour, so a board reads without colour."""

TREND_ARROWS = {"up": "↑", "same": "→", "down": "↓"}


def score_text(value: float | None) -> str:
    """A score to two decimals, as DESIGN's screens and reports show it."""
    return NONE if value is None else f"{value:.2f}"


def number_text(value: Number) -> str:
    # Ten significant digits: 0.1 + 0.2 shows as 0.3, and 1234567.5 not as 1.23457e+06.
    return f"{value:.10g}" if isinstance(value, float) else str(value)


def optional_text(value: Number | None) -> str:
    """A number, or the dash of a cell with no value."""
    return NONE if value is None else number_text(value)


def percent_text(fraction: float | None) -> str:
    return NONE if fraction is None else f"{round(fraction * 100)}%"


def signed(value: Number | None, none: str = NONE) -> str:
    """A change with its sign: +2, -1, 0 (no sign), or `none` when there is none."""
    if value is None:
        return none
    return "0" if value == 0 else ("+" if value > 0 else "") + number_text(value)


def signed_score(value: float | None) -> str:
    """A change of score with its sign, to two decimals like the scores: +0.25, -1.00, 0."""
    if value is None:
        return NONE
    return "0" if value == 0 else f"{value:+.2f}"


def placed_dimensions(score: SessionScore) -> list[tuple[DimensionScore, Standing]]:
    """The dimensions with a level of their own (staged models)."""
    return [(d, d.standing) for d in score.dimensions if d.standing is not None]


def clip(text: str, width: int) -> str:
    """At most `width` characters, an ellipsis standing for what was cut."""
    return text if len(text) <= width else text[: max(width - 1, 0)].rstrip() + "…"


def dimension_labels(dimensions: Sequence[Dimension], width: int) -> list[str]:
    """A label per dimension of at most `width` characters, no two alike (published models'
    names share their first words, and 19 names cut alike once became 5 labels): the name
    when it fits, else the short name, else the name cut; names still alike once cut keep
    their first word and the words that tell them apart ("Governance… training"), and any
    still alike then take their position in the model."""
    names = [one_line(d.name) for d in dimensions]
    labels = [
        name if len(name) <= width else one_line(d.short_name or "") or clip(name, width)
        for name, d in zip(names, dimensions, strict=True)
    ]
    labels = [clip(label, width) for label in labels]
    for label, count in Counter(labels).items():
        if count < 2:
            continue
        alike = [n for n, candidate in enumerate(labels) if candidate == label]
        common = set.intersection(*(set(names[n].split()) for n in alike))
        for n in alike:
            first, *rest = names[n].split()
            telling = " ".join(w for w in rest if w not in common)
            if not telling:
                continue
            if len(f"{first} … {telling}") > width:
                first = first[: max(width - len(telling) - 2, 3)]  # "Gover… records"
            labels[n] = clip(f"{first}… {telling}", width)
    counts = Counter(labels)
    return [
        label if counts[label] < 2 else clip(names[n], width - len(f" {n + 1}")) + f" {n + 1}"
        for n, label in enumerate(labels)
    ]


def source_lines(models: Iterable[MaturityModel]) -> list[str]:
    """Each published source the models come from, once ("Source: OWASP SAMM 2.0, licence
    CC BY-SA 4.0, https://…"): the credit every report and export carries."""
    return credit_lines(None if m.source is None else m.source.attribution for m in models)


def credit_lines(attributions: Iterable[str | None]) -> list[str]:
    """`source_lines`, from the sources' attributions (None: a model of one's own)."""
    credits = (one_line(credit) for credit in attributions if credit is not None)
    return [f"Source: {credit}" for credit in dict.fromkeys(credits)]


def card_mark(card: IndicatorScore) -> str:
    """`R↓`: the card's colour letter and trend arrow; `·` while unrated, `-` not applicable."""
    if not card.applicable:
        return "- "
    letter = COLOR_LETTERS.get(card.color or "", "·")
    return letter + (TREND_ARROWS[card.trend] if card.trend else " ")


def headline(model: MaturityModel, score: SessionScore) -> str:
    """Where the team stands, in one line: level, score or board, by the model's mode."""
    main, detail = headline_parts(model, score)
    if not detail:
        return main
    if score.mode == "score":
        return f"{main} ({detail})"
    return f"{main}, {detail}" if score.board is not None else f"{main}: {detail}"


def headline_parts(model: MaturityModel, score: SessionScore) -> tuple[str, str]:
    """The headline's standing and what qualifies it, apart: a narrow column (the results
    screen's, 38 cells at 80x24) shows them on two lines rather than wrapping one."""
    if score.level is not None:
        level = model.level(score.level)
        title = f": {one_line(level.title)}" if level.named else ""
        return f"Level {score.level} of {model.top_level}{title}", ""
    if score.mode == "score":
        return f"Score {score_text(score.score)}", "the mean of its dimensions' scores"
    if score.board is not None:
        board = score.board
        counts = f"Board: {board.red} red, {board.amber} amber, {board.green} green"
        return counts, f"{board.unrated} unrated"
    return "Dimension levels only", "the model has no overall level"


def standing_text(model: MaturityModel, score: SessionScore) -> str:
    """Where the team stands in a few characters, for lists: `2 Managed`, `score 1.25`."""
    if score.level is not None:
        return f"{score.level} {one_line(model.level(score.level).name)}"
    if score.mode == "score":
        return f"score {score_text(score.score)}"
    if score.board is not None:
        return f"{score.board.red} red {score.board.amber} amber"
    levels = [s.level for _, s in placed_dimensions(score)]
    return f"levels {min(levels)}-{max(levels)}" if levels else NONE
