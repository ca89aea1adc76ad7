"""Work across quarters: history order, carry-over, next period, trash and readings entry."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import pytest

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Action, MaturityModel, Session, new_session
from maturity_tui.quarters import (
    ReadingError,
    arrows,
    carried_actions,
    carry_over,
    direction,
    duplicate_for_next_period,
    library_key,
    matches,
    move_to_trash,
    movers,
    next_period,
    parse_number,
    previous_in_folder,
    previous_session,
    review_carried,
    set_reading,
    team_history,
    trash_session,
)
from maturity_tui.storage import (
    SessionLock,
    SessionLocked,
    builtin_models,
    dumps_session,
    load_session,
    save_session,
    session_path,
    slugify,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def model() -> MaturityModel:
    return builtin_models()[0].model


def session(
    model: MaturityModel, team: str, period: str, started: datetime = NOW, sid: str = ""
) -> Session:
    return new_session(
        sid or slugify(f"{team} {period}"),
        model,
        team,
        participants=["Ana", "Ben"],
        period=period,
        now=started,
    )


def with_actions(s: Session, *statuses: str) -> Session:
    for number, status in enumerate(statuses, start=1):
        s.actions.append(
            Action.model_validate(
                {
                    "id": number,
                    "title": f"Action {number} [bold]",
                    "owner": "Ben",
                    "due": date(2027, 1, 31),
                    "indicator": "scheduled-interactions",
                    "status": status,
                }
            )
        )
    return s


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


# --- trash -----------------------------------------------------------------------------------


def test_move_to_trash_never_erases_and_suffixes_a_name_clash(tmp_path: Path) -> None:
    first = tmp_path / "apollo-2026-q4.toml"
    first.write_text("one")
    moved = move_to_trash(first, tmp_path)
    assert moved == tmp_path / ".trash" / "apollo-2026-q4.toml"
    assert not first.exists() and moved.read_text() == "one"
    first.write_text("two")
    again = move_to_trash(first, tmp_path)
    assert again == tmp_path / ".trash" / "apollo-2026-q4-2.toml"
    assert moved.read_text() == "one" and again.read_text() == "two"
    assert [p.name for p in tmp_path.glob("*.toml")] == []  # out of the library's sight


def test_trash_session_refuses_a_session_open_in_a_workshop(tmp_path: Path) -> None:
    path = tmp_path / "apollo-2026-q4.toml"
    path.write_text("one")
    with SessionLock(path), pytest.raises(SessionLocked):
        trash_session(path, tmp_path)
    assert path.read_text() == "one"
    assert trash_session(path, tmp_path) == tmp_path / ".trash" / "apollo-2026-q4.toml"
    assert list(tmp_path.glob("*.toml*")) == []  # no lock file left behind either


# --- readings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32", 32), (" -5 ", -5), ("32.0", 32), ("80.5", 80.5), ("1e2", 100)],
)
def test_parse_number_gives_int_when_integral(text: str, expected: float) -> None:
    value = parse_number(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["abc", "12abc", "nan", "inf", "-inf", "1,5", ""])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_set_reading_stores_numbers_in_metric_order(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32", "after the survey")
    set_reading(s, "csat", "81.5")
    assert [(r.metric, r.value, r.note) for r in s.readings] == [
        ("csat", 81.5, None),
        ("nps", 32, "after the survey"),
    ]
    dumps_session(s)


@pytest.mark.parametrize(
    ("metric", "text", "message"),
    [
        ("nps", "lots", "Net Promoter Score: 'lots' is not a number"),
        ("nps", "150", "Net Promoter Score: 150 is not between -100 and 100"),
        ("csat", "-0.5", "Customer Satisfaction: -0.5 is not between 0 and 100"),
    ],
)
def test_set_reading_rejects_bad_numbers_and_keeps_the_old_value(
    model: MaturityModel, metric: str, text: str, message: str
) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, metric, "10")
    with pytest.raises(ReadingError) as error:
        set_reading(s, metric, text)
    assert str(error.value) == message
    assert s.reading(metric) is not None and s.reading(metric).value == 10  # type: ignore[union-attr]


def test_set_reading_keeps_qualitative_text_literally(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    text = " [bold]two[/] quotes \x1b[31m 42 "
    reading = set_reading(s, "testimonials", text, "[red]note[/]")
    assert reading is not None and reading.value == text and reading.note == "[red]note[/]"
    assert load_back(s).reading("testimonials").value == text  # type: ignore[union-attr]


def load_back(s: Session) -> Session:
    return Session.model_validate(tomllib.loads(dumps_session(s)))


def test_an_empty_entry_clears_the_reading(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32")
    assert set_reading(s, "nps", "   ") is None
    assert s.readings == []
    assert set_reading(s, "nps", "") is None  # clearing nothing is fine too


def test_set_reading_keeps_a_recalibrated_target(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32")
    s.readings[0].target = 40
    set_reading(s, "nps", "35")
    assert (s.readings[0].value, s.readings[0].target) == (35, 40)


def test_set_reading_of_an_unknown_metric(model: MaturityModel) -> None:
    with pytest.raises(LookupError):
        set_reading(session(model, "Apollo", "2026-Q4"), "nope", "1")


# --- trends ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "better", "expected"),
    [
        (5, "higher", "better"),
        (-5, "higher", "worse"),
        (-0.5, "lower", "better"),
        (2, "lower", "worse"),
        (0, "higher", "steady"),
        (None, "higher", None),
    ],
)
def test_direction_follows_the_metrics_better(
    change: float | None, better: Literal["higher", "lower"], expected: str | None
) -> None:
    assert direction(change, better) == expected


def test_arrows_compare_with_the_last_known_value() -> None:
    assert arrows([3, 4, None, 2, 2, None]) == ["", "↑", "", "↓", "→", ""]
    assert arrows([None, 1]) == ["", ""]


def test_movers_largest_first_ties_in_model_order(model: MaturityModel) -> None:
    first, second = (session(model, "Apollo", p) for p in ("2026-Q3", "2026-Q4"))
    for indicator, (before, after) in {
        "key-customers-known": (2, 4),
        "feedback-reaches-team": (1, 4),
        "requests-answered": (3, 3),
        "touchpoints-known": (5, 4),
        "scheduled-interactions": (2, 4),
    }.items():
        first.rating_or_new(indicator).consensus = before
        second.rating_or_new(indicator).consensus = after
    risers, fallers = movers(compare_sessions([first, second]).indicators, 2)
    assert [t.id for t in risers] == ["feedback-reaches-team", "key-customers-known"]
    assert [t.id for t in fallers] == ["touchpoints-known"]
