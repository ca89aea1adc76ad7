"""The screens for work across quarters, each in a small host app: readings, carry-over,
compare and export."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, RadioSet, Static
from tuikit import fixed_now, make_app, settle

import maturity_tui
from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session, new_session
from maturity_tui.history import carry_over, duplicate_for_next_period, team_history
from maturity_tui.launch import NewWorkshop, prepare
from maturity_tui.readings import set_reading
from maturity_tui.storage import load_session, save_session, session_path
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.carryover import CarryOverScreen, carry_over_and_review
from maturity_tui.tui.screens.compare import CompareScreen
from maturity_tui.tui.screens.export_dialog import ExportDialog
from maturity_tui.tui.screens.home import FILTER_DELAY
from maturity_tui.tui.screens.readings import MetricRow, ReadingsScreen
from maturity_tui.tui.screens.results import ResultsScreen
from maturity_tui.tui.screens.voting import VotingScreen
from maturity_tui.tui.widgets.library_table import LibraryTable
from maturity_tui.tui.widgets.sparkline_row import SparklineRow
from maturity_tui.workshop import Workshop

DEMO = Path(maturity_tui.__file__).parent / "demo"
NEXT_QUARTER = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
HOSTILE = "[/] [bold]loud[/bold] \x1b[31mred"


class Host(App[None]):
    """Pushes one screen and keeps what it was dismissed with."""

    CSS_PATH = [*MaturityApp.CSS_PATH, *MaturityApp.LATER_CSS]  # every screen's, up front
    workshop: Workshop | None = None

    def __init__(self, make: Callable[[], Screen[Any]] | None) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []

    def on_mount(self) -> None:
        if self.make is not None:
            self.push_screen(self.make(), self.results.append)


class WorkshopHost(Host):
    """A host over a workshop, as the app is: the screen takes it from `app.workshop`, the
    session bar shows `save_state`, and `saved` (when given) hears every change."""

    save_state: var[str] = var("saved 10:42:07")

    def __init__(
        self,
        make: Callable[[], Screen[Any]] | None,
        session: Session,
        saved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(make)
        self.workshop = Workshop(session, now=lambda: NEXT_QUARTER)
        if saved is not None:
            self.workshop.on_change.append(saved)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of Apollo's four quarters from the demo history: tests may write into it."""
    target = tmp_path / "sessions"
    target.mkdir()
    for path in DEMO.glob("apollo-*.toml"):
        shutil.copy(path, target)
    return target


def demo(folder: Path) -> list[Session]:
    return team_history((load_session(p) for p in folder.glob("*.toml")), "Apollo")


class Recorder:
    """The app's side of `on_change`: counts changes and saves each, as the autosave would."""

    def __init__(self, session: Session, path: Path) -> None:
        self.session, self.path, self.count = session, path, 0

    def __call__(self) -> None:
        self.count += 1
        save_session(self.session, self.path)

    def on_disk(self) -> Session:
        return load_session(self.path)


def recorder(folder: Path, session: Session) -> Recorder:
    return Recorder(session, session_path(folder, session.id))


