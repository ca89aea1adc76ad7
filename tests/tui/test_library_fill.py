"""The library fills in behind the keys: rows in their place as they come, the cursor kept,
a filter that always shows exactly the matching rows of the whole library."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import timedelta
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static
from tuikit import NOW, build_session, make_app, settle

from maturity_tui import library_index
from maturity_tui.history import matches
from maturity_tui.storage import save_session
from maturity_tui.tui.screens import home
from maturity_tui.tui.session_rows import table_row
from maturity_tui.tui.widgets.library_table import LibraryTable, TableRow

TEAMS = ["Delta", "alpha", "Charlie", "Bravo", "Echo", "Alphorn", "delta "]


def save_teams(folder: Path) -> None:
    for n, team in enumerate(TEAMS):
        session = build_session(team=team)
        session.id = f"team-{n}"
        session.updated_at = NOW + timedelta(hours=n)
        save_session(session, folder / f"{session.id}.toml")


def shown(app: App[Any]) -> list[tuple[str, ...]]:
    table = app.screen.query_one(LibraryTable)
    return [table.get_row_at(n) for n in range(table.row_count)]


async def until(pilot: Pilot[Any], condition: Any) -> None:
    """Wait for a condition of the app, a frame at a time (never a fixed sleep)."""
    for _ in range(2000):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the app never got there")


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The library's scan held after its first rows, until the test lets it go on."""
    held = threading.Event()
    scan = library_index.LibraryScan.batches

    def gated(self: library_index.LibraryScan, seconds: float = 0.1) -> Iterator[list[Any]]:
        for n, batch in enumerate(scan(self, seconds)):
            yield batch
            if n == 1:  # two batches in: rows on screen, more to come
                assert held.wait(timeout=60), "the test never let the scan go on"

    monkeypatch.setattr(library_index.LibraryScan, "batches", gated)
    monkeypatch.setattr(home, "BATCH_SECONDS", 0)  # a batch a file: rows come one by one
    return held


def library_as_filtered(folder: Path, query: str) -> list[tuple[str, ...]]:
    """What the home table must show: the folder's sessions that match, in library order."""
    rows = library_index.library(folder).rows
    listed = [table_row(r) for r in rows if r.summary is not None and matches(r.summary, query)]
    return [row.cells for row in sorted(listed, key=attrgetter("order"))]


KEY_NAMES = {" ": "space", "-": "minus"}


async def type_filter(pilot: Pilot[Any], query: str) -> None:
    await pilot.press("slash", *(KEY_NAMES.get(c, c) for c in query), "enter")


async def test_keys_work_while_the_library_is_still_filling(
    folder: Path, gate: threading.Event
) -> None:
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        table = app.screen.query_one(LibraryTable)
        assert "so far" in str(app.screen.query_one("#home-status", Static).render())
        await pilot.press("down", "up")
        await type_filter(pilot, "a")
        assert app.focused is table
        assert table.row_count < len(TEAMS)  # all of this while the scan was held
        gate.set()
        await settle(pilot)
        # The filter applies to the rows that came after it too.
        assert shown(app) == library_as_filtered(folder, "a")
        await pilot.press("slash", "backspace", "enter")
        assert shown(app) == library_as_filtered(folder, "")
        assert len(shown(app)) == len(TEAMS)


async def test_rows_are_out_of_the_collectors_way_as_they_come(
    folder: Path, gate: threading.Event
) -> None:
    """Each batch is frozen as it comes in: the collector's full collections during a long
    cold fill (each longer than the last as rows pile up) never walk the rows already in."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        assert app.screen.query_one(LibraryTable).row_count < len(TEAMS)  # still filling
        rows = {id(row) for row in app.screen._rows.values()}
        collected = rows & {id(tracked) for tracked in gc.get_objects()}
        gate.set()
        await settle(pilot)
    assert rows
    assert not collected


def scanning(app: App[Any]) -> bool:
    return any(worker.group == "scan" and not worker.is_finished for worker in app.workers)


async def test_rows_that_come_behind_another_screen_fill_the_table_when_it_is_shown(
    folder: Path, gate: threading.Event
) -> None:
    """A workshop opened while the list fills: the hidden table is left alone (its votes
    must not wait for it), and it is whole, in order and filtered, once back in sight."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        home_screen = app.screen
        table = home_screen.query_one(LibraryTable)
        await type_filter(pilot, "a")
        before = [table.get_row_at(n) for n in range(table.row_count)]
        status = str(home_screen.query_one("#home-status", Static).render())
        await app.push_screen(Screen())
        gate.set()
        await until(pilot, lambda: not scanning(app))
        await settle(pilot)
        assert [table.get_row_at(n) for n in range(table.row_count)] == before
        assert str(home_screen.query_one("#home-status", Static).render()) == status
        app.pop_screen()
        await settle(pilot)
        assert shown(app) == library_as_filtered(folder, "a")
        assert f"{len(TEAMS)} sessions in" in str(
            home_screen.query_one("#home-status", Static).render()
        )


