"""Large models at 80x24: on a generated 200-indicator model, any indicator is a few
keystrokes away and every row says where it belongs and how it stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from large_model import large_session
from test_snapshots import SIZES, still
from textual.widgets import Input, OptionList
from tuikit import build_session, make_app, settle

from maturity_tui.domain import Session


def rows(app: Any) -> list[str]:
    """The jump list's indicator rows (not the dimension headers), as text."""
    listing = app.screen.query_one(OptionList)
    return [str(o.prompt) for o in listing.options if o.id is not None]


def rated_session() -> Session:
    session = large_session()
    ids = [i.id for i in session.model.indicators]
    session.rating_or_new(ids[0]).consensus = 4
    session.rating_or_new(ids[1]).not_applicable = True
    return session


async def test_words_filter_the_jump_list_and_enter_goes_to_the_first(folder: Path) -> None:
    app = make_app(folder, rated_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.press(*"verification training step 7")
        await pilot.pause()
        shown = rows(app)
        assert len(shown) == 1 and shown[0].startswith("157. L2 Ver… traini… ")
        await pilot.press("enter")
        await settle(pilot)
        assert app.workshop is not None
        chosen = app.workshop.session.model.indicators[app.workshop.index]
        assert chosen.id == "verification-training-7"


async def test_a_word_of_the_id_or_dimension_is_enough(folder: Path) -> None:
    app = make_app(folder, rated_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"design-reviews-1")
        await pilot.pause()
        assert len(rows(app)) == 2  # design-reviews-1 and design-reviews-10
        app.screen.query_one(Input).value = "OPERATIONS"
        await pilot.pause()
        assert len(rows(app)) == 40
        app.screen.query_one(Input).value = "no such words"
        await pilot.pause()
        assert rows(app) == []
        await pilot.press("enter")  # nothing to go to: the list stays
        assert type(app.screen).__name__ == "JumpDialog"


@pytest.mark.parametrize(
    ("keys", "index"), [(("1", "5", "enter"), 14), (("2", "0", "0"), 199), (("1", "7", "3"), 172)]
)
async def test_digits_still_go_by_number(folder: Path, keys: tuple[str, ...], index: int) -> None:
    app = make_app(folder, rated_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *keys)
        await settle(pilot)
        assert app.workshop is not None and app.workshop.index == index


async def test_digits_keep_the_rows_of_that_number(folder: Path) -> None:
    app = make_app(folder, rated_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", "1", "5")
        await pilot.pause()
        assert [row.split(".")[0].strip() for row in rows(app)] == ["15", "150", "151",
            "152", "153", "154", "155", "156", "157", "158", "159"]  # fmt: skip
        listing = app.screen.query_one(OptionList)
        assert listing.highlighted_option is not None and listing.highlighted_option.id == "14"


async def test_each_row_shows_its_dimension_and_state_under_a_header(folder: Path) -> None:
    app = make_app(folder, rated_session(), index=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        header = listing.get_option_at_index(0)
        assert header.disabled and str(header.prompt).startswith("Governance practices")
        first, second, third, fourth = rows(app)[:4]
        assert "Gov… records " in first and "  4  " in first
        assert " n/a " in second
        assert " voting " in third  # the one open on the voting screen
        assert " · " in fourth
        assert listing.option_count == 220  # 200 rows and 20 headers


async def test_down_and_up_move_while_typing(folder: Path) -> None:
    app = make_app(folder, rated_session())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"operations", "down", "down", "up", "enter")
        await settle(pilot)
        assert app.workshop is not None
        assert app.workshop.session.model.indicators[app.workshop.index].id == (
            "operations-records-2"
        )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_jump_list_filtered_snapshot(
    size: tuple[int, int], snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("sessions").mkdir()
    app = make_app(Path("sessions"), rated_session())
    keys = ("g", *"training 1")
    assert snap_compare(app, terminal_size=size, run_before=still(keys))


async def test_rows_use_the_dimension_short_name(folder: Path) -> None:
    model = large_session().model
    dimensions = [d.model_copy(update={"short_name": f"Dim {n}"}) for n, d in
        enumerate(model.dimensions)]  # fmt: skip
    session = build_session(
        model=model.model_copy(update={"dimensions": dimensions, "format_version": 2})
    )
    app = make_app(folder, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g", *"operations reviews 3")
        await pilot.pause()
        assert rows(app)[0].startswith("173. L3 Dim 17 ")
