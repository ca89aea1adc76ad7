"""The export dialog: pick what to write and where; the text is exactly the command line's."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from maturity_tui.compare import Comparison
from maturity_tui.domain import Session
from maturity_tui.outputs import (
    ACTIONS,
    COMPARE,
    HTML,
    PORTFOLIO,
    REPORT,
    Subject,
    outputs_of,
    with_bom,
)
from maturity_tui.portfolio import Portfolio
from maturity_tui.storage import atomic_write, slugify
from maturity_tui.tui.text import literal_content
from maturity_tui.tui.workers import run_in_thread

EXPORTS_DIR = "exports"
REFUSED_SUFFIXES = (".toml",)
"""Session and model files: an export never replaces one."""

Data = TypeVar("Data")


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """One thing the dialog can write: its label, default file name and renderer."""

    label: str
    filename: str
    render: Callable[[], str]
    opens: bool = False
    """A page to read in a browser (HTML): the dialog offers to open it once written."""
    takes_bom: bool = False
    """A CSV file: the dialog offers to start it with a byte-order mark (the CLI's --bom)."""


def _choices(subject: Subject[Data], data: Data, stem: str) -> list[ExportChoice]:
    """The subject's outputs the app offers, each bound to the data it renders."""
    return [
        ExportChoice(
            output.label,
            output.filename(stem),
            partial(output.render, data),
            opens=output.format == HTML,
            takes_bom=output.format.takes_bom,
        )
        for output in outputs_of(subject)
        if output.in_app
    ]


class Written(Message):
    """From the write worker: where the file went, or why it did not."""

    def __init__(self, path: Path, error: str | None, opened: bool | None = None) -> None:
        super().__init__()
        self.path = path
        self.error = error
        self.opened = opened
        """Whether a browser took the file; None when it was not asked to."""


def target_problem(path: Path) -> str | None:
    """Why a path cannot take an export, or None."""
    if not path.name:
        return "type a file name"
    if path.suffix.lower() in REFUSED_SUFFIXES:
        return f"{path.name}: exports never write .toml files (they could be sessions or models)"
    if path.is_dir():
        return f"{path} is a folder: add a file name"
    return None


class FormatList(RadioSet):
    """The formats: space picks the highlighted one, enter picks it and writes."""

    BINDINGS = [Binding("enter", "pick_and_write", "Write", show=False)]

    class Write(Message):
        """Enter on the list: write the format at `index`."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_pick_and_write(self) -> None:
        self.action_toggle_button()
        if self._selected is not None:
            self.post_message(self.Write(self._selected))


class ExportDialog(ModalScreen[Path | None]):
    """Returns the path written, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "write", "Write", id="export.write"),
    ]

    def __init__(self, title: str, choices: Sequence[ExportChoice], folder: Path) -> None:
        super().__init__()
        self.heading = title
        self.choices = list(choices)
        self.folder = folder
        self.choice = self.choices[0]

    @classmethod
    def for_session(cls, session: Session, sessions_dir: Path) -> ExportDialog:
        choices = [
            *_choices(ACTIONS, session, session.id),
            *_choices(REPORT, session, session.id),
        ]
        title = f"Export · {session.team} · {session.period}"
        return cls(title, choices, sessions_dir / EXPORTS_DIR)

    @classmethod
    def for_comparison(cls, comparison: Comparison, sessions_dir: Path) -> ExportDialog:
        choices = _choices(COMPARE, comparison, slugify(" ".join(comparison.teams)))
        title = f"Export · {', '.join(comparison.teams)} · comparison"
        return cls(title, choices, sessions_dir / EXPORTS_DIR)

    @classmethod
    def for_portfolio(cls, portfolio: Portfolio, sessions_dir: Path) -> ExportDialog:
        period = f" {portfolio.period}" if portfolio.period else ""
        choices = _choices(PORTFOLIO, portfolio, slugify(f"teams{period}"))
        return cls(f"Export · portfolio{period}", choices, sessions_dir / EXPORTS_DIR)

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Label(literal_content(self.heading, one_line=True), classes="screen-title")
            with FormatList(id="export-kind"):
                for n, choice in enumerate(self.choices):
                    yield RadioButton(choice.label, value=n == 0)
            # Not selected on focus: a space (meant to pick a format) would replace the path.
            yield Input(
                str(self.folder / self.choice.filename), id="export-path", select_on_focus=False
            )
            yield Checkbox("Open it in the browser once written", True, id="export-open")
            yield Checkbox(
                "Start with a byte-order mark (for Excel on Windows)", False, id="export-bom"
            )
            yield Label("enter or ctrl+s writes · space picks a format · escape cancels")
            yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Write", id="export-write", variant="primary")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        # Enter writes straight away: the usual case is the default format and place.
        self.query_one("#export-path", Input).focus()
        self._offer_options()

    def _offer_options(self) -> None:
        """The options that apply to the chosen format, and only those."""
        self.query_one("#export-open", Checkbox).display = self.choice.opens
        self.query_one("#export-bom", Checkbox).display = self.choice.takes_bom

    @on(RadioSet.Changed)
    def _choose(self, event: RadioSet.Changed) -> None:
        self._choose_format(event.index)

    @on(FormatList.Write)
    def _choose_and_write(self, event: FormatList.Write) -> None:
        self._choose_format(event.index)
        self.action_write()

    def _choose_format(self, index: int) -> None:
        self.choice = self.choices[index]
        path_input = self.query_one("#export-path", Input)
        # Keep the folder the user typed; only the file name follows the format.
        folder = Path(path_input.value).parent if path_input.value.strip() else self.folder
        path_input.value = str(folder / self.choice.filename)
        self._offer_options()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-write")
    def action_write(self) -> None:
        path = Path(self.query_one("#export-path", Input).value.strip()).expanduser().absolute()
        problem = target_problem(path)
        if problem is not None:
            self._status(problem, error=True)
            return
        self._status(f"writing {path} …", error=False)
        # Rendered here, not in the worker: with the room open a device's vote may change the
        # session at any moment, and only the UI thread changes it.
        text = self.choice.render()
        if self.choice.takes_bom and self.query_one("#export-bom", Checkbox).value:
            text = with_bom(text)
        opening = self.choice.opens and self.query_one("#export-open", Checkbox).value
        run_in_thread(self.app, lambda: self._write(path, text, opening), name="Export")

    def _write(self, path: Path, text: str, opening: bool) -> None:
        problem: str | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text)
        except OSError as error:
            problem = f"{path}: {error.strerror or error}"
        except ValueError as error:
            problem = str(error)
        # In the worker: finding and starting a browser can take a while.
        opened = webbrowser.open(path.as_uri()) if opening and problem is None else None
        self.post_message(Written(path, problem, opened))

    def on_written(self, message: Written) -> None:
        if message.error is not None:
            self._status(message.error, error=True)
            return
        opened = {None: "", True: " (opened in your browser)", False: " (no browser to open it)"}
        self.app.notify(
            f"Written: {message.path}{opened[message.opened]}", title="Export", markup=False
        )
        self.dismiss(message.path)

    def _status(self, text: str, *, error: bool) -> None:
        status = self.query_one("#export-status", Static)
        status.set_class(error, "-error")
        status.update(literal_content(text))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
