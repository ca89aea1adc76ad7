"""The voting screen's parts: the timebox, who has voted, and the (hidden) tally."""

from __future__ import annotations

from collections import Counter

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from maturity_tui.domain.session import Trend
from maturity_tui.places import DEFAULT_TIMEBOX_SECONDS
from maturity_tui.scoring import vote_stats
from maturity_tui.tui.big_code import big_clock_lines
from maturity_tui.tui.cards import CARD_STYLES, TREND_WORDS, color_chip, trend_arrow
from maturity_tui.tui.text import literal_content
from maturity_tui.workshop import Workshop

EVERYONE_VOTED = "Everyone has voted: ↑/↓ picks whose vote to change."
BAR_WIDTH = (12, 60)
"""The histogram's longest bar: at least, and at most, this many cells."""


def vote_count(workshop: Workshop) -> str:
    """How many have voted on the current indicator: "2 of 5 voted" (named), "5 of 8 votes"
    (anonymous with a head count) or "3 votes"."""
    votes = len(workshop.votes())
    if workshop.named:
        return f"{votes} of {len(workshop.session.participants)} voted"
    if (head_count := workshop.session.head_count) is not None:
        return f"{votes} of {head_count} votes"
    return f"{votes} vote{'' if votes == 1 else 's'}"


def trend_count(workshop: Workshop) -> str:
    """How many trend votes the current indicator has, named or not: "2 trend votes"."""
    trends = len(workshop.trend_votes())
    return f"{trends} trend vote{'' if trends == 1 else 's'}"


def vote_marks(workshop: Workshop) -> list[str]:
    """Per participant, what they have voted, never the values: `✓` a rating (`·` none),
    then, when the model asks for a trend, `↕` a trend (`·` none)."""
    voted = set(workshop.voted_participants())
    trended = set(workshop.trend_voted_participants()) if workshop.asks_trend else None
    marks = []
    for name in workshop.session.participants:
        mark = "✓" if name in voted else "·"
        if trended is not None:
            mark += "↕" if name in trended else "·"
        marks.append(mark)
    return marks


def clock(seconds: int) -> str:
    """Seconds as the timebox shows them: "2:05", "-0:15" once over."""
    left = abs(seconds)
    return f"{'-' if seconds < 0 else ''}{left // 60}:{left % 60:02d}"


def parse_clock(text: str) -> int | None:
    """ "2:30" or "150" as seconds; None when it is neither."""
    minutes, _, seconds = text.strip().rpartition(":")
    if not seconds.isdigit() or not (minutes.isdigit() or not minutes):
        return None
    return int(minutes or 0) * 60 + int(seconds)


