"""A team's sessions side by side: levels, indicator ratings with their moves, KPIs, actions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, TabbedContent, TabPane

from maturity_tui.compare import (
    Column,
    Comparison,
    IndicatorTrend,
    arrows,
    compare_sessions,
    movers,
)
from maturity_tui.domain import Color, Session
from maturity_tui.domain.session import ACTION_STATUSES
from maturity_tui.export import scale_change_note, signed
from maturity_tui.history import team_history
from maturity_tui.scoring import BoardCounts
from maturity_tui.standing import COLOR_LETTERS, TREND_ARROWS, score_text
from maturity_tui.tui.text import literal_content, literal_text
from maturity_tui.tui.widgets.session_bar import SessionBar
from maturity_tui.tui.widgets.sparkline_row import SparklineRow
from maturity_tui.tui.workers import run_in_thread

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp

MOVERS_SHOWN = 5
ABSENT = "—"
CARD_STYLES = {"red": "text-error", "amber": "text-warning", "green": "text-success"}
"""The theme's text colour for each card colour; the letter beside it reads without colour."""


def rating_cells(trend: IndicatorTrend, *, moves: bool = True) -> list[str]:
    """Each session's agreed rating with its move since the last known one; absent is "—".
    No moves across a change of scale: a 3 on 0..3 then a 4 on 1..5 is no rise."""
    marks = arrows(trend.ratings) if moves else [""] * len(trend.ratings)
    cells = []
    for rating, applicable, arrow in zip(trend.ratings, trend.applicable, marks, strict=True):
        if applicable is False:
            cells.append("n/a")
        else:
            cells.append(ABSENT if rating is None else f"{rating} {arrow}".rstrip())
    return cells


def card_cells(trend: IndicatorTrend) -> list[tuple[str, Color | None]]:
    """A board card per session: its colour letter and agreed trend arrow (`R ↓`), with the
    colour to paint it; "·" unrated, "n/a" not applicable, "—" absent."""
    cells: list[tuple[str, Color | None]] = []
    for color, trend_vote, applicable in zip(
        trend.colors, trend.trends, trend.applicable, strict=True
    ):
        if applicable is None:
            cells.append((ABSENT, None))
        elif not applicable:
            cells.append(("n/a", None))
        elif color is None:
            cells.append(("·", None))
        else:
            arrow = TREND_ARROWS[trend_vote] if trend_vote else ""
            cells.append((f"{COLOR_LETTERS[color]} {arrow}".rstrip(), color))
    return cells


def score_cells(scores: Sequence[float | None]) -> list[str]:
    """Scores to two decimals, each with its move since the last known one."""
    return [
        ABSENT if score is None else f"{score_text(score)} {arrow}".rstrip()
        for score, arrow in zip(scores, arrows(scores), strict=True)
    ]


def board_text(board: BoardCounts | None) -> str:
    """A board's counts: `1 red · 2 amber · 7 green`, and the unrated cards when any."""
    if board is None:
        return ABSENT
    counts = f"{board.red} red · {board.amber} amber · {board.green} green"
    return counts + (f" · {board.unrated} unrated" if board.unrated else "")


def score_change(change: float | None) -> str:
    """A change of score to two decimals with its sign: +0.25, -0.10, 0.00."""
    if change is None:
        return ABSENT
    shown = f"{change:+.2f}"
    return shown[1:] if float(shown) == 0 else shown


