"""The results screen: level ladder, progress, objectives, contested indicators, dimensions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from maturity_tui.domain import MaturityModel
from maturity_tui.scoring import (
    IndicatorScore,
    Objective,
    SessionScore,
    Standing,
    score_session,
)
from maturity_tui.standing import card_mark
from maturity_tui.standing import headline as standing_headline
from maturity_tui.tui.screens.dialogs import ActionDialog, ActionDraft, needs_line
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import literal_content
from maturity_tui.tui.widgets.dimension_grid import DimensionGrid
from maturity_tui.tui.widgets.session_bar import SessionBar

LADDER_NAME = 22


def numbered_ranges(numbers: list[int]) -> str:
    """1, 3-5, 9: a long list of indicator numbers, short enough for one line."""
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][-1] + 1:
            ranges[-1].append(number)
        else:
            ranges.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in ranges)


def ladder(model: MaturityModel, placed: Standing) -> Content:
    lines = []
    for level in reversed(model.levels):
        gate = "✓ passed" if placed.gates_passed[level.number - model.first_level] else "· open"
        here = level.number == placed.level
        name = literal_content(level.name, one_line=True).truncate(LADDER_NAME, ellipsis=True)
        line = Content(f"{'▶' if here else ' '} {level.number} ") + name
        line = line.pad_right(LADDER_NAME + 4 - line.cell_length) + Content(f" {gate}")
        lines.append(line.stylize("bold reverse") if here else line)
    return Content("\n").join(lines)


def objective_prompt(
    objective: Objective,
    voting_on: str | None = None,
    scores: Mapping[str, IndicatorScore] | None = None,
) -> Content:
    """One objective's row; with `scores` (by id), the numbers of the indicators it depends on
    that are not achieved yet ("needs 12, 15")."""
    if objective.indicator is None:
        return Content("→ ") + literal_content(objective.text, one_line=True)
    scored = objective.indicator
    needed = scored.indicator.depends_on
    needs = Content("")
    if scores and needed:
        needs = needs_line((scores[n] for n in needed), unmet_only=True).stylize("italic")
    if scored.id == voting_on:
        agreed = "voting"
    else:
        agreed = "unrated" if scored.agreed is None else f"{scored.agreed}"
    if objective.target is None:  # a board's card: its colour letter and trend arrow
        return Content.styled(f"{card_mark(scored)} ", "bold") + literal_content(
            objective.text, one_line=True
        )
    return Content.assemble(
        (f"L{scored.level} {agreed}→{objective.target} ", "bold"), needs
    ) + literal_content(objective.text, one_line=True)


class ResultsScreen(WorkshopScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,v", "back", "Back to voting", id="results.back"),
        Binding("a", "objective_action", "Action for objective", id="results.objective-action"),
        Binding("A", "actions", "Actions", id="results.actions"),
        Binding(
            # Not x: on the voting screen x marks an indicator not applicable.
            "e",
            "export",
            "Export",
            id="results.export",
            tooltip="Action list or report to a file",
        ),
        Binding(
            "c",
            "compare",
            "Compare",
            id="results.compare",
            tooltip="This team's sessions over time",
        ),
        Binding(
            "m",
            "mark_complete",
            "Complete on/off",
            id="results.mark-complete",
            tooltip="The facilitator's mark: this workshop is finished (or not)",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield SessionBar(self.workshop.session)
        with Horizontal(id="results-body"):
            with VerticalScroll(id="standing"):
                yield Static(id="placed")
                yield Static(id="ladder")
                yield Static(id="progress-label")
                yield ProgressBar(total=100, show_eta=False, id="progress")
                yield DimensionGrid(id="dimensions")
            with Vertical(id="objectives-box"):
                with VerticalScroll(id="incomplete-box"):  # scattered numbers: many lines
                    yield Static(id="incomplete")
                yield Label("Objectives (a: make it an action)", id="obj-title")
                yield OptionList(id="objectives")
                with VerticalScroll(id="contested-box"):  # focusable: tab, then arrows scroll
                    yield Static(id="contested")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "changes", self._show, init=True)
        self.query_one("#objectives", OptionList).focus()

    def _show(self, _changes: int = 0) -> None:
        # What may be shown: the indicator being voted on counts as "voting", not by its votes.
        session = self.workshop.shown_session()
        voting_on = self.workshop.voting_on
        model = session.model
        score = score_session(session)
        self._objectives = score.objectives
        # On its own line: a long level title beside it would wrap in the 38-cell column.
        mark = "✓ marked complete" if session.status == "complete" else "in progress"
        if score.level is None or score.standing is None:
            headline = Content.styled(standing_headline(model, score), "bold")
            self.query_one("#ladder", Static).update("")
        else:
            level = model.level(score.level)
            headline = literal_content(level.heading, one_line=True).stylize(
                "bold", 0, 6 + len(str(level.number))
            )
            self.query_one("#ladder", Static).update(ladder(model, score.standing))
        self.query_one("#placed", Static).update(
            headline + Content("\n") + Content.styled(mark, "dim")
        )
        bar = self.query_one("#progress", ProgressBar)
        label = self.query_one("#progress-label", Static)
        if score.next_level is None or score.progress is None:
            label.update("Top level reached." if score.standing else "")
            bar.display = False
        else:
            label.update(f"Progress to level {score.next_level}: {score.progress:.0%}")
            bar.display = True
            bar.update(progress=round(score.progress * 100))
        self.query_one(DimensionGrid).show(score, model)
        self._show_objectives(score, voting_on)
        voting = [s for s in score.unrated if s.id == voting_on]
        unrated = [s for s in score.unrated if s.id != voting_on]
        incomplete = self.query_one("#incomplete", Static)
        self.query_one("#incomplete-box").display = bool(unrated or voting)
        named = ", ".join(s.id for s in unrated) if len(unrated) <= 3 else ""
        incomplete.update(
            Content.styled(f"INCOMPLETE: {len(unrated)} unrated", "bold")
            + Content(": " + numbered_ranges([s.position + 1 for s in unrated]) if unrated else "")
            + Content(f" ({named})" if named else "")
            + Content("".join(f" · voting on {s.position + 1}" for s in voting))
        )
        contested = score.contested
        self.query_one("#contested", Static).update(
            Content("\n").join(
                [Content.styled("Contested", "bold")]
                + [
                    Content(f"{s.position + 1}. spread {s.stats.spread}  ")
                    + literal_content(s.indicator.statement, one_line=True)
                    for s in contested
                ]
            )
            if contested
            else Content("No contested indicators.")
        )

    def _show_objectives(self, score: SessionScore, voting_on: str | None) -> None:
        objectives = self.query_one("#objectives", OptionList)
        highlighted = objectives.highlighted
        objectives.clear_options()
        scores = {s.id: s for s in score.indicators}
        objectives.add_options(
            Option(objective_prompt(o, voting_on, scores), id=str(n))
            for n, o in enumerate(score.objectives)
        )
        if score.objectives:
            objectives.highlighted = min(highlighted or 0, len(score.objectives) - 1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "objective_action":
            return True if self._objectives else None
        return True

    @on(OptionList.OptionSelected, "#objectives")
    def action_objective_action(self) -> None:
        index = self.query_one("#objectives", OptionList).highlighted
        if index is None or index >= len(self._objectives):
            return
        objective = self._objectives[index]
        linked = objective.indicator.id if objective.indicator else None

        def added(draft: ActionDraft | None) -> None:
            if draft is not None:
                self.workshop.add_action(**asdict(draft))
                self.notify("Action added.", timeout=2)

        self.app.push_screen(
            ActionDialog(self.workshop.session, title=objective.text, indicator=linked), added
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_compare(self) -> None:
        from maturity_tui.tui.screens.compare import compare_with_history

        compare_with_history(self.app, self.workshop.shown_session(), self.app.sessions_dir)

    def action_export(self) -> None:
        from maturity_tui.tui.screens.export_dialog import ExportDialog

        session = self.workshop.shown_session()  # the running app's outputs hide votes too
        self.app.push_screen(ExportDialog.for_session(session, self.app.sessions_dir))

    def action_actions(self) -> None:
        from maturity_tui.tui.screens.actions import ActionsScreen

        self.app.push_screen(ActionsScreen())

    def action_mark_complete(self) -> None:
        done = self.workshop.session.status != "complete"
        self.workshop.set_status("complete" if done else "in-progress")
        self.notify("Marked complete." if done else "Marked in progress.", timeout=2)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            "Action for the highlighted objective", "a", self.action_objective_action
        )
        yield SystemCommand("Action items", "A", self.action_actions)
        yield SystemCommand("Export the action list or the report", "e", self.action_export)
        yield SystemCommand("Compare with the team's earlier sessions", "c", self.action_compare)
        yield SystemCommand(
            "Mark the workshop complete, or in progress again", "m", self.action_mark_complete
        )
