"""Small questions as modal screens, each answering with `dismiss(value)`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from maturity_tui.domain import Action, Indicator, Scale, Session
from maturity_tui.domain.base import Number
from maturity_tui.domain.session import ACTION_STATUSES, HEAD_COUNT_MAX, ActionStatus
from maturity_tui.scoring import IndicatorScore, agreed_rating
from maturity_tui.standing import dimension_labels
from maturity_tui.tui.text import as_typed, clean, literal_content
from maturity_tui.tui.widgets.form import field


class ConsensusDialog(ModalScreen[Number | None]):
    """The agreed rating: a scale point, or none. Escape keeps the current one.

    It opens on `agreed` (the consensus, else the room's median, once revealed), so that
    enter keeps what the room has; with nothing agreed yet, on the middle of the scale."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Cancel", id="consensus.cancel"),
        *(
            Binding(str(d), f"pick({d})", f"pick {d}", show=False, id=f"consensus.pick-{d}")
            for d in range(1, 10)
        ),
    ]

    def __init__(self, scale: Scale, current: Number | None, agreed: Number | None = None) -> None:
        super().__init__()
        self.scale = scale
        self.current = current
        self.agreed = agreed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Consensus rating (enter picks, escape cancels)", classes="dialog-title")
            options = [
                Option(
                    Content(f"{n}. {p.value} ") + literal_content(p.label, one_line=True), id=str(n)
                )
                for n, p in enumerate(self.scale.points, start=1)
            ]
            options.append(Option("No consensus (use the median)", id="clear"))
            yield OptionList(*options)

    def on_mount(self) -> None:
        values = self.scale.values
        option_list = self.query_one(OptionList)
        middle = (len(values) - 1) // 2
        option_list.highlighted = values.index(self.agreed) if self.agreed in values else middle

    def action_pick(self, position: int) -> None:
        """Digits pick by scale position, as when voting."""
        value = self.scale.value_at(position)
        if value is not None:
            self.dismiss(value)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "clear":
            self.dismiss(None)
        else:
            self.dismiss(self.scale.values[int(event.option.id or "1") - 1])

    def action_keep(self) -> None:
        self.dismiss(self.current)


class NotesDialog(ModalScreen[str | None]):
    """The indicator's notes; None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "keep_notes", "Save notes", id="notes.keep"),
        Binding("escape", "cancel", "Cancel", id="notes.cancel"),
    ]

    def __init__(self, notes: str | None) -> None:
        super().__init__()
        self.notes = notes or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Notes (ctrl+s keeps them, escape cancels)", classes="dialog-title")
            yield TextArea(clean(self.notes), id="notes-text")
            with Horizontal(classes="buttons"):
                yield Button("Keep", variant="primary", id="keep")
                yield Button("Cancel", id="cancel")

    @on(Button.Pressed, "#keep")
    def action_keep_notes(self) -> None:
        self.dismiss(as_typed(self.query_one(TextArea).text, self.notes))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def head_count_problem(text: str) -> str:
    """What is wrong with a typed head count ("" when it is a count, or empty: not said)."""
    text = text.strip()
    if not text or (text.isdecimal() and 1 <= int(text) <= HEAD_COUNT_MAX):
        return ""
    return f"A head count is a number from 1 to {HEAD_COUNT_MAX}, or empty."


class HeadCountDialog(ModalScreen[int | None]):
    """Anonymous voting: how many people vote. Empty clears it; escape keeps the current one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Cancel", id="head-count.cancel"),
    ]

    def __init__(self, current: int | None) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="head-count-form"):
            yield Label(
                "How many people vote? (enter keeps it, escape cancels)", classes="dialog-title"
            )
            yield Input(
                "" if self.current is None else str(self.current),
                placeholder="e.g. 8 (empty: not said)",
                restrict=r"[0-9]*",
                max_length=len(str(HEAD_COUNT_MAX)),
                id="head-count",
                compact=True,
            )
            yield Static(id="head-count-error", classes="error")

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        problem = head_count_problem(event.value)
        shown = self.query_one("#head-count-error", Static)
        shown.update(Content(problem))
        shown.set_class(bool(problem), "-shown")
        if not problem:
            self.dismiss(int(event.value) if event.value.strip() else None)

    def action_keep(self) -> None:
        self.dismiss(self.current)


DIMENSION_LABEL_WIDTH = 12