async def no_blink(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def plain(widget: Label | Static) -> str:
    return str(widget.render())


# --- Readings --------------------------------------------------------------------------------


def row(pilot: Pilot[Any], metric: str) -> MetricRow:
    return pilot.app.screen.query_one(f"#metric-{metric}", MetricRow)


async def enter(pilot: Pilot[Any], metric: str, field: str, text: str) -> None:
    widget = row(pilot, metric).query_one(f".{field}", Input)
    widget.focus()
    widget.value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_readings_reject_a_bad_number_with_a_message(folder: Path) -> None:
    session = demo(folder)[-1]
    saved = recorder(folder, session)
    app = WorkshopHost(ReadingsScreen, session, saved)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for text, message in (
            ("lots", "Net Promoter Score: 'lots' is not a number"),
            ("150", "Net Promoter Score: 150 is not between -100 and 100"),
        ):
            await enter(pilot, "nps", "value", text)
            nps = row(pilot, "nps")
            assert nps.has_class("-invalid")
            assert plain(nps.query_one(".problem", Static)) == message
        assert saved.count == 0
        assert session.reading("nps").value == 31  # type: ignore[union-attr]
        await enter(pilot, "nps", "value", "35")
        assert not row(pilot, "nps").has_class("-invalid")
        assert saved.count == 1
        assert saved.on_disk().reading("nps").value == 35  # type: ignore[union-attr]


async def test_readings_keep_qualitative_text_literally_and_show_it_so(folder: Path) -> None:
    session = demo(folder)[-1]
    saved = recorder(folder, session)
    app = WorkshopHost(ReadingsScreen, session, saved)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await enter(pilot, "testimonials", "value", HOSTILE)
        await enter(pilot, "testimonials", "note", "[i]from Ana[/i]")
        await pilot.press("escape")
        await pilot.pause()
    reading = saved.on_disk().reading("testimonials")
    assert reading is not None and (reading.value, reading.note) == (HOSTILE, "[i]from Ana[/i]")
    assert app.results == [None]


async def test_readings_an_empty_value_clears_and_a_note_alone_is_refused(folder: Path) -> None:
    session = demo(folder)[-1]
    saved = recorder(folder, session)
    app = WorkshopHost(ReadingsScreen, session, saved)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await enter(pilot, "csat", "value", "")
        assert saved.on_disk().reading("csat") is None
        await enter(pilot, "retention", "value", "")
        await enter(pilot, "retention", "note", "no survey this time")
        assert plain(row(pilot, "retention").query_one(".problem", Static)) == (
            "a note needs a value"
        )


async def test_readings_escape_stops_once_at_an_invalid_entry(folder: Path) -> None:
    session = demo(folder)[-1]
    saved = recorder(folder, session)
    app = WorkshopHost(ReadingsScreen, session, saved)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        row(pilot, "csat").query_one(".value", Input).value = "101"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReadingsScreen) and app.results == []
        assert app.focused is row(pilot, "csat").query_one(".value", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
    assert saved.count == 0 and session.reading("csat").value == 79  # type: ignore[union-attr]


# --- Carried-over actions --------------------------------------------------------------------


def next_quarter(folder: Path) -> tuple[Session, Recorder]:
    fresh = duplicate_for_next_period(demo(folder)[-1], folder, NEXT_QUARTER)
    saved = recorder(folder, fresh)
    saved()
    return fresh, saved


async def test_carry_over_review_lands_each_choice_in_the_file(folder: Path) -> None:
    fresh, saved = next_quarter(folder)
    assert [a.carried_id for a in fresh.actions] == [3, 4]
    app = WorkshopHost(CarryOverScreen, fresh, saved)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("d", "x")
        assert [a.status for a in saved.on_disk().actions] == ["done", "dropped"]
        await pilot.press("up", "o")  # the cursor stayed on the last row
        assert [a.status for a in saved.on_disk().actions] == ["open", "dropped"]
        table = app.screen.query_one(DataTable)
        assert [str(c) for c in table.get_column("Status")] == ["open", "✗ dropped"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [None]


async def test_resuming_a_new_session_does_not_duplicate_carried_actions(folder: Path) -> None:
    _, saved = next_quarter(folder)
    resumed = saved.on_disk()
    previous = load_session(session_path(folder, "apollo-2026-q4"))
    assert carry_over(resumed, previous) == []
    app = WorkshopHost(CarryOverScreen, resumed, saved)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 2


async def test_carry_over_keys_typed_fast_all_land_before_enter_continues(folder: Path) -> None:
    fresh, saved = next_quarter(folder)
    app = WorkshopHost(CarryOverScreen, fresh, saved)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("d", "x", "enter"):  # typed at once: enter must not jump the queue
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        await pilot.pause()
        assert app.results == [None]
    assert [a.status for a in saved.on_disk().actions] == ["done", "dropped"]


async def test_carry_over_shows_hostile_titles_literally(folder: Path) -> None:
    fresh, saved = next_quarter(folder)
    fresh.actions[0].title = HOSTILE
    fresh.actions[0].owner = "[b]Ben"
    app = WorkshopHost(CarryOverScreen, fresh, saved)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        cells = [str(c) for c in table.get_row_at(0)]
        assert cells[1] == "[/] [bold]loud[/bold] ␛[31mred"
        assert cells[2] == "[b]Ben"


class Opener(WorkshopHost):
    """Starts a new session the way the app does: carry-over found in the background."""

    def __init__(self, session: Session, folder: Path, saved: Recorder) -> None:
        super().__init__(None, session, saved)
        self.folder = folder

    def on_mount(self) -> None:
        assert self.workshop is not None
        carry_over_and_review(self, self.workshop, self.folder)  # type: ignore[arg-type]


async def test_a_new_session_reviews_the_previous_sessions_open_actions(folder: Path) -> None:
    latest = demo(folder)[-1]
    fresh = new_session(
        "apollo-2027-q1", latest.model, "Apollo", period="2027-Q1", now=NEXT_QUARTER
    )
    saved = recorder(folder, fresh)
    app = Opener(fresh, folder, saved)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CarryOverScreen)
        assert app.screen.query_one(DataTable).row_count == 2
        await pilot.press("d")
    assert [(a.carried_from, a.carried_id, a.status) for a in saved.on_disk().actions] == [
        ("apollo-2026-q4", 3, "done"),
        ("apollo-2026-q4", 4, "open"),
    ]


async def test_a_first_session_has_nothing_to_review(folder: Path) -> None:
    model = demo(folder)[0].model
    fresh = new_session("zeus-2027-q1", model, "Zeus", period="2027-Q1", now=NEXT_QUARTER)
    saved = recorder(folder, fresh)
    app = Opener(fresh, folder, saved)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, CarryOverScreen)
    assert fresh.actions == [] and saved.count == 0