class CompareScreen(Screen[None]):
    """Sessions oldest first; every number comes from `compare.compare_sessions`.

    What it shows follows the models compared: levels (staged), scores per dimension and
    overall (score models), each card's colour and trend (boards); a comparison across
    modes shows each where its sessions have it."""

    BINDINGS = [
        Binding("e", "export", "Export", id="compare.export", tooltip="Write the comparison"),
        Binding("escape", "close", "Back", id="compare.close"),
    ]

    app: MaturityApp

    def __init__(self, sessions: Sequence[Session], sessions_dir: Path) -> None:
        super().__init__()
        self.comparison: Comparison = compare_sessions(sessions)
        self.sessions_dir = sessions_dir
        self.modes = {column.score.mode for column in self.comparison.columns}

    def compose(self) -> ComposeResult:
        if self.app.workshop is not None:  # opened from results: the workshop is still live
            yield SessionBar(self.app.workshop.session)
        columns = self.comparison.columns
        teams = ", ".join(self.comparison.teams)
        yield Label(
            literal_content(f"Compare · {teams} · {len(columns)} sessions", one_line=True),
            classes="screen-title",
        )
        note = scale_change_note(self.comparison)
        if note:
            yield Label(literal_content(note, one_line=True), id="scale-changed")
        with TabbedContent(id="compare-tabs"):
            with TabPane("Overview", id="overview"), VerticalScroll():
                yield self._sessions_table()
                if "score" in self.modes:
                    yield Label("Scores", classes="section-title")
                    yield self._scores_table()
                yield from self._movers()
            with TabPane("Cards" if self.modes == {"board"} else "Indicators", id="indicators"):
                yield self._indicators_table()
            with TabPane("KPIs", id="kpis"), VerticalScroll(id="kpi-rows"):
                for trend in self.comparison.readings:
                    yield SparklineRow(trend)
                if not self.comparison.readings:
                    yield Label("No KPI readings in these sessions.", classes="empty")
        yield Footer(compact=True)

    def _sessions_table(self) -> DataTable[Text | str]:
        """One row per session: where it stood (level, score or board) and its actions."""
        columns = self.comparison.columns
        table: DataTable[Text | str] = DataTable(id="compare-sessions", cursor_type="row")
        table.add_columns("Period", "Session")
        standings: list[list[Text | str]] = [[] for _ in columns]
        if "staged" in self.modes:
            table.add_columns("Level", "Progress")
            levels = arrows([column.score.level for column in columns])
            for cells, column, arrow in zip(standings, columns, levels, strict=True):
                cells += self._level_cells(column, arrow)
        if "score" in self.modes:
            table.add_column("Score")
            scores = score_cells([column.score.score for column in columns])
            for cells, column, score in zip(standings, columns, scores, strict=True):
                cells.append(score if column.score.mode == "score" else ABSENT)
        if "board" in self.modes:
            table.add_column("Board")
            for cells, column in zip(standings, columns, strict=True):
                cells.append(board_text(column.score.board))
        table.add_columns(*ACTION_STATUSES)
        for column, cells in zip(columns, standings, strict=True):
            table.add_row(
                literal_text(column.period),
                Text(column.id),
                *cells,
                *(str(column.actions[status]) for status in ACTION_STATUSES),
                key=column.id,
            )
        return table

    @staticmethod
    def _level_cells(column: Column, arrow: str) -> list[Text | str]:
        """Level and progress; a staged model without an overall level shows its dimensions'."""
        score = column.score
        if score.mode != "staged":
            return [ABSENT, ABSENT]
        if score.level is None:
            return [literal_text(score.text), ABSENT]
        progress = score.progress
        return [
            literal_text(f"{score.level} {column.level_name} {arrow}".rstrip()),
            "top" if progress is None else f"{progress:.0%}",
        ]

    def _scores_table(self) -> DataTable[Text | str]:
        """Score models: the overall score and each dimension's, over the sessions."""
        comparison = self.comparison
        table: DataTable[Text | str] = DataTable(id="compare-scores", cursor_type="row")
        table.add_column("Score", key="score")
        for column in comparison.columns:
            table.add_column(literal_text(column.period), key=column.id)
        table.add_column("Δ", key="delta")
        overall = [column.score.score for column in comparison.columns]
        table.add_row(
            "Overall", *score_cells(overall), score_change(comparison.score_delta), key="overall"
        )
        for dimension in comparison.dimensions:
            if any(score is not None for score in dimension.scores):
                table.add_row(
                    literal_text(dimension.name),
                    *score_cells(dimension.scores),
                    score_change(dimension.score_delta),
                    key=dimension.id,
                )
        return table

    def _movers(self) -> ComposeResult:
        risers, fallers = movers(self.comparison.indicators, MOVERS_SHOWN)
        for title, trends, list_id in (
            ("Rose most", risers, "risers"),
            ("Fell most", fallers, "fallers"),
        ):
            yield Label(title, classes="section-title")
            if not trends:
                yield Label("nothing", classes=f"mover empty {list_id}")
            for trend in trends:
                line = f"{signed(trend.delta, ABSENT)}  {trend.indicator.statement}"
                yield Label(literal_content(line, one_line=True), classes=f"mover {list_id}")

    def _indicators_table(self) -> DataTable[Text | str]:
        """Each indicator's agreed rating over the sessions; on a board, each card's colour."""
        board = self.modes == {"board"}
        table: DataTable[Text | str] = DataTable(id="indicator-table", zebra_stripes=True)
        table.add_column("Card" if board else "Indicator", key="indicator")
        if not board:
            table.add_column("L", key="level")
        for column in self.comparison.columns:
            table.add_column(literal_text(column.period), key=column.id)
        table.add_column("Δ", key="delta")
        for trend in self.comparison.indicators:
            level = trend.indicator.level
            table.add_row(
                Text(trend.id),
                *([] if board else [ABSENT if level is None else str(level)]),
                *(self._card_texts(trend) if board else self._rating_texts(trend)),
                signed(trend.delta, ABSENT),
                key=trend.id,
            )
        return table

    def _rating_texts(self, trend: IndicatorTrend) -> list[Text | str]:
        return list(rating_cells(trend, moves=not self.comparison.scale_changed))

    def _card_texts(self, trend: IndicatorTrend) -> list[Text | str]:
        theme = self.app.get_css_variables()
        return [
            Text(text, style=f"bold {theme[CARD_STYLES[color]]}") if color else text
            for text, color in card_cells(trend)
        ]

    def action_export(self) -> None:
        from maturity_tui.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog.for_comparison(self.comparison, self.sessions_dir))

    def action_close(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Export the comparison", "Markdown, CSV or JSON", self.action_export)


def compare_with_history(app: App[Any], session: Session, folder: Path) -> None:
    """Compare a session being run with its team's other sessions on disk (read off the UI
    thread); the one being run counts as it is now, not as last saved."""

    def show(sessions: list[Session]) -> None:
        app.push_screen(CompareScreen(sessions, folder))

    def load() -> None:
        from maturity_tui.library_index import team_sessions

        others = [s for s in team_sessions(folder, session.team) if s.id != session.id]
        app.call_from_thread(show, team_history([*others, session], session.team))

    run_in_thread(app, load, name="Reading the team's sessions", exclusive=False)
