"""Imported-size models at 80x24 (issue 13): guidance that does not fit opens whole, the
dimensions grid tells every dimension apart under its group and scrolls, the jump list
stands under groups, depends_on shows, and "Level 2 Level 2" never does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from large_model import grouped_large_model, grouped_large_session
from test_snapshots import SIZES, still
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Select, Static
from tuikit import NOW, build_session, make_app, settle

from maturity_tui.domain import Session
from maturity_tui.launch import NewWorkshop, SetupDraft, prepare
from maturity_tui.storage import write_model
from maturity_tui.tui.app import MaturityApp
from maturity_tui.tui.screens.dialogs import GuidanceDialog
from maturity_tui.tui.screens.results import ResultsScreen
from maturity_tui.tui.screens.setup import SetupScreen
from maturity_tui.tui.widgets.dimension_grid import DimensionGrid
from maturity_tui.tui.widgets.guidance import Guidance


def shown(app: Any, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return str(widget.render())


def grouped_session() -> Session:
    """The first indicator agreed (achieved), so the second's need is met."""
    session = grouped_large_session()
    session.rating_or_new(session.model.indicators[0].id).consensus = 4
    return session


async def test_cut_guidance_says_so_and_i_opens_it_whole_with_links(folder: Path) -> None:
    app = make_app(folder, grouped_session(), index=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        guidance = app.screen.query_one(Guidance)
        assert guidance.cut and guidance.size.height == 4
        assert shown(app, "#guidance").splitlines()[-1] == "▸ 9 more lines, 2 links: i shows all"
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, GuidanceDialog)
        text = shown(app, "#guidance-text")
        assert "Point 12: ask who keeps step 2" in text
        assert "Tool [bold]x[/]\n  https://example.org/tool?a=1&b=[2]" in text  # literal
        assert text.endswith("Source id: REF-002")
        scroll = app.screen.query_one("#guidance-scroll", VerticalScroll)
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        assert scroll.scroll_y > 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GuidanceDialog)


async def test_guidance_that_fits_has_no_mark(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        guidance = app.screen.query_one(Guidance)
        assert guidance.display and not guidance.cut
        assert "▸" not in shown(app, "#guidance")


async def test_the_guidance_key_is_in_the_footer_and_f1(folder: Path) -> None:
    app = make_app(folder, grouped_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()}
        assert keys["i"] == "Guidance"
        await pilot.press("f1")
        await pilot.pause()
        assert "i  Guidance" in shown(app, "#keys")


@pytest.mark.parametrize(
    ("index", "needs"),
    [(1, "needs: 1. governance-records-1 ✓"), (4, "needs: 4. governance-records-4 not yet")],
)
async def test_needs_names_the_indicators_to_reach_first(
    folder: Path, index: int, needs: str
) -> None:
    app = make_app(folder, grouped_session(), index=index)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert shown(app, "#needs") == needs
        await pilot.press("n")  # no depends_on: no line
        await settle(pilot)
        assert not app.screen.query_one("#needs", Static).display


async def test_objectives_name_the_needs_not_yet_achieved(folder: Path) -> None:
    app = make_app(folder, grouped_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        prompts = [str(o.prompt) for o in app.screen.query_one("#objectives", OptionList).options]
        assert any(p.startswith("L1 unrated→4 needs 10 Step 1 of governance") for p in prompts)
        assert not any("needs 1 " in p for p in prompts)  # indicator 1 is achieved


async def test_levels_named_level_n_are_not_repeated(folder: Path) -> None:
    app = make_app(folder, grouped_session(), index=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        where = shown(app, "#where")
        assert "· Level 2 ·" in where and "Level 2 Level 2" not in where
        await pilot.press("v")
        await settle(pilot)
        assert shown(app, "#placed").splitlines()[0] == "Level 1"


async def test_level_names_that_say_more_still_show(folder: Path) -> None:
    app = make_app(folder, build_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "· Level 1 Initial (Ad-hoc) ·" in shown(app, "#where")


async def test_the_grid_tells_every_dimension_apart_under_its_group_and_scrolls(
    folder: Path,
) -> None:
    app = make_app(folder, grouped_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        grid = app.screen.query_one(DimensionGrid)
        lines = str(grid.render()).splitlines()
        assert len(lines) == 1 + 5 + 20  # the levels, a row per group, a row per dimension
        assert lines[1] == "Governance" and lines[2].startswith("Gov records ")
        labels = [line.split("  ")[0].strip() for line in lines[1:] if "○" in line]
        assert len(labels) == 20 == len(set(labels))
        assert all(len(line) <= grid.size.width for line in lines)
        standing = app.screen.query_one("#standing", VerticalScroll)
        assert standing.max_scroll_y > 0
        await pilot.press("tab", "tab")  # objectives, the contested list, then the grid's column
        assert standing.has_focus
        await pilot.press("pagedown")
        assert standing.scroll_y > 0


async def test_the_unrated_list_scrolls_when_it_is_long(folder: Path) -> None:
    session = grouped_session()
    for indicator in session.model.indicators[::2]:  # every other one: 100 ranges of one
        session.rating_or_new(indicator.id).consensus = 2
    app = make_app(folder, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert "INCOMPLETE: 100 unrated: 2, 4, 6" in shown(app, "#incomplete")
        box = app.screen.query_one("#incomplete-box", VerticalScroll)
        assert box.max_scroll_y > 0
        box.focus()
        await pilot.press("down")
        assert box.scroll_y > 0


async def test_the_jump_list_stands_under_groups_then_dimensions(folder: Path) -> None:
    app = make_app(folder, grouped_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"verification")
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        headers = [str(o.prompt) for o in listing.options if o.disabled]
        assert headers[:2] == [
            "Verification",
            "  Verification practices for records across every team",
        ]
        assert len(headers) == 5 and listing.option_count == 5 + 40
        await pilot.press("enter")
        await settle(pilot)
        assert app.workshop is not None and app.workshop.index == 120


def _snapshot(snap_compare: Any, size: tuple[int, int], tmp_path: Path, keys: tuple[str, ...],
              monkeypatch: pytest.MonkeyPatch) -> bool:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    Path("sessions").mkdir()
    app = make_app(Path("sessions"), grouped_session(), index=1)
    result: bool = snap_compare(app, terminal_size=size, run_before=still(keys))
    return result


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "keys",
    [("v",), ("g",), ("i",), ()],
    ids=["grid", "jump-list-groups", "guidance-dialog", "voting"],
)
def test_large_model_snapshots(
    keys: tuple[str, ...],
    size: tuple[int, int],
    snap_compare: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _snapshot(snap_compare, size, tmp_path, keys, monkeypatch)


async def test_setup_shows_the_source_and_licence_of_the_model_picked(
    folder: Path, tmp_path: Path
) -> None:
    path = tmp_path / "large.toml"
    write_model(grouped_large_model(), path)
    draft = prepare(folder, NewWorkshop(str(path), "Zeus"))
    assert isinstance(draft, SetupDraft)
    app = MaturityApp(sessions_dir=folder, opening=draft, now=lambda: NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        credit = app.screen.query_one("#model-source", Static)
        assert credit.display and str(credit.render()) == (
            "Source: Large test model 1.0, licence CC BY-SA 4.0, https://example.org/large"
        )
        app.screen.query_one("#model", Select).value = 0  # the built-in model: its own
        await pilot.pause()
        assert not credit.display