async def test_carry_over_with_nothing_carried_says_so(folder: Path) -> None:
    first = demo(folder)[0]
    app = WorkshopHost(CarryOverScreen, first)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert plain(app.screen.query_one("#carryover-hint", Label)) == (
            "No actions were carried over."
        )
        await pilot.press("d")  # nothing to review: no error
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [None]


# --- Compare ---------------------------------------------------------------------------------


def cli(*args: str | Path) -> bytes:
    """What `maturity-tui` prints, as bytes."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "maturity-tui"), *map(str, args)],
        capture_output=True,
        check=True,
    )
    return done.stdout


async def test_compare_screen_shows_what_compare_json_says(folder: Path) -> None:
    sessions = demo(folder)
    files = [session_path(folder, s.id) for s in sessions]
    expected = json.loads(cli("compare", "--format", "json", *files))
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#compare-sessions", DataTable)
        rows = [[str(c) for c in table.get_row_at(n)] for n in range(table.row_count)]
        assert [r[1] for r in rows] == [s["id"] for s in expected["sessions"]]
        assert [int(r[2].split()[0]) for r in rows] == [s["level"] for s in expected["sessions"]]
        assert [r[4:] for r in rows] == [
            [str(s["actions"][k]) for k in ("open", "done", "dropped")]
            for s in expected["sessions"]
        ]
        indicators = screen.query_one("#indicator-table", DataTable)
        for trend in expected["indicators"]:
            cells = [str(c) for c in indicators.get_row(trend["id"])][2:-1]
            for cell, rating, applicable in zip(
                cells, trend["ratings"], trend["applicable"], strict=True
            ):
                if applicable is False:
                    assert cell == "n/a"
                elif rating is None:
                    assert cell == "—"  # absent is not zero
                else:
                    assert int(cell.split()[0]) == rating
        for metric, values in expected["readings"].items():
            shown = screen.query_one(f"#kpi-{metric}", SparklineRow)
            if shown.trend.metric.kind == "qualitative":
                newest = [v for v in values if v is not None][-1]
                assert plain(shown.query_one(".kpi-text", Label)) == newest
                continue
            label = plain(shown.query_one(".kpi-values", Label))
            assert label == " · ".join("—" if v is None else str(v) for v in values)


async def test_compare_screen_arrows_and_movers(folder: Path) -> None:
    sessions = demo(folder)
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        indicators = screen.query_one("#indicator-table", DataTable)
        # support-follow-up: 3, 4, 5, 4 across the demo's quarters.
        assert [str(c) for c in indicators.get_row("support-follow-up")][2:] == [
            "3",
            "4 ↑",
            "5 ↑",
            "4 ↓",
            "+1",
        ]
        risers = [plain(label) for label in screen.query(".mover.risers")]
        assert risers[0].startswith("+3  ")
        nps = screen.query_one("#kpi-nps", SparklineRow)
        assert plain(nps.query_one(".kpi-direction", Label)) == "↑ better"


async def test_compare_screen_shows_a_hostile_team_name_literally(folder: Path) -> None:
    sessions = demo(folder)[:2]
    for session in sessions:
        session.team = HOSTILE
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        title = plain(app.screen.query_one(".screen-title", Label))
        assert title == "Compare · [/] [bold]loud[/bold] ␛[31mred · 2 sessions"


# --- Export ----------------------------------------------------------------------------------


async def write_export(
    pilot: Pilot[Any], choice: int, path: Path | None = None
) -> tuple[object, str]:
    screen = pilot.app.screen
    radio = screen.query_one(RadioSet)
    radio.focus()
    await pilot.pause()
    for _ in range(choice):
        await pilot.press("down")
    await pilot.press("space")  # picks the format; enter would pick it and write at once
    await pilot.pause()
    field = screen.query_one("#export-path", Input)
    if path is not None:
        field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    if screen is not pilot.app.screen:  # written and dismissed
        return field.value, ""
    return field.value, plain(screen.query_one("#export-status", Static))


async def test_export_dialog_writes_the_default_path_and_returns_it(folder: Path) -> None:
    session = demo(folder)[-1]
    app = Host(lambda: ExportDialog.for_session(session, folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await write_export(pilot, 0)
    written = folder / "exports" / "apollo-2026-q4-actions.csv"
    assert app.results == [written]
    assert written.read_text(encoding="utf-8").splitlines()[0] == (
        "id,title,indicator,owner,due,status,carried_from"
    )


async def test_export_dialog_refuses_a_toml_target_and_shows_write_errors(
    folder: Path, tmp_path: Path
) -> None:
    session = demo(folder)[-1]
    target = session_path(folder, session.id)
    before = target.read_bytes()
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app = Host(lambda: ExportDialog.for_session(session, folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _, status = await write_export(pilot, 0, target)
        assert "never write .toml" in status
        _, status = await write_export(pilot, 0, blocker / "out.csv")
        assert status.startswith(str(blocker / "out.csv"))
        assert isinstance(app.screen, ExportDialog) and app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert target.read_bytes() == before
    assert app.results == [None]


async def test_export_dialog_format_choice_changes_only_the_file_name(folder: Path) -> None:
    session = demo(folder)[-1]
    elsewhere = folder.parent / "tracker"
    app = Host(lambda: ExportDialog.for_session(session, folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(elsewhere / "x.csv")
        path, _ = await write_export(pilot, 4)
    assert path == str(elsewhere / "apollo-2026-q4-report.md")
    assert app.results == [elsewhere / "apollo-2026-q4-report.md"]


SESSION_EXPORTS = [
    (0, "export", "csv"),
    (1, "export", "markdown"),
    (2, "export", "json"),
    (3, "export", "csv-tracker"),
    (4, "report", "markdown"),
    (5, "report", "html"),
]


@pytest.mark.parametrize(("choice", "command", "fmt"), SESSION_EXPORTS)
async def test_session_exports_are_the_command_lines_bytes(
    folder: Path, choice: int, command: str, fmt: str
) -> None:
    session = demo(folder)[-1]
    session.actions[0].title = '=HYPERLINK("http://x")'
    session.actions[1].title = "+1 [/] \x1b[31m"
    saved = recorder(folder, session)
    saved()
    app = Host(lambda: ExportDialog.for_session(session, folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await write_export(pilot, choice)
    (written,) = app.results
    assert isinstance(written, Path)
    assert written.read_bytes() == cli(command, "--format", fmt, saved.path)
    if fmt == "csv":  # hostile titles stay inert in a spreadsheet
        rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"))))
        assert [row[1] for row in rows[1:3]] == ['\'=HYPERLINK("http://x")', "'+1 [/] "]


@pytest.mark.parametrize(
    ("choice", "fmt"), [(0, "markdown"), (1, "csv"), (2, "json"), (3, "html"), (4, "csv-long")]
)
async def test_compare_exports_are_the_command_lines_bytes(
    folder: Path, choice: int, fmt: str
) -> None:
    sessions = demo(folder)
    app = Host(lambda: ExportDialog.for_comparison(compare_sessions(sessions), folder))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await write_export(pilot, choice)
    (written,) = app.results
    assert isinstance(written, Path) and written.parent == folder / "exports"
    files = [session_path(folder, s.id) for s in sessions]
    assert written.read_bytes() == cli("compare", "--format", fmt, *files)


# --- Snapshots -------------------------------------------------------------------------------

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(lambda: CompareScreen(demo(DEMO), DEMO))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_indicators(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(lambda: CompareScreen(demo(DEMO), DEMO))
    assert snap_compare(app, terminal_size=size, press=["right"])


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_kpis(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(lambda: CompareScreen(demo(DEMO), DEMO))
    assert snap_compare(app, terminal_size=size, press=["right", "right"])


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_readings(snap_compare: Any, size: tuple[int, int]) -> None:
    app = WorkshopHost(ReadingsScreen, demo(DEMO)[-1])
    assert snap_compare(app, terminal_size=size, run_before=no_blink)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_readings_with_a_bad_number(snap_compare: Any, size: tuple[int, int]) -> None:
    async def type_bad_number(pilot: Pilot[Any]) -> None:
        await pilot.press("1", "5", "0", "enter")
        await no_blink(pilot)

    app = WorkshopHost(ReadingsScreen, demo(DEMO)[-1])
    assert snap_compare(app, terminal_size=size, run_before=type_bad_number)


def test_snapshot_carry_over(snap_compare: Any, tmp_path: Path) -> None:
    fresh = duplicate_for_next_period(demo(DEMO)[-1], tmp_path, NEXT_QUARTER)
    app = WorkshopHost(CarryOverScreen, fresh)
    assert snap_compare(app, terminal_size=(80, 24), press=["x"])


# --- Wired into the app ------------------------------------------------------------------------


def home_teams_and_periods(app: App[Any]) -> list[tuple[str, str]]:
    table = app.screen.query_one("#sessions", LibraryTable)
    return [(str(r[0]), str(r[1])) for r in map(table.get_row_at, range(table.row_count))]


def select(app: App[Any], period: str) -> None:
    table = app.screen.query_one("#sessions", LibraryTable)
    table.move_cursor(row=[p for _, p in home_teams_and_periods(app)].index(period))


def with_zeus(folder: Path) -> None:
    zeus = new_session(
        "zeus-2026-q2", demo(folder)[0].model, "Zeus", period="2026-Q2", now=NEXT_QUARTER
    )
    save_session(zeus, session_path(folder, zeus.id))


async def test_library_groups_by_team_in_period_order_and_filters(folder: Path) -> None:
    with_zeus(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert home_teams_and_periods(app) == [
            ("Apollo", "2026-Q1"),
            ("Apollo", "2026-Q2"),
            ("Apollo", "2026-Q3"),
            ("Apollo", "2026-Q4"),
            ("Zeus", "2026-Q2"),
        ]
        await pilot.press("slash", "Q", "2")
        await pilot.pause(FILTER_DELAY + 0.2)  # the list follows once typing pauses
        assert home_teams_and_periods(app) == [("Apollo", "2026-Q2"), ("Zeus", "2026-Q2")]
        await pilot.press("backspace", "backspace", "z", "e", "enter")
        assert home_teams_and_periods(app) == [("Zeus", "2026-Q2")]
        assert isinstance(app.focused, LibraryTable)


async def test_library_compare_shows_the_teams_sessions(folder: Path) -> None:
    with_zeus(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select(app, "2026-Q1")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        table = app.screen.query_one("#compare-sessions", DataTable)
        assert table.row_count == 4  # Apollo's, not Zeus's


async def test_library_duplicate_starts_next_quarter_with_the_review(folder: Path) -> None:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select(app, "2026-Q4")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("d", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
    fresh = load_session(session_path(folder, "apollo-2027-q1"))
    source = load_session(session_path(folder, "apollo-2026-q4"))
    assert (fresh.participants, fresh.ratings, fresh.readings) == (source.participants, [], [])
    assert [(a.carried_id, a.status) for a in fresh.actions] == [(3, "done"), (4, "open")]


async def test_library_delete_asks_then_moves_the_file_to_the_trash(folder: Path) -> None:
    target = session_path(folder, "apollo-2026-q1")
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        select(app, "2026-Q1")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert target.exists() and len(home_teams_and_periods(app)) == 4
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert ("Apollo", "2026-Q1") not in home_teams_and_periods(app)
    assert not target.exists()
    assert (folder / ".trash" / target.name).exists()


async def test_a_new_workshop_reviews_last_quarters_actions_then_votes(folder: Path) -> None:
    opening = prepare(folder, NewWorkshop("customer-engagement", "Apollo", ["A"], period="2027-Q1"))
    assert opening is not None and opening.new
    app = MaturityApp(sessions_dir=folder, opening=opening, now=fixed_now)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CarryOverScreen)
        await pilot.press("x", "enter")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
    saved = load_session(opening.path)
    assert [(a.carried_from, a.status) for a in saved.actions] == [
        ("apollo-2026-q4", "dropped"),
        ("apollo-2026-q4", "open"),
    ]


async def test_k_in_the_workshop_enters_readings_that_autosave(folder: Path) -> None:
    session = demo(folder)[-1]
    app = make_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ReadingsScreen)
        await enter(pilot, "nps", "value", "33")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, VotingScreen)
    assert load_session(session_path(folder, session.id)).reading("nps").value == 33  # type: ignore[union-attr]


async def test_e_on_results_exports_the_action_list(folder: Path) -> None:
    session = demo(folder)[-1]
    app = make_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        await write_export(pilot, 0)
        assert isinstance(app.screen, ResultsScreen)
    path = session_path(folder, session.id)
    written = folder / "exports" / "apollo-2026-q4-actions.csv"
    assert written.read_bytes() == cli("export", "--format", "csv", path)


async def test_c_on_results_compares_with_the_teams_history(folder: Path) -> None:
    session = demo(folder)[-1]
    set_reading(session, "nps", "40")  # the workshop as it is now, last in the row
    app = make_app(folder, session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("v", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert app.screen.query_one("#compare-sessions", DataTable).row_count == 4
        nps = app.screen.query_one("#kpi-nps", SparklineRow)
        assert plain(nps.query_one(".kpi-values", Label)) == "12 · 18 · 24 · 40"


# --- Portfolio, and HTML opened in the browser -------------------------------------------------


def second_team(folder: Path) -> None:
    """Borealis: Apollo's last two quarters under another name, and a sync tool's copy."""
    for session in demo(folder)[-2:]:
        data = session.model_dump(mode="python") | {"team": "Borealis"}
        data["id"] = session.id.replace("apollo", "borealis")
        save_session(Session.model_validate(data), folder / f"{data['id']}.toml")
    shutil.copyfile(folder / "borealis-2026-q4.toml", folder / "borealis-2026-q4 (1).toml")


async def test_home_p_opens_the_portfolio_and_enter_a_teams_comparison(folder: Path) -> None:
    from maturity_tui.tui.screens.portfolio import PortfolioScreen

    second_team(folder)
    app = make_app(folder)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        table = screen.query_one(DataTable)
        assert [table.get_row_at(n)[0].plain for n in range(table.row_count)] == [
            "Apollo",
            "Borealis",
        ]
        status = str(screen.query_one("#portfolio-status", Static).render())
        assert "Conflict: borealis-2026-q4" in status
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        periods = [c.period for c in app.screen.comparison.columns]
        assert periods == ["2026-Q3", "2026-Q4"], "Borealis's own sessions, the copy once"


async def test_html_export_opens_in_the_browser_when_asked(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    sessions = demo(folder)
    app = Host(lambda: ExportDialog.for_comparison(compare_sessions(sessions), folder))
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#export-open").display, "Markdown: nothing to open"
        await write_export(pilot, 3)
    (written,) = app.results
    assert isinstance(written, Path) and written.suffix == ".html"
    assert opened == [written.as_uri()]


# --- Compare on score and board models -------------------------------------------------------

ORION = Path(__file__).parents[1] / "data" / "golden" / "input" / "orion-2026-q4.toml"


def orion_quarters() -> list[Session]:
    """Orion's score-model session and a quarter before it, half a point lower on both
    dimensions. Q4 (worked out in tests/unit/test_format2.py): strategy 1.30, threats 1.00,
    overall 1.15. Q3: strategy's stream A loses sg-1-a's 1 (0.60 + 1.00) / 2 = 0.80; threats'
    stream B loses tt-1-b's 1 (0.75 + 0.25) / 2 = 0.50; overall 0.65."""
    q4 = load_session(ORION)
    q3 = q4.model_copy(
        deep=True,
        update={
            "id": "orion-2026-q3",
            "period": "2026-Q3",
            "started_at": datetime(2026, 8, 20, 9, tzinfo=UTC),
        },
    )
    q3.rating_or_new("sg-1-a").consensus = 0
    q3.rating_or_new("tt-1-b").votes = {"Ana": 1, "Ben": 0, "Caro": 0}
    return [q3, q4]