class Timebox(Static):
    """A per-indicator countdown; keeps counting past zero, flagged as over, and rings the
    terminal bell once on reaching zero. Three lines tall, it draws big digits to be read
    from the back of the room."""

    class Changed(Message):
        """Posted on every tick, start and stop: the room shows the countdown on devices."""

        def __init__(self, remaining: int, running: bool) -> None:
            super().__init__()
            self.remaining = remaining
            self.running = running

    remaining: reactive[int] = reactive(DEFAULT_TIMEBOX_SECONDS)
    running: reactive[bool] = reactive(False)

    def __init__(self, seconds: int = DEFAULT_TIMEBOX_SECONDS, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.seconds = seconds
        self.set_reactive(Timebox.remaining, seconds)
        self._ticker: Timer | None = None
        self._width = 0

    def on_mount(self) -> None:
        self._ticker = self.set_interval(1, self._tick, pause=True)

    def _tick(self) -> None:
        self.remaining -= 1

    def toggle(self) -> None:
        self.running = not self.running

    def stretch(self, seconds: int) -> None:
        """More (or less) time for this indicator only; less never goes below zero."""
        self.remaining = max(self.remaining + seconds, min(self.remaining, 0))

    def restart(self) -> None:
        """A fresh timebox for a new indicator; a running timer keeps running."""
        self.remaining = self.seconds
        if self._ticker is not None and self.running:
            self._ticker.reset()

    def watch_running(self, running: bool) -> None:
        if self._ticker is not None:
            self._ticker.resume() if running else self._ticker.pause()
        self._fit()
        self.post_message(self.Changed(self.remaining, running))

    def watch_remaining(self, before: int, remaining: int) -> None:
        self.set_class(remaining < 0, "-over")
        if remaining == 0 < before and self.running:
            self.app.bell()
        self._fit()
        self.post_message(self.Changed(remaining, self.running))

    def _fit(self) -> None:
        """A new layout only when the clock's width changes ("paused" goes, "OVER by" comes):
        its width is its text's, and a stale one left a gap or cut the clock."""
        width = max(cell_len(line) for line in self.render().plain.split("\n"))
        if width != self._width:
            self._width = width
            self.refresh(layout=True)

    def render(self) -> Content:
        state = "" if self.running else " paused"
        if self.size.height >= 3 and (big := big_clock_lines(clock(self.remaining))):
            big[-1] += state
            return Content("\n".join(big))
        if self.remaining < 0:
            return Content(f"OVER by {clock(-self.remaining)}{state}")
        return Content(f"⏱ {clock(self.remaining)}{state}")


class ParticipantList(Widget):
    """Who has voted on this indicator (a check mark, never the value) and who votes next.

    One line per participant, drawn by `render_line`: a vote redraws the two or three lines
    whose mark or pointer moved, never the whole list (at 100 participants, rebuilding and
    drawing every line was most of a keystroke's time).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._names: list[str] = []
        self._shown: tuple[tuple[str, bool], ...] = ()
        """Per participant: their marks (voted, trend voted), highlighted."""
        self._lines: dict[tuple[str, str, bool], Content] = {}

    def show(self, workshop: Workshop) -> None:
        names = workshop.session.participants
        highlighted = [name == workshop.highlighted for name in names]
        state = tuple(zip(vote_marks(workshop), highlighted, strict=True))
        if names != self._names:
            self._names, self._shown = list(names), state
            self.refresh(layout=True)
        elif state != self._shown:
            width = self.size.width
            for y, (now, before) in enumerate(zip(state, self._shown, strict=True)):
                if now != before:
                    self.refresh(Region(0, y, width, 1))
            self._shown = state
        box = self.parent
        if workshop.highlighted in names and isinstance(box, Widget):
            row = names.index(workshop.highlighted)
            if not box.scroll_y <= row < box.scroll_y + box.scrollable_content_region.height:
                box.scroll_to(y=max(0, row - 2), animate=False)

    @property
    def text(self) -> str:
        """What the list shows, one participant a line, as plain text."""
        pairs = zip(self._names, self._shown, strict=True)
        return "\n".join(self._line(name, *shown).plain for name, shown in pairs)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._names)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y >= len(self._names):
            return Strip.blank(width, self.rich_style)
        line = self._line(self._names[y], *self._shown[y])
        strip = Strip(line.render_segments(self.visual_style))
        return strip.crop_extend(0, width, self.rich_style)

    def _line(self, name: str, marks: str, highlighted: bool) -> Content:
        line = self._lines.get((name, marks, highlighted))
        if line is None:
            pointer = "▶ " if highlighted else "  "
            line = Content(f"{pointer}{marks} ") + literal_content(name, one_line=True)
            line = self._lines[name, marks, highlighted] = (
                line.stylize("reverse") if highlighted else line
            )
        return line


def trend_tally(trends: list[Trend]) -> Content:
    """The revealed trend votes: `trend  ↑ 2  → 1  ↓ 0`."""
    counts = Counter(trends)
    return Content("trend ") + Content("  ").join(
        Content.assemble((trend_arrow(t), "bold"), f" {counts[t]}") for t in TREND_WORDS
    )


class Tally(Static):
    """Before the reveal only the count; after it the histogram, median and spread.

    A vote changes one line of it (the count): only the lines that changed are repainted,
    not the whole box (20 lines at 120 x 40, with the screen behind them, were most of a
    vote's frame).
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Content] = []

    def render(self) -> Content:
        return Content("\n").join(self._lines)

    def show(self, workshop: Workshop) -> None:
        votes = workshop.votes()
        scale = workshop.scale
        count = vote_count(workshop)
        if workshop.asks_trend:
            count += f" · {trend_count(workshop)}"
        if not workshop.revealed:
            self.set_class(False, "-contested")
            done = workshop.named and workshop.highlighted is None and bool(votes)
            then = [EVERYONE_VOTED, "r reveals them."] if done else ["Hidden until r reveals them."]
            self._show_lines([Content.styled(count, "bold"), Content(""), *map(Content, then)])
            return
        stats = vote_stats(votes, scale)
        most = max(stats.histogram.values(), default=0) or 1
        labels = [literal_content(point.label, one_line=True) for point in scale.points]
        width = max(label.cell_length for label in labels)
        chips = 4 if any(point.color for point in scale.points) else 0
        lines = [Content.assemble((count, "bold"), " · revealed")]
        longest = min(max(self.content_size.width - width - chips - 10, BAR_WIDTH[0]), BAR_WIDTH[1])
        spaced = self.screen.has_class("-tall")
        for point, label in zip(scale.points, labels, strict=True):
            n = stats.histogram[point.value]
            bar = "█" * round(n / most * longest) if n else ""
            if spaced:
                lines.append(Content(""))
            chip = color_chip(point.color) + " " if point.color else Content("")
            style = f"${CARD_STYLES[point.color]}" if point.color else "$accent"
            lines.append(
                Content(f"{point.value:>3} ")
                + chip
                + label.pad_right(width - label.cell_length)
                + Content.assemble(" ", (bar, style), f" {n}")
            )
        if spaced:
            lines.append(Content(""))
        if stats.count:
            median = f"{stats.median:g}"
            summary = Content(f"median {median} · spread {stats.spread}")
            if stats.contested:
                summary += Content.assemble("  ", (" CONTESTED ", "bold reverse"))
            lines.append(summary)
        if workshop.asks_trend:
            lines.append(trend_tally(workshop.trend_votes()))
        self.set_class(stats.contested, "-contested")
        self._show_lines(lines)

    def _show_lines(self, lines: list[Content]) -> None:
        """Show these lines, repainting only those that changed when none wraps (then a
        line is a row); the tally fills its box, so its size never depends on the text."""
        before, self._lines = self._lines, lines
        width = self.content_size.width
        if len(lines) != len(before) or any(line.cell_length > width for line in (*lines, *before)):
            self.refresh()
            return
        changed = [
            y
            for y, (now, then) in enumerate(zip(lines, before, strict=True))
            if now.plain != then.plain or now.spans != then.spans  # == compares text only
        ]
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))
