"""Every output the command line and the app can write, declared once: the registry.

A format (`markdown`) is a name, a label and a file suffix; a subject (`report`) is what is
rendered, from one kind of data; an output is one subject in one format, with its renderer.
The command line's `--format` choices, the export dialog and the README's table all read
`OUTPUTS`, so a new format is one `Format` and its `Output` rows here (plus the renderer).

Standard library only, and renderers are named rather than imported: the command line builds
its parser from this module on every start, and must not pay for pydantic to print --help.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

if TYPE_CHECKING:
    from maturity_tui.compare import Comparison
    from maturity_tui.domain import Session
    from maturity_tui.portfolio import Portfolio

Data = TypeVar("Data")


UTF8_BOM = "\ufeff"
"""What `--bom` and the export dialog's option put first: Excel on Windows reads a CSV as
UTF-8 only after it."""


@dataclass(frozen=True, slots=True)
class Format:
    """How an output is written: `--format NAME`, its label in the app, its file suffix."""

    name: str
    label: str
    suffix: str

    @property
    def takes_bom(self) -> bool:
        """CSV, for spreadsheets: the one kind of file a byte-order mark may start."""
        return self.suffix == ".csv"


def with_bom(text: str) -> str:
    return UTF8_BOM + text


@dataclass(frozen=True, slots=True)
class Subject(Generic[Data]):
    """What an output shows, rendered from one kind of data (a session, a comparison…)."""

    name: str
    """In default file names (`apollo-2026-q4-actions.csv`)."""
    command: str
    """The subcommand that writes it."""
    label: str
    """In the export dialog: `Action list · CSV`."""
    default: str
    """The format the command writes without --format."""


@dataclass(frozen=True, slots=True)
class Output(Generic[Data]):
    """One subject in one format. `renderer` is `module:function`, imported on first use."""

    subject: Subject[Data]
    format: Format
    renderer: str
    in_app: bool = True
    """Offered by the export dialog (text is for the terminal, not for a file to send)."""

    @property
    def label(self) -> str:
        return f"{self.subject.label} · {self.format.label}"

    def filename(self, stem: str) -> str:
        """The default file name: `stem-subject.suffix`, and `stem-subject-tracker.csv` for a
        variant (`csv-tracker`), so that two formats never default to one file."""
        variant = self.format.name.partition("-")[2]
        return f"{stem}-{self.subject.name}{'-' + variant if variant else ''}{self.format.suffix}"

    def render(self, data: Data) -> str:
        module, _, function = self.renderer.partition(":")
        renderer = getattr(importlib.import_module(module), function)
        return cast(Callable[[Data], str], renderer)(data)


TEXT = Format("text", "Text", ".txt")
MARKDOWN = Format("markdown", "Markdown", ".md")
CSV = Format("csv", "CSV", ".csv")
JSON = Format("json", "JSON", ".json")
HTML = Format("html", "HTML", ".html")
TRACKER_CSV = Format("csv-tracker", "CSV for issue trackers", ".csv")
LONG_CSV = Format("csv-long", "CSV, long (one value a row)", ".csv")

REPORT: Subject[Session] = Subject("report", "report", "Session report", default="text")
ACTIONS: Subject[Session] = Subject("actions", "export", "Action list", default="markdown")
COMPARE: Subject[Comparison] = Subject("compare", "compare", "Comparison", default="text")
PORTFOLIO: Subject[Portfolio] = Subject("portfolio", "portfolio", "Portfolio", default="text")

_EXPORT = "maturity_tui.export"
_HTML = "maturity_tui.html_report"

OUTPUTS: tuple[Output[Any], ...] = (
    # Per subject in the order the export dialog and --help list them. CSV leads the action
    # list: it is what most facilitators take to a spreadsheet or a tracker.
    Output(REPORT, TEXT, f"{_EXPORT}:report_text", in_app=False),
    Output(REPORT, MARKDOWN, f"{_EXPORT}:report_markdown"),
    Output(REPORT, JSON, f"{_EXPORT}:report_json", in_app=False),
    Output(REPORT, HTML, f"{_HTML}:render_report"),
    Output(ACTIONS, CSV, f"{_EXPORT}:actions_csv"),
    Output(ACTIONS, MARKDOWN, f"{_EXPORT}:actions_markdown"),
    Output(ACTIONS, JSON, f"{_EXPORT}:actions_json"),
    Output(ACTIONS, TRACKER_CSV, f"{_EXPORT}:actions_tracker_csv"),
    Output(COMPARE, TEXT, f"{_EXPORT}:compare_text", in_app=False),
    Output(COMPARE, MARKDOWN, f"{_EXPORT}:compare_markdown"),
    Output(COMPARE, CSV, f"{_EXPORT}:compare_csv"),
    Output(COMPARE, JSON, f"{_EXPORT}:compare_json"),
    Output(COMPARE, HTML, f"{_HTML}:render_compare"),
    Output(COMPARE, LONG_CSV, f"{_EXPORT}:compare_long_csv"),
    Output(PORTFOLIO, TEXT, f"{_EXPORT}:portfolio_text", in_app=False),
    Output(PORTFOLIO, MARKDOWN, f"{_EXPORT}:portfolio_markdown"),
    Output(PORTFOLIO, CSV, f"{_EXPORT}:portfolio_csv"),
    Output(PORTFOLIO, JSON, f"{_EXPORT}:portfolio_json"),
    Output(PORTFOLIO, HTML, f"{_HTML}:render_portfolio"),
)


def outputs_of(subject: Subject[Data]) -> list[Output[Data]]:
    return [output for output in OUTPUTS if output.subject == subject]


def format_names(subject: Subject[Any]) -> list[str]:
    """The `--format` choices of the subject's command."""
    return [output.format.name for output in outputs_of(subject)]


def output(subject: Subject[Data], format_name: str) -> Output[Data]:
    for candidate in outputs_of(subject):
        if candidate.format.name == format_name:
            return candidate
    raise LookupError(f"{subject.command} has no --format {format_name}")


def render(subject: Subject[Data], format_name: str, data: Data) -> str:
    return output(subject, format_name).render(data)