def vega() -> list[Session]:
    return team_history((load_session(p) for p in DEMO.glob("vega-*.toml")), "Vega")


async def test_compare_screen_shows_scores_as_compare_json_does(folder: Path) -> None:
    sessions = orion_quarters()
    for session in sessions:
        save_session(session, session_path(folder, session.id))
    files = [session_path(folder, s.id) for s in sessions]
    expected = json.loads(cli("compare", "--format", "json", *files))
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#compare-sessions", DataTable)
        assert [str(c.label) for c in table.columns.values()][2] == "Score"
        shown = [str(table.get_row_at(n)[2]).split()[0] for n in range(table.row_count)]
        assert shown == [f"{s['score']:.2f}" for s in expected["sessions"]]
        scores = app.screen.query_one("#compare-scores", DataTable)
        overall = [str(c) for c in scores.get_row("overall")]
        assert overall == ["Overall", "0.65", "1.15 ↑", "+0.50"]
        for dimension, first, newest in (("strategy", 0.8, 1.3), ("threats", 0.5, 1.0)):
            assert [s["dimension_scores"][dimension] for s in expected["sessions"]] == [
                pytest.approx(first),
                pytest.approx(newest),
            ]
            row = [str(c) for c in scores.get_row(dimension)]
            assert row[1:] == [f"{first:.2f}", f"{newest:.2f} ↑", "+0.50"]
        indicators = app.screen.query_one("#indicator-table", DataTable)
        assert [str(c) for c in indicators.get_row("tt-1-b")][2:] == ["0", "1 ↑", "+1"]


