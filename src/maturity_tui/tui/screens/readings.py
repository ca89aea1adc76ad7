"""The KPI readings screen: this period's value and a note for each metric of the model."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from maturity_tui.domain import Metric, Session
from maturity_tui.readings import ReadingError, reading_value
from maturity_tui.tui.screens.workshop_screen import WorkshopScreen
from maturity_tui.tui.text import as_typed, clean, literal_content
from maturity_tui.tui.widgets.session_bar import SessionBar


def metric_details(metric: Metric) -> str:
    """Range, unit and target on one short line: "0..100 % · target ≥ 80", or "text"."""
    if metric.kind == "qualitative":
        return "text"
    parts = []
    if metric.min is not None or metric.max is not None:
        low = "" if metric.min is None else str(metric.min)
        high = "" if metric.max is None else str(metric.max)
        parts.append(f"{low}..{high}")
    if metric.unit:
        parts.append(metric.unit)
    better = "≥" if metric.better == "higher" else "≤"
    if metric.target is not None:
        parts.append(f"· target {better} {metric.target}")
    else:
        parts.append(f"· {metric.better} is better")
    return " ".join(parts)


class MetricRow(Vertical):
    """One metric: what it is, the value entered, an optional note and what is wrong, if any."""

    def __init__(self, metric: Metric, value: str, note: str) -> None:
        super().__init__(id=f"metric-{metric.id}", classes="metric-row")
        self.metric = metric
        self._value = value
        self._note = note

    def compose(self) -> ComposeResult:
        with Horizontal(classes="metric-line"):
            with Vertical(classes="metric-name"):
                yield Label(literal_content(self.metric.name, one_line=True), classes="name")
                yield Label(literal_content(metric_details(self.metric)), classes="details")
            placeholder = "text" if self.metric.kind == "qualitative" else "number"
            value, note = clean(self._value, one_line=True), clean(self._note, one_line=True)
            yield Input(value, placeholder=placeholder, compact=True, classes="value")
            yield Input(note, placeholder="note (optional)", compact=True, classes="note")
        yield Static("", classes="problem")

    @property
    def value_text(self) -> str:
        return as_typed(self.query_one(".value", Input).value, self._value, one_line=True)

    @property
    def note_text(self) -> str:
        return as_typed(self.query_one(".note", Input).value, self._note, one_line=True)

    def problem(self) -> str | None:
        """What is wrong with the entry as it stands, or None when it can be saved."""
        text = self.value_text
        if not text.strip():
            return "a note needs a value" if self.note_text.strip() else None
        try:
            reading_value(self.metric, text)
        except ReadingError as error:
            return str(error)
        return None

    def show_problem(self) -> str | None:
        problem = self.problem()
        self.set_class(problem is not None, "-invalid")
        self.query_one(".problem", Static).update(literal_content(problem or ""))
        return problem


class ReadingsScreen(WorkshopScreen):
    """Enter this period's KPI readings; every accepted entry goes to the workshop (and so to
    the autosave).

    Entries are checked as they are typed; a value is stored when its row is left (enter,
    tab, or closing the screen), so a half-typed number is never saved.
    """

    BINDINGS = [
        Binding("escape", "close", "Back", id="readings.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._warned = False

    @property
    def session(self) -> Session:
        return self.workshop.session

    def compose(self) -> ComposeResult:
        yield SessionBar(self.session)
        title = f"KPI readings · {self.session.team} · {self.session.period}"
        yield Label(
            literal_content(title, one_line=True), id="readings-title", classes="screen-title"
        )
        yield Label(
            "enter or tab stores an entry · an empty value clears the reading", id="readings-hint"
        )
        with VerticalScroll(id="readings"):
            for metric in self.session.model.metrics:
                reading = self.session.reading(metric.id)
                value = "" if reading is None else str(reading.value)
                note = "" if reading is None or reading.note is None else reading.note
                yield MetricRow(metric, value, note)
            if not self.session.model.metrics:
                yield Label("This session's model has no metrics.", id="no-metrics")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        first = self.query(".value").first(Input) if self.session.model.metrics else None
        if first is not None:
            first.focus()

    def rows(self) -> list[MetricRow]:
        return list(self.query(MetricRow))

    @on(Input.Changed)
    def _check(self, event: Input.Changed) -> None:
        self._warned = False
        self._row_of(event.input).show_problem()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if self.commit(self._row_of(event.input)):
            self.focus_next()

    @on(Input.Blurred)
    def _blurred(self, event: Input.Blurred) -> None:
        row = self._row_of(event.input)
        if not row.has_focus_within:
            self.commit(row)

    @staticmethod
    def _row_of(widget: Input) -> MetricRow:
        row = next(a for a in widget.ancestors if isinstance(a, MetricRow))
        return row

    def commit(self, row: MetricRow) -> bool:
        """Store the row's entry when it is valid and differs from what is stored."""
        if row.show_problem() is not None:
            return False
        reading = self.session.reading(row.metric.id)
        stored = ("", "") if reading is None else (str(reading.value), reading.note or "")
        if (row.value_text, row.note_text) != stored:
            self.workshop.set_reading(row.metric.id, row.value_text, row.note_text)
        return True

    def action_close(self) -> None:
        """Leave, storing what is valid; a first escape stops at an invalid entry to say so."""
        invalid = [row for row in self.rows() if not self.commit(row)]
        if invalid and not self._warned:
            self._warned = True
            invalid[0].query_one(".value", Input).focus()
            self.notify(
                "Not saved: fix the entry, or press escape again to leave it unchanged.",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss()