async def test_the_scan_leaves_its_files_to_the_workers_while_a_screen_covers_the_list(
    folder: Path, gate: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workshop's keys come first: while it covers the list, the app's own process reads
    no file where worker processes can (`LibraryScan.busy`)."""
    scans: list[library_index.LibraryScan] = []
    made = library_index.LibraryScan.__init__

    def kept(self: library_index.LibraryScan, *args: Any, **options: Any) -> None:
        made(self, *args, **options)
        scans.append(self)

    monkeypatch.setattr(library_index.LibraryScan, "__init__", kept)
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        try:
            [scan] = scans
            assert not scan.busy()
            await app.push_screen(Screen())
            assert scan.busy()
            app.pop_screen()
            await pilot.pause()
            assert not scan.busy()
        finally:
            gate.set()


async def test_rows_that_come_behind_another_screen_never_repaint_it(
    folder: Path, gate: threading.Event
) -> None:
    """Textual composes the screen right under the top one as a background: once anything of
    it was redrawn there, each message it handled repainted the whole top screen, and held
    its next frame (a vote's) back by a frame. The rows read meanwhile wait, unhandled."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        home_screen = app.screen
        top = Screen()
        await app.push_screen(top)
        home_screen.query_one("#home-title", Static).refresh()  # redrawn as a background
        await pilot.pause()  # not settled: the scan is held
        await pilot.pause()
        repaints: list[tuple[Any, ...]] = []
        refresh = top.refresh

        def counted(*regions: Any, **options: Any) -> Screen[Any]:
            repaints.append(regions)
            return refresh(*regions, **options)

        top.refresh = counted  # type: ignore[method-assign]
        gate.set()
        await until(pilot, lambda: not scanning(app))
        await settle(pilot)
        assert repaints == []
        assert len(home_screen._rows) < len(TEAMS)  # held until the list is shown
        app.pop_screen()
        await settle(pilot)
        assert len(shown(app)) == len(TEAMS)


async def test_closing_a_workshop_does_not_wait_for_the_library_to_be_read(
    folder: Path, gate: threading.Event
) -> None:
    """A workshop opened while the list fills closes at once, its last state saved: only
    the saves are waited for, not the scan of the folder behind it."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: shown(app))
        await pilot.press("o")
        await until(pilot, lambda: app.workshop is not None)
        assert list(folder.glob("*.lock"))
        await pilot.press("ctrl+w")
        await until(pilot, lambda: isinstance(app.screen, home.HomeScreen))
        assert not gate.is_set()  # the scan is still held
        assert app.workshop is None
        assert not list(folder.glob("*.lock"))  # closed: saved, and its lock let go
        gate.set()
        await settle(pilot)


async def test_keys_leave_the_table_as_a_whole_redraw_draws_it(folder: Path) -> None:
    """A key that moves the cursor, or the mouse, redraws only the lines it changes: the
    screen after each is what drawing the whole table again gives, on screen and scrolled."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 10)) as pilot:  # fewer lines than rows: keys scroll
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        assert table.size.height <= len(TEAMS)
        steps = ["hover", "down", "hover", *["down"] * 7, "up", "hover", "up", "end", "home"]
        for step in steps:
            if step == "hover":  # the mouse's row is marked until a key
                await pilot.hover(LibraryTable, offset=(4, 2 + table.cursor_row % 3))
            else:
                await pilot.press(step)
            await pilot.pause()
            drawn = app.export_screenshot()
            table.refresh()
            await pilot.pause()
            assert app.export_screenshot() == drawn, step


@pytest.mark.parametrize("query", ["a", "DEL", "3", "2026", " ", "zzz"])
async def test_a_filter_shows_exactly_the_matching_rows_of_the_whole_library(
    folder: Path, query: str
) -> None:
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LibraryTable)
        everything = list(zip([row.key for row in table.rows], shown(app), strict=True))
        summaries = {str(row.path): row.summary for row in library_index.library(folder).rows}
        await type_filter(pilot, query)
        assert shown(app) == [
            cells
            for key, cells in everything
            if matches(summaries[key], query)  # type: ignore[arg-type]
        ]
        assert shown(app) == library_as_filtered(folder, query)


class OneTable(App[None]):
    def compose(self) -> ComposeResult:
        yield LibraryTable(["Name", "Rank"])


def ranked(name: str, rank: int) -> TableRow:
    return TableRow(name, (name, str(rank)), (rank, name))


async def test_rows_added_above_the_cursor_leave_it_on_its_row() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LibraryTable)
        table.add([ranked("c", 30), ranked("e", 50)])
        await pilot.press("down")
        assert table.highlighted is not None and table.highlighted.key == "e"
        table.add([ranked("a", 10), ranked("b", 20), ranked("f", 60)])
        await pilot.pause()
        assert [row.key for row in table.rows] == ["a", "b", "c", "e", "f"]
        assert table.highlighted.key == "e" and table.cursor_row == 3
        table.remove_row("e")
        assert table.highlighted.key == "f"
        await pilot.press("end")
        assert table.highlighted.key == "f"
        table.replace([ranked("z", 1)])
        assert table.highlighted.key == "z" and table.row_count == 1


