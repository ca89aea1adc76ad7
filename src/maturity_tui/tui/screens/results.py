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

from maturity_tui import standing
from maturity_tui.domain import MaturityModel
from maturity_tui.scoring import (
    DimensionScore,
    IndicatorScore,
    Objective,
    SessionScore,
    Standing,
    board_order,
    score_session,
)
from maturity_tui.standing import dimension_labels, headline_parts, score_text
from maturity_tui.tui.cards import card_style
from maturity_tui.tui.screens.dialogs import ActionDialog, ActionDraft, needs_line
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import literal_content
from maturity_tui.tui.widgets.dimension_grid import DimensionGrid
from maturity_tui.tui.widgets.session_bar import SessionBar

LADDER_NAME = 22
SCORE_NAME = 10
"""A dimension's label in the score panel (`standing.dimension_labels`)."""
SCORE_BAR = 10
CARD_NAME = 30


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


def score_bar(score: float | None, target: float | None, top: float) -> Content:
    """`██████│░░░`: the score's share of the highest possible score, `│` at the target."""
    filled = 0 if score is None or top <= 0 else round(min(score / top, 1) * SCORE_BAR)
    cells = ["█" if n < filled else "░" for n in range(SCORE_BAR)]
    if target is not None and top > 0:
        cells[min(round(target / top * SCORE_BAR), SCORE_BAR - 1)] = "│"
    return Content("".join(cells))


def target_mark(dimension: DimensionScore) -> Content:
    """` ✓ ≥1.50` met, ` ✗ ≥1.50` not yet (bold), nothing without a target."""
    if dimension.target is None:
        return Content("")
    goal = f"≥{score_text(dimension.target)}"
    if dimension.met:
        return Content(f" ✓ {goal}")
    return Content(" ") + Content.styled(f"✗ {goal}", "bold $text-warning")


def score_panel(score: SessionScore, model: MaturityModel) -> Content:
    """Score models: each group's score, then its dimensions', each dimension with a bar
    against its target; the overall score is the headline."""
    lines = [Content.styled("Scores   (│ target, ✓ met, ✗ below)", "bold")]
    groups = {g.id: g for g in score.groups}
    by_id = {d.id: d for d in model.dimensions}
    labels = dimension_labels([by_id[d.id] for d in score.dimensions], SCORE_NAME)
    shown_group: str | None = None
    for dimension, label in zip(score.dimensions, labels, strict=True):
        if dimension.group in groups and dimension.group != shown_group:
            shown_group = dimension.group
            group = groups[shown_group]
            # Its score in the dimensions' score column, under the group's name.
            name = literal_content(group.name, one_line=True).truncate(SCORE_NAME + 2)
            lines.append(
                name.pad_right(SCORE_NAME + 2 - name.cell_length)
                + Content.styled(f" {score_text(group.score):>4}", "bold")
            )
        name = literal_content(label.ljust(SCORE_NAME), one_line=True)
        top = model.score_range(dimension.id)[1]
        lines.append(
            Content("  ")
            + name
            + Content(f" {score_text(dimension.score):>4} ")
            + score_bar(dimension.score, dimension.target, top)
            + target_mark(dimension)
        )
    return Content("\n").join(lines)


def card_mark(card: IndicatorScore, voting_on: str | None) -> Content:
    """`R↓`: a card's colour letter (in its colour) and agreed trend; `…` being voted on,
    `-` not applicable, `·` unrated."""
    if card.id == voting_on:
        return Content("… ")
    style = card_style(card.color if card.applicable else None)
    return Content.styled(standing.card_mark(card), style)


def card_line(card: IndicatorScore, voting_on: str | None) -> Content:
    """`R↓ Easy to release`: a card on the board."""
    statement = literal_content(card.indicator.statement, one_line=True)
    return card_mark(card, voting_on) + " " + statement.truncate(CARD_NAME, ellipsis=True)


def mode_panel(score: SessionScore, model: MaturityModel, voting_on: str | None) -> Content:
    """Beside the staged models' grid: a score model's scores, or the board: every card,
    red first, then amber, green, unrated, not applicable."""
    if score.mode == "score":
        return score_panel(score, model)
    if score.mode != "board":
        return Content("")
    lines = [Content.styled("The board (… voting, - n/a)", "bold")]
    lines += [card_line(card, voting_on) for card in board_order(score.indicators)]
    return Content("\n").join(lines)


def objective_prompt(
    objective: Objective,
    voting_on: str | None = None,
    scores: Mapping[str, IndicatorScore] | None = None,
    model: MaturityModel | None = None,
) -> Content:
    """One objective's row; with `scores` (by id), the numbers of the indicators it depends on
    that are not achieved yet ("needs 12, 15"); in a score model, with `model`, where the
    indicator stands in its own answer set ("SG 0.25 of 1")."""
    if objective.indicator is None:
        return Content("→ ") + literal_content(objective.text, one_line=True)
    scored = objective.indicator
    text = literal_content(objective.text, one_line=True)
    if objective.target is None:  # a board's card: its colour letter and trend arrow
        return card_mark(scored, voting_on) + " " + text
    needed = scored.indicator.depends_on
    needs = Content("")
    if scores and needed:
        needs = needs_line((scores[n] for n in needed), unmet_only=True).stylize("italic")
    if scored.id == voting_on:
        agreed = "voting"
    else:
        agreed = "unrated" if scored.agreed is None else f"{scored.agreed}"
    if model is not None and model.mode == "score":
        dimension = scored.indicator.dimension
        labels = [d.label for d in model.dimensions if d.id == dimension]
        where = literal_content(f"{labels[0]} ", one_line=True) if labels else Content("")
        if scored.agreed is not None and scored.id != voting_on:
            agreed += f" of {objective.target}"
        return where + Content.assemble((f"{agreed} ", "bold"), needs) + text
    return Content.assemble((f"L{scored.level} {agreed}→{objective.target} ", "bold"), needs) + text


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
                yield Static(id="mode-panel")
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
            main, detail = headline_parts(model, score)
            headline = Content.styled(main, "bold")
            mark = f"{detail}\n{mark}"
            self.query_one("#ladder", Static).update("")
        else:
            level = model.level(score.level)
            headline = Content.styled(f"Level {level.number}", "bold")
            if level.named:  # not "Level 1 Level 1" for an imported model's levels
                headline += Content(" ") + literal_content(level.title, one_line=True)
            self.query_one("#ladder", Static).update(ladder(model, score.standing))
        self.query_one("#placed", Static).update(
            headline + Content("\n") + Content.styled(mark, "dim")
        )
        # No overall level (score, board, dimension levels only): no ladder, no progress.
        self.query_one("#ladder", Static).display = score.standing is not None
        bar = self.query_one("#progress", ProgressBar)
        label = self.query_one("#progress-label", Static)
        label.display = score.standing is not None
        if score.next_level is None or score.progress is None:
            label.update("Top level reached.")
            bar.display = False
        else:
            label.update(f"Progress to level {score.next_level}: {score.progress:.0%}")
            bar.display = True
            bar.update(progress=round(score.progress * 100))
        grid = self.query_one(DimensionGrid)
        grid.display = score.mode == "staged"
        grid.show(score, model)
        panel = self.query_one("#mode-panel", Static)
        panel.display = score.mode != "staged"
        panel.update(mode_panel(score, model, voting_on))
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
            # A line of its own: at 80 columns its number wrapped onto the next line alone.
            + Content("".join(f"\nvoting on {s.position + 1}" for s in voting))
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
            Option(objective_prompt(o, voting_on, scores, self.workshop.session.model), id=str(n))
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
