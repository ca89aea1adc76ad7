"""One KPI across sessions: its name, the value per session, a sparkline and the direction."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, Sparkline

from maturity_tui.compare import Direction, ReadingTrend, direction
from maturity_tui.tui.text import literal_content

DIRECTION_LABELS: dict[Direction, str] = {
    "better": "↑ better",
    "worse": "↓ worse",
    "steady": "→ steady",
}


def value_text(value: object) -> str:
    return "—" if value is None else str(value)


class SparklineRow(Horizontal):
    """A reading trend; qualitative metrics show their newest text instead of a sparkline."""

    def __init__(self, trend: ReadingTrend) -> None:
        super().__init__(id=f"kpi-{trend.id}", classes="kpi-row")
        self.trend = trend

    def compose(self) -> ComposeResult:
        metric = self.trend.metric
        unit = f" ({metric.unit})" if metric.unit else ""
        yield Label(literal_content(metric.name + unit, one_line=True), classes="kpi-name")
        if metric.kind == "qualitative":
            newest = next((v for v in reversed(self.trend.values) if v is not None), None)
            yield Label(literal_content(value_text(newest), one_line=True), classes="kpi-text")
            return
        values = " · ".join(value_text(v) for v in self.trend.values)
        yield Label(values, classes="kpi-values", markup=False)
        numbers = [float(v) for v in self.trend.values if isinstance(v, int | float)]
        yield Sparkline(numbers, classes="kpi-sparkline")
        moved = direction(self.trend.delta, metric.better)
        yield Label(
            DIRECTION_LABELS[moved] if moved else "—",
            classes=f"kpi-direction -{moved or 'unknown'}",
            markup=False,
        )
