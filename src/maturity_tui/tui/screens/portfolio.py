"""Every team of the sessions folder side by side: a grid of teams by dimensions per model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from maturity_tui.charts import fraction_of, shade
from maturity_tui.domain import Session
from maturity_tui.export import portfolio_notes, portfolio_title, trend_text
from maturity_tui.portfolio import ModelGroup, Portfolio, TeamStanding, build_portfolio
from maturity_tui.storage import load_entry
from maturity_tui.tui.text import literal_content, literal_text
from maturity_tui.tui.workers import run_in_thread

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp

ABSENT = "—"


def level_cell(level: float | None, top_level: int) -> Text:
    """The level (or a score model's score) on the HTML pages' colour scale, its number
    always written in it."""
    colour = shade(fraction_of(level, 1, top_level))
    if level is None or colour is None:
        return Text(ABSENT, justify="center")
    shown = f"{level:.2f}" if isinstance(level, float) else str(level)
    return Text(f" {shown} ", style=f"bold {colour.ink} on {colour.fill}", justify="center")


class PortfolioScreen(Screen[None]):
    """Read off the UI thread; `enter` on a team opens its comparison."""

    BINDINGS = [
        Binding("enter", "compare", "Compare", id="portfolio.compare", show=True),
        Binding("x", "export", "Export", id="portfolio.export", tooltip="Write the portfolio"),
        Binding("escape", "close", "Back", id="portfolio.close"),
    ]

    app: MaturityApp

    def __init__(self) -> None:
        super().__init__()
        self.portfolio: Portfolio | None = None
        self.teams: dict[str, TeamStanding] = {}

    def compose(self) -> ComposeResult:
        yield Label("Portfolio · every team", id="portfolio-title", classes="screen-title")
        yield VerticalScroll(id="portfolio-groups")
        yield Static("Reading the sessions folder …", id="portfolio-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        folder = self.app.sessions_dir
        run_in_thread(
            self.app,
            lambda: self.app.call_from_thread(self._show, build_portfolio(folder)),
            name="Reading the portfolio",
        )

    def _show(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        self.query_one("#portfolio-title", Label).update(
            literal_content(portfolio_title(portfolio), one_line=True)
        )
        groups = self.query_one("#portfolio-groups", VerticalScroll)
        for group in portfolio.groups:
            title = f"{group.name} ({group.model_id} {group.version})"
            groups.mount(Label(literal_content(title, one_line=True), classes="section-title"))
            groups.mount(self._grid(group))
        notes = portfolio_notes(portfolio)
        status = self.query_one("#portfolio-status", Static)
        status.update(
            literal_content("\n".join(notes))
            if notes
            else "enter: compare the team's sessions · x: export (HTML, Markdown, CSV, JSON)"
        )
        status.set_class(bool(notes), "-warning")
        if not portfolio.groups:
            groups.mount(Label("No sessions in this folder yet.", classes="empty"))
        else:
            self.query(DataTable).first().focus()

    def _grid(self, group: ModelGroup) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(cursor_type="row", classes="portfolio-grid")
        table.add_column("Team", key="team")
        table.add_column("Period", key="period")
        table.add_column("Level", key="level")
        for key, name in group.dimensions:
            table.add_column(literal_text(name[:14]), key=f"dimension-{key}")
        table.add_column("Trend", key="trend")
        table.add_column("Open", key="open")
        for team in group.teams:
            row_key = f"{group.model_id}\t{team.team}"
            self.teams[row_key] = team
            levels = team.dimension_levels
            table.add_row(
                literal_text(team.team),
                literal_text(team.session.period),
                level_cell(team.level, group.top_level),
                *(level_cell(levels.get(key), group.top_level) for key, _ in group.dimensions),
                Text(trend_text(team)),
                Text(str(team.open_actions), justify="right"),
                key=row_key,
            )
        table.styles.height = len(group.teams) + 2
        return table

    def _selected_team(self) -> TeamStanding | None:
        table = self.focused
        if not isinstance(table, DataTable) or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        return self.teams.get(key)

    @on(DataTable.RowSelected)
    def action_compare(self) -> None:
        team = self._selected_team()
        if team is None:
            return
        paths = [point.path for point in team.history]
        run_in_thread(
            self.app,
            lambda: self.app.call_from_thread(self._open_compare, self._read(paths)),
            name="Reading the team's sessions",
        )

    @staticmethod
    def _read(paths: list[Path]) -> list[Session]:
        entries = (load_entry(path) for path in paths)
        return [entry.session for entry in entries if entry.session is not None]

    def _open_compare(self, sessions: list[Session]) -> None:
        from maturity_tui.tui.screens.compare import CompareScreen

        if sessions:
            self.app.push_screen(CompareScreen(sessions, self.app.sessions_dir))

    def action_export(self) -> None:
        from maturity_tui.tui.screens.export_dialog import ExportDialog

        if self.portfolio is not None:
            folder = self.app.sessions_dir
            self.app.push_screen(ExportDialog.for_portfolio(self.portfolio, folder))

    def action_close(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand(
            "Export the portfolio", "HTML, Markdown, CSV or JSON", self.action_export
        )