async def test_compare_screen_shows_each_cards_colour_and_trend(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    sessions = vega()
    expected = json.loads(cli("compare", "--format", "json", *sorted(DEMO.glob("vega-*.toml"))))
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#compare-sessions", DataTable)
        assert [str(c.label) for c in table.columns.values()][2] == "Board"
        assert str(table.get_row_at(2)[2]) == "1 red · 2 amber · 7 green"
        cards = app.screen.query_one("#indicator-table", DataTable)
        assert [str(c.label) for c in cards.columns.values()][:2] == ["Card", "2026-Q2"]
        letters = {"red": "R", "amber": "A", "green": "G"}
        for trend in expected["indicators"]:
            cells = [str(c) for c in cards.get_row(trend["id"])][1:-1]
            assert [cell[0] for cell in cells] == [letters[c] for c in trend["colors"]]
        # Support: red all year, getting worse in the last quarter (the room's trend votes).
        assert [str(c) for c in cards.get_row("support")][-2] == "R ↓"


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_scores(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(lambda: CompareScreen(orion_quarters(), DEMO))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_compare_board(snap_compare: Any, size: tuple[int, int]) -> None:
    app = Host(lambda: CompareScreen(vega(), DEMO))
    assert snap_compare(app, terminal_size=size, press=["right"])


async def test_compare_screen_shows_each_mode_where_its_sessions_have_it(folder: Path) -> None:
    """Sessions on different kinds of model side by side (a team that changed models): a
    level column, a board column, each "—" where its session has none; a staged model
    without an overall level shows its dimensions' levels."""
    apollo = demo(DEMO)[-1]
    data = apollo.model.model_dump(mode="python") | {"format_version": 2, "overall_level": False}
    dimensions_only = apollo.model_copy(
        update={"model": type(apollo.model).model_validate(data), "id": "apollo-dims"}
    )
    sessions = [*vega()[-1:], dimensions_only, apollo]
    app = Host(lambda: CompareScreen(sessions, folder))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#compare-sessions", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert labels[:5] == ["Period", "Session", "Level", "Progress", "Board"]
        rows = {str(table.get_row_at(n)[1]): table.get_row_at(n) for n in range(3)}
        vega_row, dims_row = rows["vega-2026-q4"], rows["apollo-dims"]
        assert [str(c) for c in vega_row[2:5]] == ["—", "—", "1 red · 2 amber · 7 green"]
        assert str(dims_row[2]).startswith("levels ") and str(dims_row[4]) == "—"
        assert str(rows[apollo.id][2]).startswith("3 Defined")
        assert not app.screen.query("#compare-scores"), "no score model, no scores table"
