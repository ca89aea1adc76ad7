"""The setup screen: model, team and voting mode of a new workshop; creating it writes the file."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Select, Static

from maturity_tui.domain import new_session, quarter_of
from maturity_tui.domain.base import duplicates
from maturity_tui.launch import SetupDraft, new_opening, split_names
from maturity_tui.storage import ModelSource, builtin_models, free_session_id, local_models
from maturity_tui.tui.screens.dialogs import head_count_problem
from maturity_tui.tui.text import clean, literal_content
from maturity_tui.tui.widgets.form import field
from maturity_tui.tui.widgets.voting import clock, parse_clock

if TYPE_CHECKING:
    from maturity_tui.domain import Voting
    from maturity_tui.tui.app import MaturityApp


class SetupScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="setup.back"),
        Binding("ctrl+n", "create", "Create", id="setup.create"),
    ]

    app: MaturityApp

    def __init__(self, draft: SetupDraft | None = None) -> None:
        super().__init__()
        self.draft = draft

    def compose(self) -> ComposeResult:
        local, problems = local_models()
        self.sources: list[ModelSource] = builtin_models() + local
        draft = self.draft
        chosen = 0
        if draft is not None:
            ids = [source.model.id for source in self.sources]
            if draft.model.id not in ids:  # a model file given by path
                self.sources.append(ModelSource(draft.model, "given"))
                ids.append(draft.model.id)
            chosen = ids.index(draft.model.id)
        now = self.app.now()
        with VerticalScroll(id="setup"):
            yield Static("New workshop (ctrl+n creates it, escape goes back)", id="setup-title")
            with field("Model"):
                yield Select(
                    [
                        (literal_content(f"{s.model.name} ({s.origin})", one_line=True), n)
                        for n, s in enumerate(self.sources)
                    ],
                    value=chosen,
                    allow_blank=False,
                    id="model",
                    compact=True,
                )
            yield Static(id="model-source")
            if problems:
                yield Static(
                    Content("\n").join(literal_content(str(p), one_line=True) for p in problems),
                    classes="error",
                )
            with field("Team"):
                yield Input(
                    draft.team if draft else "", placeholder="Apollo", id="team", compact=True
                )
            yield Static(id="team-error", classes="error")
            with field("Title"):
                yield Input(placeholder="optional", id="title", compact=True)
            with field("Facilitator"):
                yield Input(
                    self.app.settings.facilitator or "",
                    placeholder="optional",
                    id="facilitator",
                    compact=True,
                )
            with field("Period"):
                yield Input(quarter_of(now), id="period", compact=True)
            yield Static(id="period-error", classes="error")
            with field("Voting"):
                yield Select(
                    [
                        ("named: each vote recorded by name", "named"),
                        ("anonymous: only the tally is kept", "anonymous"),
                    ],
                    value=draft.voting if draft else "named",
                    allow_blank=False,
                    id="voting",
                    compact=True,
                )
            with field("Participants", id="participants-field"):
                yield Input(
                    ", ".join(draft.participants) if draft else "",
                    placeholder="Ana, Ben, Caro",
                    id="participants",
                    compact=True,
                )
            yield Static(id="participants-error", classes="error")
            with field("Head count", id="head-count-field"):
                yield Input(
                    "" if draft is None or draft.head_count is None else str(draft.head_count),
                    placeholder="optional: how many vote (tally '5 of 8 votes')",
                    restrict=r"[0-9]*",
                    id="head-count",
                    compact=True,
                )
            yield Static(id="head-count-error", classes="error")
            with field("Timebox"):
                yield Input(
                    clock(self.app.settings.timebox_seconds),
                    placeholder="m:ss per indicator",
                    id="timebox",
                    compact=True,
                )
            yield Static(id="timebox-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Create", variant="primary", id="create", compact=True)
                yield Button("Back", id="back", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#team", Input).focus()
        self._voting_changed()
        self._model_changed()

    @on(Select.Changed, "#model")
    def _model_changed(self) -> None:
        """A published model's source and licence, shown before anyone builds on it."""
        model = self.sources[int(str(self.query_one("#model", Select).value))].model
        credit = self.query_one("#model-source", Static)
        credit.display = model.source is not None
        if model.source is not None:
            credit.update(literal_content(f"Source: {model.source.attribution}"))

    @on(Select.Changed, "#voting")
    def _voting_changed(self) -> None:
        named = self.query_one("#voting", Select).value == "named"
        for selector in ("#participants-field", "#participants-error"):
            self.query_one(selector).display = named
        for selector in ("#head-count-field", "#head-count-error"):
            self.query_one(selector).display = not named

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _complain(self, selector: str, problem: str) -> bool:
        shown = self.query_one(selector, Static)
        shown.update(Content(problem))
        shown.set_class(bool(problem), "-shown")
        return bool(problem)

    def _problems(self, voting: Voting, participants: list[str]) -> bool:
        team_problem = "" if self._value("#team").strip() else "The team needs a name."
        period_problem = "" if self._value("#period").strip() else "Say which period this is."
        participant_problem = ""
        if voting == "named" and not participants:
            participant_problem = "Named voting needs the participants' names."
        elif repeated := duplicates(participants):
            names = ", ".join(clean(str(name), one_line=True) for name in repeated)
            participant_problem = f"Named twice: {names}"
        timebox = parse_clock(self._value("#timebox"))
        timebox_problem = (
            "" if timebox is not None and timebox >= 10 else "A timebox like 3:00 (at least 0:10)."
        )
        head_count = "" if voting == "named" else head_count_problem(self._value("#head-count"))
        bad = [
            self._complain("#head-count-error", head_count),
            self._complain("#timebox-error", timebox_problem),
            self._complain("#team-error", team_problem),
            self._complain("#period-error", period_problem),
            self._complain("#participants-error", participant_problem),
        ]
        return any(bad)

    @on(Button.Pressed, "#create")
    @on(Input.Submitted)
    def action_create(self) -> None:
        voting: Voting = (
            "anonymous" if self.query_one("#voting", Select).value == "anonymous" else "named"
        )
        participants = split_names(self._value("#participants")) if voting == "named" else []
        if self._problems(voting, participants):
            return
        head_count = self._value("#head-count").strip() if voting == "anonymous" else ""
        if (timebox := parse_clock(self._value("#timebox"))) is not None:
            # This run's timebox, like --timebox: the config file keeps its own default.
            self.app.settings.timebox_seconds = timebox
        source = self.sources[int(str(self.query_one("#model", Select).value))]
        folder = self.app.sessions_dir
        folder.mkdir(parents=True, exist_ok=True)
        team, period = self._value("#team"), self._value("#period")
        session = new_session(
            free_session_id(folder, team, period),
            source.model,
            team,
            participants=participants,
            voting=voting,
            head_count=int(head_count) if head_count else None,
            period=period,
            title=self._value("#title") or None,
            facilitator=self._value("#facilitator") or None,
            now=self.app.now(),
        )
        self.app.pop_screen()
        self.app.open_workshop(new_opening(session, folder))

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.app.pop_screen()
