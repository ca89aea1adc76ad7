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
    Comparison,
    IndicatorTrend,
    arrows,
    compare_sessions,
    movers,
)
from maturity_tui.domain import Session
from maturity_tui.domain.session import ACTION_STATUSES
from maturity_tui.export import scale_change_note, signed
from maturity_tui.history import team_history
from maturity_tui.tui.text import literal_content, literal_text
from maturity_tui.tui.widgets.session_bar import SessionBar
from maturity_tui.tui.widgets.sparkline_row import SparklineRow
from maturity_tui.tui.workers import run_in_thread

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp

MOVERS_SHOWN = 5
ABSENT = "—"


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


class CompareScreen(Screen[None]):
    """Sessions oldest first; every number comes from `compare.compare_sessions`."""

    BINDINGS = [
        Binding("e", "export", "Export", id="compare.export", tooltip="Write the comparison"),
        Binding("escape", "close", "Back", id="compare.close"),
    ]

    app: MaturityApp

    def __init__(self, sessions: Sequence[Session], sessions_dir: Path) -> None:
        super().__init__()
        self.comparison: Comparison = compare_sessions(sessions)
        self.sessions_dir = sessions_dir

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
                yield from self._movers()
            with TabPane("Indicators", id="indicators"):
                yield self._indicators_table()
            with TabPane("KPIs", id="kpis"), VerticalScroll(id="kpi-rows"):
                for trend in self.comparison.readings:
                    yield SparklineRow(trend)
                if not self.comparison.readings:
                    yield Label("No KPI readings in these sessions.", classes="empty")
        yield Footer(compact=True)

    def _sessions_table(self) -> DataTable[Text | str]:
        table: DataTable[Text | str] = DataTable(id="compare-sessions", cursor_type="row")
        table.add_columns("Period", "Session", "Level", "Progress", *ACTION_STATUSES)
        levels = [column.score.level for column in self.comparison.columns]
        for column, arrow in zip(self.comparison.columns, arrows(levels), strict=True):
            progress = column.score.progress
            table.add_row(
                literal_text(column.session.period),
                Text(column.session.id),
                literal_text(f"{column.score.level} {column.level_name} {arrow}".rstrip()),
                "top" if progress is None else f"{progress:.0%}",
                *(str(column.actions[status]) for status in ACTION_STATUSES),
                key=column.session.id,
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
        table: DataTable[Text | str] = DataTable(id="indicator-table", zebra_stripes=True)
        table.add_column("Indicator", key="indicator")
        table.add_column("L", key="level")
        for column in self.comparison.columns:
            table.add_column(literal_text(column.session.period), key=column.session.id)
        table.add_column("Δ", key="delta")
        for trend in self.comparison.indicators:
            table.add_row(
                Text(trend.id),
                str(trend.indicator.level),
                *rating_cells(trend, moves=not self.comparison.scale_changed),
                signed(trend.delta, ABSENT),
                key=trend.id,
            )
        return table

    def action_export(self) -> None:
        from maturity_tui.tui.screens.export_dialog import ExportDialog

        sessions = [column.session for column in self.comparison.columns]
        self.app.push_screen(ExportDialog.for_comparison(sessions, self.sessions_dir))

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
