"""The voting screen: one indicator at a time, one keystroke a vote, hidden until revealed."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from maturity_tui.domain.session import Trend
from maturity_tui.scoring import agreed_rating, agreed_trend, score_indicators
from maturity_tui.tui.cards import TREND_WORDS, color_chip, trend_arrow, trend_words
from maturity_tui.tui.screens.dialogs import (
    ConfirmDialog,
    ConsensusDialog,
    GuidanceDialog,
    HeadCountDialog,
    JumpDialog,
    NotesDialog,
    needs_line,
)
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import literal_content
from maturity_tui.tui.widgets.footer import KeysFooter
from maturity_tui.tui.widgets.guidance import Guidance
from maturity_tui.tui.widgets.room_badge import RoomBadge
from maturity_tui.tui.widgets.session_bar import SessionBar
from maturity_tui.tui.widgets.voting import EVERYONE_VOTED, ParticipantList, Tally, Timebox
from maturity_tui.workshop import NobodyChosen, VotesLocked, WorkshopError

DIGITS = range(1, 10)
STRETCH = 30
"""Seconds that + and - add to or take from the current indicator's timebox."""
AUTO_REVEAL = "Reveal on its own once everyone has voted (on/off)"
REVOTE = "Clear this indicator's votes and vote again, hidden"
HEAD_COUNT = "How many people vote (anonymous voting): the tally counts towards it"
LOCKED = "The votes are revealed and locked: ctrl+r starts a re-vote."
COUNTED_IN = "All {} votes are in: r reveals them (backspace takes one back, h changes the count)."
GUIDANCE_KEY = "i"
TREND_KEYS: dict[Trend, str] = {"up": "u", "same": "s", "down": "d"}
"""Trend votes: u(p), s(ame), d(own); the arrow keys already move between indicators and
participants."""


def trend_binding(trend: Trend) -> Binding:
    return Binding(
        TREND_KEYS[trend],
        f"trend('{trend}')",
        f"{trend_arrow(trend)} {trend}",  # short: the footer is full at 80 columns
        id=f"voting.trend-{trend}",
        tooltip=f"Trend: {TREND_WORDS[trend]} (the highlighted person's vote; after the "
        "reveal, the room's agreed trend; again: cleared)",
    )


