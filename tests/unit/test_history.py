"""A team's sessions over time: history order, carry-over and the next period."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from teamkit import NOW, session, with_actions

from maturity_tui.domain import Action, MaturityModel
from maturity_tui.history import (
    carried_actions,
    carry_over,
    duplicate_for_next_period,
    library_key,
    matches,
    next_period,
    previous_session,
    review_carried,
    team_history,
)
from maturity_tui.library_index import previous_in_folder
from maturity_tui.readings import set_reading
from maturity_tui.storage import (
    dumps_session,
    load_session,
    save_session,
    session_path,
)

# --- history ---------------------------------------------------------------------------------


def test_team_history_orders_by_period_then_start_and_ignores_case_of_team(
    model: MaturityModel,
) -> None:
    later_start_earlier_period = session(model, "Apollo", "2026-Q2", NOW)
    q3 = session(model, "apollo ", "2026-Q3", datetime(2026, 7, 2, tzinfo=UTC))
    h1 = session(model, "Apollo", "2026-H1", datetime(2026, 1, 5, tzinfo=UTC))
    other = session(model, "Zeus", "2026-Q1")
    history = team_history([q3, other, later_start_earlier_period, h1], "APOLLO")
    assert [s.id for s in history] == ["apollo-2026-h1", "apollo-2026-q2", "apollo-2026-q3"]


def test_previous_session_is_the_latest_earlier_one_of_the_same_team(
    model: MaturityModel,
) -> None:
    q2, q3, q4 = (session(model, "Apollo", p) for p in ("2026-Q2", "2026-Q3", "2026-Q4"))
    zeus = session(model, "Zeus", "2026-Q3")
    assert previous_session([q2, q3, q4, zeus], q4) is q3
    assert previous_session([q2, q3, q4, zeus], q2) is None
    assert previous_session([zeus], q4) is None


def test_previous_in_folder_skips_broken_files_and_other_teams(
    model: MaturityModel, tmp_path: Path
) -> None:
    q3, q4 = (session(model, "Apollo", p) for p in ("2026-Q3", "2026-Q4"))
    for s in (q3, session(model, "Zeus", "2026-Q3")):
        save_session(s, session_path(tmp_path, s.id))
    (tmp_path / "broken.toml").write_text("team = ")
    found = previous_in_folder(tmp_path, q4)
    assert found is not None and found.id == q3.id
    assert previous_in_folder(tmp_path / "missing", q4) is None


def test_library_orders_by_team_then_period_and_filters(model: MaturityModel) -> None:
    zeus = session(model, "zeus", "2026-Q1")
    q4 = session(model, "Apollo", "2026-Q4")
    q3 = session(model, "Apollo", "2026-Q3")
    q3.facilitator = "Dana"
    assert [s.id for s in sorted([zeus, q4, q3], key=library_key)] == [
        "apollo-2026-q3",
        "apollo-2026-q4",
        "zeus-2026-q1",
    ]
    assert [s.id for s in (zeus, q4, q3) if matches(s, " q4 ")] == ["apollo-2026-q4"]
    assert [s.id for s in (zeus, q4, q3) if matches(s, "ZEU")] == ["zeus-2026-q1"]
    assert [s.id for s in (zeus, q4, q3) if matches(s, "dana")] == ["apollo-2026-q3"]
    assert all(matches(s, "") for s in (zeus, q4, q3))
    assert not matches(zeus, "nobody")


# --- carry-over ------------------------------------------------------------------------------


def test_carry_over_copies_open_actions_with_their_origin(model: MaturityModel) -> None:
    previous = with_actions(session(model, "Apollo", "2026-Q3"), "open", "done", "open", "dropped")
    fresh = session(model, "Apollo", "2026-Q4")
    fresh.actions.append(Action(id=1, title="New this quarter"))
    added = carry_over(fresh, previous)
    assert [(a.id, a.carried_from, a.carried_id, a.status) for a in added] == [
        (2, "apollo-2026-q3", 1, "open"),
        (3, "apollo-2026-q3", 3, "open"),
    ]
    assert added[0].title == "Action 1 [bold]"
    assert (added[0].owner, added[0].due) == ("Ben", date(2027, 1, 31))
    assert carried_actions(fresh) == added
    dumps_session(fresh)  # still a valid session


def test_carry_over_is_idempotent_even_after_review_and_a_reload(
    model: MaturityModel, tmp_path: Path
) -> None:
    previous = with_actions(session(model, "Apollo", "2026-Q3"), "open", "open")
    fresh = session(model, "Apollo", "2026-Q4")
    carry_over(fresh, previous)
    review_carried(fresh, 1, "done")
    assert carry_over(fresh, previous) == []
    path = session_path(tmp_path, fresh.id)
    save_session(fresh, path)
    resumed = load_session(path)
    assert carry_over(resumed, previous) == []
    assert [(a.carried_id, a.status) for a in resumed.actions] == [(1, "done"), (2, "open")]


def test_carry_over_from_itself_does_nothing(model: MaturityModel) -> None:
    s = with_actions(session(model, "Apollo", "2026-Q3"), "open")
    assert carry_over(s, s) == []
    assert len(s.actions) == 1


def test_carried_action_loses_an_indicator_the_new_model_lacks(model: MaturityModel) -> None:
    previous = with_actions(session(model, "Apollo", "2026-Q3"), "open")
    previous.actions[0].indicator = "gone-indicator"
    fresh = session(model, "Apollo", "2026-Q4")
    (copy,) = carry_over(fresh, previous)
    assert copy.indicator is None
    dumps_session(fresh)


def test_review_carried_sets_each_status_and_refuses_other_actions(model: MaturityModel) -> None:
    previous = with_actions(session(model, "Apollo", "2026-Q3"), "open")
    fresh = session(model, "Apollo", "2026-Q4")
    fresh.actions.append(Action(id=1, title="Own action"))
    (copy,) = carry_over(fresh, previous)
    for status in ("done", "dropped", "open"):
        assert review_carried(fresh, copy.id, status).status == status  # type: ignore[arg-type]
    with pytest.raises(LookupError):
        review_carried(fresh, 1, "done")
    with pytest.raises(LookupError):
        review_carried(fresh, 99, "done")


# --- next period -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2026-Q4", "2027-Q1"),
        ("2026-Q1", "2026-Q2"),
        ("2026-H1", "2026-H2"),
        ("2026-H2", "2027-H1"),
        ("Sprint 42", "2026-Q4"),
        ("2026-Q5", "2026-Q4"),
    ],
)
def test_next_period(period: str, expected: str) -> None:
    assert next_period(period, NOW) == expected


def test_duplicate_for_next_period(model: MaturityModel, tmp_path: Path) -> None:
    old = with_actions(session(model, "Apollo", "2026-Q4"), "open", "done")
    old.voting = "named"
    old.facilitator = "Dana"
    old.rating_or_new("scheduled-interactions").votes = {"Ana": 4, "Ben": 3}
    set_reading(old, "nps", "32")
    save_session(old, session_path(tmp_path, old.id))
    taken = session(model, "Apollo", "2027-Q1")
    save_session(taken, session_path(tmp_path, taken.id))

    fresh = duplicate_for_next_period(old, tmp_path, NOW)
    assert fresh.id == "apollo-2027-q1-2"  # the plain name is taken
    assert (fresh.period, fresh.team, fresh.participants) == ("2027-Q1", "Apollo", ["Ana", "Ben"])
    assert (fresh.voting, fresh.facilitator, fresh.model) == ("named", "Dana", old.model)
    assert fresh.ratings == [] and fresh.readings == []
    assert [(a.carried_from, a.carried_id) for a in fresh.actions] == [("apollo-2026-q4", 1)]
    assert fresh.started_at == NOW