def indicator_prompt(
    session: Session, index: int, voting_on: str | None = None, dimension: str = ""
) -> Content:
    """Number, level, dimension (its label, of `dimension_labels`) and agreed rating:
    "voting" for the indicator being voted on (nothing of its hidden votes), "n/a" when it
    does not apply, "·" while unrated."""
    indicator = session.model.indicators[index]
    rating = session.rating(indicator.id)
    agreed = agreed_rating(rating)
    if indicator.id == voting_on:
        mark = "voting"
    elif rating is not None and not rating.applicable:
        mark = "n/a"
    else:
        mark = "·" if agreed is None else str(agreed)
    where = f"{dimension:<{DIMENSION_LABEL_WIDTH}} " if session.model.dimensions else ""
    level = "" if indicator.level is None else f"L{indicator.level} "  # a board has none
    return Content(f"{index + 1:>3}. {level}{where}{mark:>6}  ") + literal_content(
        indicator.statement, one_line=True
    )


def needs_line(needed: Iterable[IndicatorScore], *, unmet_only: bool = False) -> Content:
    """The indicators to reach first (DESIGN: depends_on, shown, never scored): "needs: 12.
    build-tool ✓ · 15. sbom not yet"; with `unmet_only`, the numbers of those not achieved."""
    if unmet_only:
        numbers = [str(s.position + 1) for s in needed if s.applicable and not s.achieved]
        return Content(f"needs {', '.join(numbers)} ") if numbers else Content("")
    parts = []
    for score in needed:
        state = "n/a" if not score.applicable else "✓" if score.achieved else "not yet"
        parts.append(
            Content(f"{score.position + 1}. ")
            + literal_content(score.id, one_line=True)
            + Content.styled(f" {state}", "bold")
        )
    return Content("needs: ") + Content(" · ").join(parts) if parts else Content("")


def searchable(session: Session, index: int) -> str:
    """What typed words are looked for in: the indicator's id, statement, dimension name and
    short name, and its group's name."""
    model = session.model
    indicator = model.indicators[index]
    dimension = next((d for d in model.dimensions if d.id == indicator.dimension), None)
    words = [indicator.id, indicator.statement]
    if dimension is not None:
        words += [dimension.name, dimension.short_name or ""]
        words += [g.name for g in model.groups or () if g.id == dimension.group]
    return " ".join(words).lower()


class JumpDialog(ModalScreen[int | None]):
    """Pick an indicator to go to (with its agreed rating so far), rows under their
    dimension (and group). Typing filters: digits go by number (as soon as no further digit
    could follow, it goes there), words keep the rows whose id, statement, dimension or group
    holds them all; the arrows move, enter goes. `session` is what may be shown
    (`Workshop.shown_session`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
        Binding("down", "move('cursor_down')", "Next", show=False, id="jump.down"),
        Binding("up", "move('cursor_up')", "Previous", show=False, id="jump.up"),
        Binding("pagedown", "move('page_down')", "Page down", show=False, id="jump.page-down"),
        Binding("pageup", "move('page_up')", "Page up", show=False, id="jump.page-up"),
    ]

    def __init__(self, session: Session, current: int, voting_on: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.current = current
        self.voting_on = voting_on
        model = session.model
        # Never two dimensions alike, whatever their names share (DSOMM's 19 did, once cut).
        labels = dict(
            zip(
                (d.id for d in model.dimensions),
                dimension_labels(model.dimensions, DIMENSION_LABEL_WIDTH),
                strict=True,
            )
        )
        self.prompts = [
            indicator_prompt(session, n, voting_on, labels.get(indicator.dimension or "", ""))
            for n, indicator in enumerate(model.indicators)
        ]
        self.haystacks = [searchable(session, n) for n in range(len(self.prompts))]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(
                "Go to indicator: type its number or words, then enter",
                classes="dialog-title",
            )
            yield Input(placeholder="number, id, words, dimension", id="jump-filter")
            yield OptionList(*self._options(range(len(self.prompts))), id="jump-list")

    def _options(self, shown: Iterable[int]) -> list[Option]:
        """The rows to show, under a header for each dimension when the model has them, and
        the dimensions under their group's header when it has groups."""
        model = self.session.model
        if not model.dimensions:
            return [Option(self.prompts[n], id=str(n)) for n in shown]
        by_dimension: dict[str | None, list[int]] = {}
        for n in shown:
            by_dimension.setdefault(model.indicators[n].dimension, []).append(n)
        groups = {g.id: g.name for g in model.groups or ()}
        options: list[Option] = []
        group_shown: str | None = None
        for dimension in model.dimensions:
            if dimension.id not in by_dimension:
                continue
            if dimension.group in groups and dimension.group != group_shown:
                group_shown = dimension.group
                title = literal_content(groups[dimension.group], one_line=True)
                options.append(Option(title.stylize("bold reverse"), disabled=True))
            indent = "  " if groups else ""
            title = Content(indent) + literal_content(dimension.name, one_line=True)
            options.append(Option(title, disabled=True))
            options.extend(Option(self.prompts[n], id=str(n)) for n in by_dimension[dimension.id])
        return options

    def on_mount(self) -> None:
        self._highlight(self.current)

    def _highlight(self, index: int) -> None:
        listing = self.query_one(OptionList)
        try:
            listing.highlighted = listing.get_option_index(str(index))
        except OptionDoesNotExist:
            listing.action_first()

    @on(Input.Changed, "#jump-filter")
    def _filter(self, event: Input.Changed) -> None:
        typed = event.value.strip()
        count = len(self.prompts)
        listing = self.query_one(OptionList)
        if typed.isdecimal():
            number = int(typed)
            if not 1 <= number <= count and 1 <= int(typed[-1]) <= count:
                event.input.value = typed[-1]  # a fresh start: "7" after "3" of 20 means 7
                return
            shown = [n for n in range(count) if str(n + 1).startswith(typed)]
        else:
            words = typed.lower().split()
            shown = [n for n in range(count) if all(w in self.haystacks[n] for w in words)]
        listing.set_options(self._options(shown))
        if typed.isdecimal() and 1 <= int(typed) <= count:
            self._highlight(int(typed) - 1)
            if int(typed) * 10 > count:
                self.dismiss(int(typed) - 1)
        else:
            listing.action_first()

    def action_move(self, how: str) -> None:
        listing = self.query_one(OptionList)
        getattr(listing, f"action_{how}")()

    @on(Input.Submitted, "#jump-filter")
    def _typed_enter(self) -> None:
        option = self.query_one(OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(int(option.id))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or "0"))

    def action_cancel(self) -> None:
        self.dismiss(None)


