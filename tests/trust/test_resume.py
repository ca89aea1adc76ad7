"""Resuming a session after a crash: the next vote goes to the right person."""

from __future__ import annotations

from pathlib import Path

from trustkit import a_session

from maturity_tui.launch import Opening
from maturity_tui.storage import load_session, save_session, session_path
from maturity_tui.tui.app import MaturityApp


async def test_resume_on_a_later_indicator_starts_with_the_first_participant(
    tmp_path: Path,
) -> None:
    session = a_session()
    first = session.model.indicators[0].id
    session.rating_or_new(first).consensus = 3
    session.rating_or_new(first).votes = {"Ana": 3, "Ben": 4}
    path = session_path(tmp_path, session.id)
    save_session(session, path)

    app = MaturityApp(sessions_dir=tmp_path, opening=Opening(load_session(path), path))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.workshop is not None
        assert app.workshop.index == 1  # resumed at the first unrated indicator
        assert app.workshop.highlighted == "Ana"  # not Caro, the one missing on the first
        await pilot.press("5")
        await pilot.pause()
        await app.workers.wait_for_complete()

    rating = load_session(path).rating(session.model.indicators[1].id)
    assert rating is not None and rating.votes == {"Ana": 5}