class VotingScreen(WorkshopScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(str(d), f"vote({d})", f"vote {d}", show=False, id=f"voting.vote-{d}")
            for d in DIGITS
        ),
        # First in the footer: at 80 columns its right end is cut, and f1 lists every key.
        Binding("f1,question_mark", "app.keys", "Keys", id="voting.keys"),
        # Only when the model asks for a trend: then they come right after the digits.
        *(trend_binding(trend) for trend in TREND_KEYS),
        Binding(
            "r", "reveal", "Reveal", id="voting.reveal", tooltip="Show the votes (then locked)"
        ),
        Binding("ctrl+r", "revote", "Re-vote", id="voting.revote", tooltip=REVOTE),
        Binding("backspace", "undo", "Undo", id="voting.undo", tooltip="Take back the last vote"),
        Binding("n,right", "next", "Next", id="voting.next"),
        Binding("p,left", "previous", "Prev", id="voting.previous"),
        Binding("c", "consensus", "Consensus", id="voting.consensus"),
        Binding("e", "notes", "Notes", id="voting.notes"),
        Binding("v", "results", "Results", id="voting.results"),
        Binding("a,A", "actions", "Actions", id="voting.actions"),
        Binding("g", "jump", "Go to", id="voting.jump"),
        Binding(
            GUIDANCE_KEY,
            "guidance",
            "Guidance",
            id="voting.guidance",
            tooltip="The whole guidance, with its links",
        ),
        Binding(
            "k", "readings", "KPIs", id="voting.readings", tooltip="This period's KPI readings"
        ),
        Binding("t", "timer", "Timer", id="voting.timer", tooltip="Start or pause the timebox"),
        Binding("plus", f"stretch({STRETCH})", f"{STRETCH}s more", id="voting.timer-more"),
        Binding("minus", f"stretch(-{STRETCH})", f"{STRETCH}s less", id="voting.timer-less"),
        Binding(
            "j", "room", "Room", id="voting.room", tooltip="Open the room: people vote from devices"
        ),
        Binding("R", "auto_reveal", "Auto-reveal", id="voting.auto-reveal", tooltip=AUTO_REVEAL),
        Binding("h", "head_count", "Head count", id="voting.head-count", tooltip=HEAD_COUNT),
        Binding(
            "x", "not_applicable", "Not applicable on/off", id="voting.not-applicable", show=False
        ),
        Binding("up", "pick(-1)", "Previous person", id="voting.pick-up", show=False),
        Binding("down", "pick(1)", "Next person", id="voting.pick-down", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield SessionBar(self.workshop.session)
        with Horizontal(id="where-bar"):
            yield Static(id="where")
            yield RoomBadge(id="room-badge")
            yield Timebox(self.app.settings.timebox_seconds, id="timebox")
        yield Static(id="statement")
        yield Guidance(GUIDANCE_KEY, id="guidance")
        yield Static(id="needs")
        yield Static(id="scale")
        with Horizontal(id="room"):
            if self.workshop.named:
                with VerticalScroll(id="participants-box") as box:
                    trend = self.workshop.asks_trend
                    box.border_title = "Voted: ✓ answer, ↕ trend" if trend else "Who has voted"
                    yield ParticipantList(id="participants")
            yield Tally(id="tally")
        yield Static(id="agreed")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._shown_index = -1
        self._keys_shown: tuple[bool, ...] | None = None
        self._agreed_shown: Content | None = None
        self.watch(self.app, "changes", self._show, init=True)

    def _show(self, _changes: int = 0) -> None:
        workshop = self.workshop
        if workshop.index != self._shown_index:
            self._shown_index = workshop.index
            self._show_indicator()
            self.query_one(Timebox).restart()
        if workshop.named:
            self.query_one(ParticipantList).show(workshop)
        self.query_one(Tally).show(workshop)
        self._show_agreed()
        voted = bool(workshop.votes() or workshop.trend_votes())
        keys = (voted, workshop.revealed, workshop.index > 0)
        if keys != self._keys_shown:
            # Only when undo (dis)ables, or reveal or previous (dis)appear: the footer changes.
            self._keys_shown = keys
            self.refresh_bindings()

    def on_timebox_changed(self, event: Timebox.Changed) -> None:
        self.app.room_control.show_timebox(event.remaining, event.running)

    def _show_indicator(self) -> None:
        workshop = self.workshop
        indicator = workshop.indicator
        model = workshop.session.model
        where = Content.styled(
            f"Indicator {workshop.index + 1} of {len(workshop.indicators)}", "bold"
        )
        if indicator.level is not None:
            level = model.level(indicator.level)
            where += Content(" · ") + literal_content(level.heading, one_line=True)
        dimension = model.dimension_name(indicator.dimension)
        if dimension:
            where += Content(" · ") + literal_content(dimension, one_line=True)
        self.query_one("#where", Static).update(where)
        self.query_one("#statement", Static).update(literal_content(indicator.statement))
        self.query_one(Guidance).show(indicator)
        self._show_needs()
        points = workshop.scale.points
        scale = Content(f"Vote 1-{len(points)}:  ") + Content("   ").join(
            Content.assemble((str(n), "bold reverse"), " ")
            + (color_chip(p.color) + " " if p.color else Content(""))
            + literal_content(p.label, one_line=True)
            for n, p in enumerate(points, start=1)
        )
        if workshop.asks_trend:
            scale += Content("\nTrend:     ") + Content("   ").join(
                Content.assemble((key, "bold reverse"), f" {trend_words(trend)}")
                for trend, key in TREND_KEYS.items()
            )
        self.query_one("#scale", Static).update(scale)

    def _show_needs(self) -> None:
        """What to reach first, and how each stands (what may be shown: no hidden votes)."""
        needed = self.workshop.indicator.depends_on
        line = self.query_one("#needs", Static)
        line.display = bool(needed)
        if needed:
            by_id = {s.id: s for s in score_indicators(self.workshop.shown_session())}
            line.update(needs_line(by_id[n] for n in needed))

    def _show_agreed(self) -> None:
        rating = self.workshop.rating
        scale = self.workshop.scale
        parts: list[Content] = []
        if rating is not None and rating.not_applicable:
            parts.append(Content.styled("NOT APPLICABLE", "bold"))
        if rating is not None and rating.consensus is not None:
            parts.append(
                Content(f"consensus {rating.consensus} ")
                + literal_content(scale.label(rating.consensus), one_line=True)
            )
        elif self.workshop.revealed and (agreed := agreed_rating(rating)) is not None:
            parts.append(Content(f"agreed (median) {agreed} ") + color_chip(scale.color(agreed)))
        if rating is not None and rating.trend is not None:
            parts.append(Content(f"trend {trend_words(rating.trend)}"))
        elif self.workshop.revealed and (trend := agreed_trend(rating)) is not None:
            parts.append(Content(f"trend (most votes) {trend_words(trend)}"))
        if rating is not None and rating.notes:
            parts.append(Content("notes: ") + literal_content(rating.notes, one_line=True))
        line = Content(" · ").join(parts)
        if line != self._agreed_shown:
            self._agreed_shown = line
            self.query_one("#agreed", Static).update(line)

    # --- Keys ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        workshop = self.workshop
        if action == "vote":
            return None if parameters[0] > len(workshop.scale.points) else True  # type: ignore[operator]
        if action == "pick":
            return workshop.named
        if action == "trend":
            return workshop.asks_trend
        # Undo stays in its place, dimmed while there is nothing to take back: it comes and
        # goes on every indicator, and a key that comes or goes lays the whole screen out
        # again (5-17 ms), in the frame of the vote after the one that brought it.
        if action == "undo":
            can_undo = bool(workshop.votes() or workshop.trend_votes()) and not workshop.revealed
            return True if can_undo else None
        # The others are hidden, not dimmed, when they cannot apply: the footer has no room.
        if action == "reveal":
            return not workshop.revealed
        if action == "revote":
            return workshop.revealed
        if action == "previous":
            return workshop.index > 0
        if action == "head_count":
            return not workshop.named
        return True

    @property
    def room_open(self) -> bool:
        return self.app.room_control.room is not None

    def action_vote(self, position: int) -> None:
        workshop = self.workshop
        head_count = workshop.session.head_count
        if head_count is not None and len(workshop.votes()) >= head_count and not workshop.revealed:
            # The keyboard's double tap once an anonymous room is counted in: no vote is
            # another's to replace, yet one too many would change the median.
            self.notify(COUNTED_IN.format(head_count), severity="warning", timeout=4)
            return
        try:
            workshop.cast_at(position)
        except VotesLocked:
            self.notify(LOCKED, severity="warning", timeout=4)
        except NobodyChosen:
            self.notify(EVERYONE_VOTED, severity="warning", timeout=4)
        except WorkshopError as error:
            self.notify(str(error), severity="warning", markup=False)

    def action_trend(self, trend: Trend) -> None:
        """Before the reveal a trend vote; after it the room's agreed trend (the same key
        again clears it: the votes decide)."""
        workshop = self.workshop
        if workshop.revealed:
            rating = workshop.rating
            workshop.set_trend(None if rating is not None and rating.trend == trend else trend)
            return
        try:
            workshop.cast_trend(trend)
        except NobodyChosen:
            self.notify(EVERYONE_VOTED, severity="warning", timeout=4)
        except WorkshopError as error:
            self.notify(str(error), severity="warning", markup=False)

    def action_undo(self) -> None:
        try:
            undone = self.workshop.undo_last()
        except VotesLocked:
            self.notify(LOCKED, severity="warning", timeout=4)
            return
        if undone is None:
            self.notify("No vote to undo on this indicator.", timeout=2)

    def action_reveal(self) -> None:
        self.workshop.reveal()

    def action_revote(self) -> None:
        count = len(self.workshop.votes())

        def answered(yes: bool | None) -> None:
            if yes:
                self.workshop.revote()

        what = (
            "consensus, trend votes and agreed trend" if self.workshop.asks_trend else "consensus"
        )
        question = Content(
            f"Clear the {count} vote{'' if count == 1 else 's'} and the {what} of this "
            "indicator and vote again, hidden?"
        )
        self.app.push_screen(ConfirmDialog(question), answered)

    def action_next(self) -> None:
        if not self.workshop.next():
            self.action_results()

    def action_previous(self) -> None:
        self.workshop.previous()

    def action_pick(self, step: int) -> None:
        self.workshop.move_highlight(step)

    async def action_room(self) -> None:
        await self.app.room_control.show()

    def action_auto_reveal(self) -> None:
        """Named: once every participant has voted. Anonymous: once the head count is reached,
        else once every device in the room has voted; with neither, it asks the head count."""
        control = self.app.room_control
        workshop = self.workshop
        if control.auto_reveal or workshop.expected_votes is not None or self.room_open:
            control.toggle_auto_reveal()
            return

        def counted(count: int | None) -> None:
            if count is not None:
                workshop.set_head_count(count)
                control.toggle_auto_reveal()

        self.app.push_screen(HeadCountDialog(None), counted)

    def action_head_count(self) -> None:
        workshop = self.workshop

        def counted(count: int | None) -> None:
            if count != workshop.session.head_count:
                workshop.set_head_count(count)

        self.app.push_screen(HeadCountDialog(workshop.session.head_count), counted)

    def action_timer(self) -> None:
        self.query_one(Timebox).toggle()

    def action_stretch(self, seconds: int) -> None:
        self.query_one(Timebox).stretch(seconds)

    def action_not_applicable(self) -> None:
        rating = self.workshop.rating
        self.workshop.set_not_applicable(not (rating is not None and rating.not_applicable))

    def action_consensus(self) -> None:
        workshop = self.workshop
        rating = workshop.shown_session().rating(workshop.indicator.id)  # no hidden median
        current = rating.consensus if rating is not None else None
        dialog = ConsensusDialog(workshop.scale, current, agreed_rating(rating))
        self.app.push_screen(dialog, workshop.choose_consensus)

    def action_notes(self) -> None:
        rating = self.workshop.rating

        def written(text: str | None) -> None:
            if text is not None:
                self.workshop.set_notes(text)

        self.app.push_screen(NotesDialog(rating.notes if rating else None), written)

    def action_jump(self) -> None:
        def chosen(index: int | None) -> None:
            if index is not None:
                self.workshop.go(index)

        workshop = self.workshop
        dialog = JumpDialog(workshop.shown_session(), workshop.index, workshop.voting_on)
        self.app.push_screen(dialog, chosen)

    def action_guidance(self) -> None:
        workshop = self.workshop
        self.app.push_screen(GuidanceDialog(workshop.indicator, workshop.index + 1))

    def action_results(self) -> None:
        from maturity_tui.tui.screens.results import ResultsScreen

        self.app.push_screen(ResultsScreen())

    def action_readings(self) -> None:
        from maturity_tui.tui.screens.readings import ReadingsScreen

        self.app.push_screen(ReadingsScreen())

    def action_actions(self) -> None:
        from maturity_tui.tui.screens.actions import ActionsScreen

        self.app.push_screen(ActionsScreen())

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Reveal the votes (then locked)", "r", self.action_reveal)
        yield SystemCommand(REVOTE, "ctrl+r", self.action_revote)
        yield SystemCommand("Set the consensus rating", "c", self.action_consensus)
        yield SystemCommand("Edit the notes", "e", self.action_notes)
        yield SystemCommand("Go to an indicator", "g", self.action_jump)
        yield SystemCommand(
            "The whole guidance, links and source id", GUIDANCE_KEY, self.action_guidance
        )
        yield SystemCommand("Results: level, progress, objectives", "v", self.action_results)
        yield SystemCommand("Action items", "a", self.action_actions)
        yield SystemCommand("KPI readings for this period", "k", self.action_readings)
        yield SystemCommand("Start or pause the timebox", "t", self.action_timer)
        yield SystemCommand("Open the room (URL, join code, QR code)", "j", self.action_room)
        yield SystemCommand(AUTO_REVEAL, "R", self.action_auto_reveal)
        if not self.workshop.named:
            yield SystemCommand(HEAD_COUNT, "h", self.action_head_count)
        if self.workshop.asks_trend:
            for trend, key in TREND_KEYS.items():
                yield SystemCommand(
                    f"Trend {trend_words(trend)}: a vote, or agreed after the reveal",
                    key,
                    partial(self.action_trend, trend),
                )
        yield SystemCommand("Mark not applicable (or applicable)", "x", self.action_not_applicable)