async def test_rows_added_leave_the_table_as_a_whole_redraw_draws_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Batches of rows below the screen's last line, on screen, above it, and wider than the
    columns: the screen after each is what drawing the whole table again gives; a batch all
    below the screen draws no line of the table."""
    drawn_lines: list[int] = []
    render_line = LibraryTable.render_line
    monkeypatch.setattr(
        LibraryTable, "render_line", lambda self, y: drawn_lines.append(y) or render_line(self, y)
    )
    app = OneTable()
    async with app.run_test(size=(40, 8)) as pilot:
        table = app.query_one(LibraryTable)
        batches = [
            [ranked(f"row-{n:02}", n * 10) for n in range(1, 12)],
            [ranked("below", 500), ranked("row-7b", 70)],  # just after row-07, the last shown
            [ranked("row-6b", 65)],  # on the last line, row-07 pushed off
            [ranked("among", 35)],
            [ranked("above", 5), ranked("last", 999)],
            [ranked("a-much-wider-name", 995)],  # below, but its column grows
        ]
        for batch in batches:
            drawn_lines.clear()
            table.add(batch)
            await pilot.pause()
            drawn = app.export_screenshot()
            if batch[0].key == "below":
                assert table.get_row_at(table.size.height - 2)[0] == "row-07"
                assert drawn_lines == []
            table.refresh()
            await pilot.pause()
            assert app.export_screenshot() == drawn, batch[0].key


async def test_the_table_draws_only_what_is_on_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(40, 10)) as pilot:
        table = app.query_one(LibraryTable)
        table.add([ranked(f"row-{n:05d}", n) for n in range(20_000)])
        drawn: list[int] = []
        draw = table._row_segments

        def counted(index: int, width: int) -> Any:
            drawn.append(index)
            return draw(index, width)

        table._row_segments = counted  # type: ignore[method-assign]
        table.refresh()
        await pilot.press("pagedown")
        await pilot.pause()
        assert drawn and max(drawn) < 40 and len(drawn) < 40
        assert table.highlighted is not None and table.highlighted.key == "row-00009"


async def test_left_and_right_scroll_a_table_wider_than_the_screen() -> None:
    app = OneTable()
    async with app.run_test(size=(30, 10)) as pilot:
        table = app.query_one(LibraryTable)
        table.add([ranked("a team with a name far wider than this screen", 1)])
        await pilot.pause()
        await pilot.press("right")
        assert table.scroll_x > 0
        await pilot.press("left")
        assert table.scroll_x == 0


async def test_keys_typed_in_one_burst_after_slash_go_to_the_filter(folder: Path) -> None:
    """A terminal delivers fast typing as one burst of keys: `/` must take the ones after it
    (moving the focus later let them reach the table, where `enter` opened a session)."""
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        burst = [("slash", "/"), ("d", "d"), ("e", "e"), ("l", "l"), ("enter", "\r")]
        assert app._driver is not None
        for key, character in burst:  # as the terminal's driver sends them, none awaited
            event = events.Key(key, character)
            event.set_sender(app)
            app._driver.send_message(event)
        await settle(pilot)
        assert app.screen.query_one("#library-filter", Input).value == "del"
        assert shown(app) == library_as_filtered(folder, "del")
        assert app.focused is app.screen.query_one(LibraryTable)


async def test_a_slash_typed_in_the_filter_is_part_of_it(folder: Path) -> None:
    save_teams(folder)
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "a", "slash", "b")
        assert app.screen.query_one("#library-filter", Input).value == "a/b"