def guidance_text(indicator: Indicator) -> Content:
    """The whole guidance, then the links (title, and the address as text to copy) and the
    source's own id: all literal, as the model file has them."""
    parts = [literal_content(indicator.guidance)] if indicator.guidance else []
    if indicator.links:
        links = [
            literal_content(link.title, one_line=True)
            + Content("\n  ")
            + literal_content(link.url, one_line=True)
            for link in indicator.links
        ]
        parts.append(Content("\n").join([Content.styled("Links", "bold"), *links]))
    if indicator.ref:
        parts.append(Content.styled("Source id: ", "bold") + literal_content(indicator.ref))
    return Content("\n\n").join(parts) if parts else Content("No guidance for this indicator.")


class GuidanceDialog(ModalScreen[None]):
    """An indicator's whole guidance, links and source id, scrolled with the arrows."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,i,q", "close", "Close", id="guidance.close"),
    ]

    def __init__(self, indicator: Indicator, number: int) -> None:
        super().__init__()
        self.indicator = indicator
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide", id="guidance-dialog"):
            yield Label(
                Content(f"{self.number}. ")
                + literal_content(self.indicator.statement, one_line=True),
                classes="dialog-title",
                id="guidance-title",
            )
            with VerticalScroll(id="guidance-scroll"):
                yield Static(guidance_text(self.indicator), id="guidance-text")
            yield Label("↑ ↓ page up / down scroll · escape closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#guidance-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)


def keys_rank(entry: ActiveBinding) -> tuple[bool, bool]:
    """The screen's own keys, then the app's, then Textual's (ours all have an id)."""
    return entry.binding.id is None, isinstance(entry.node, App)


class KeysDialog(ModalScreen[None]):
    """Every key of the screen below, including those the footer has no room for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "close", "Close", id="keys.close"),
    ]

    def __init__(self, bindings: Iterable[ActiveBinding]) -> None:
        super().__init__()
        # The screen's own keys first, then the app's, then the focused widget's (Textual's
        # scrolling and focus keys): at 80x24 the list is cut at the bottom.
        self.active = sorted(bindings, key=keys_rank)

    def _describe(self) -> list[Content]:
        seen: dict[str, list[str]] = {}
        for entry in self.active:
            binding = entry.binding
            if not binding.description or binding.system:
                continue
            key = self.app.get_key_display(binding)
            description = binding.description
            if binding.action.startswith("vote("):
                description, key = "vote by scale position", "1-9"
            seen.setdefault(description, [])
            if key not in seen[description]:
                seen[description].append(key)
        return [Content(f"{', '.join(keys):>18}  {what}") for what, keys in seen.items()]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Keys (escape closes)", classes="dialog-title")
            yield Static(Content("\n").join(self._describe()), id="keys")

    def action_close(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True, slots=True)
class ActionDraft:
    """What the action form returns: validated fields, not yet an Action. The field names
    are `Workshop.add_action`'s parameters, so a draft is passed on as `**asdict(draft)`."""

    title: str
    indicator: str | None
    owner: str | None
    due: date | None
    status: ActionStatus


class ActionDialog(ModalScreen[ActionDraft | None]):
    """Add or edit an action item; the due date must be YYYY-MM-DD."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="action.cancel"),
        Binding("ctrl+s", "keep", "Keep", id="action.keep"),
    ]

    def __init__(
        self,
        session: Session,
        action: Action | None = None,
        *,
        title: str = "",
        indicator: str | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.action = action
        self.draft_title = action.title if action else title
        self.draft_owner = action.owner or "" if action else ""
        self.draft_indicator = action.indicator if action else indicator

    def compose(self) -> ComposeResult:
        action = self.action
        heading = f"Edit action {action.id}" if action else "New action"
        indicators = [
            (Content(f"L{i.level} ") + literal_content(i.statement, one_line=True), i.id)
            for i in self.session.model.indicators
        ]
        with Vertical(classes="dialog wide", id="action-form"):
            yield Label(f"{heading} (ctrl+s keeps, escape cancels)", classes="dialog-title")
            with field("Title"):
                yield Input(
                    clean(self.draft_title, one_line=True),
                    placeholder="What will be done",
                    # An objective's statement comes in selected: typing replaces it, enter
                    # keeps it (issue 11). The export dialog's path does the opposite.
                    select_on_focus=True,
                    id="title",
                    compact=True,
                )
            with field("Indicator"):
                yield Select(
                    indicators,
                    value=self.draft_indicator or Select.NULL,
                    prompt="(none)",
                    id="indicator",
                    compact=True,
                )
            with field("Owner"):
                yield Input(
                    clean(self.draft_owner, one_line=True),
                    placeholder="a participant or anyone",
                    suggester=SuggestFromList(self.session.participants, case_sensitive=False),
                    id="owner",
                    compact=True,
                )
            with field("Due"):
                yield Input(
                    action.due.isoformat() if action and action.due else "",
                    placeholder="YYYY-MM-DD (optional)",
                    id="due",
                    compact=True,
                )
            with field("Status"):
                yield Select(
                    [(s, s) for s in ACTION_STATUSES],
                    value=action.status if action else "open",
                    allow_blank=False,
                    id="status",
                    compact=True,
                )
            yield Static(id="form-errors", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Keep", variant="primary", id="keep", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def _draft(self) -> ActionDraft | None:
        title = as_typed(self.query_one("#title", Input).value, self.draft_title, one_line=True)
        due_text = self.query_one("#due", Input).value.strip()
        title_error = "" if title.strip() else "An action needs a title."
        due: date | None = None
        due_error = ""
        if due_text:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                due_error = f"Not a date: {clean(due_text, one_line=True)} (use YYYY-MM-DD)"
            if due is not None and len(due_text) != len("2027-01-31"):
                due, due_error = None, "Use the form YYYY-MM-DD, e.g. 2027-01-31."
        errors = [problem for problem in (title_error, due_error) if problem]
        shown = self.query_one("#form-errors", Static)
        shown.update(Content("\n".join(errors)))
        shown.set_class(bool(errors), "-shown")
        if title_error or due_error:
            return None
        indicator = self.query_one("#indicator", Select).value
        status = self.query_one("#status", Select).value
        owner = as_typed(self.query_one("#owner", Input).value, self.draft_owner, one_line=True)
        return ActionDraft(
            title=title,
            indicator=indicator if isinstance(indicator, str) else None,
            owner=owner if owner.strip() else None,
            due=due,
            status=status if status in ACTION_STATUSES else "open",
        )

    @on(Button.Pressed, "#keep")
    @on(Input.Submitted)
    def action_keep(self) -> None:
        draft = self._draft()
        if draft is not None:
            self.dismiss(draft)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y or enter confirms, n or escape declines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: Content) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question)
            yield Label("y: yes   n: no", classes="dialog-title")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
