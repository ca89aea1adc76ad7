"""Comparing sessions (DESIGN: compare): order, absent is not zero, deltas, readings, actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest
from teamkit import session

from maturity_tui.compare import arrows, compare_sessions, delta, direction, movers
from maturity_tui.domain import MaturityModel, Session
from maturity_tui.scoring import score_session

ModelBuilder = Callable[..., dict[str, Any]]
SessionBuilder = Callable[..., Session]

STARTED = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)

METRICS = [
    {"id": "nps", "name": "NPS", "kind": "quantitative", "min": -100, "max": 100, "target": 30},
    {"id": "quotes", "name": "Quotes", "kind": "qualitative"},
]


def at(make_session: SessionBuilder, days: int, *args: Any, **fields: Any) -> Session:
    """A session started `days` after STARTED, named after that day."""
    moment = STARTED + timedelta(days=days)
    return make_session(
        *args, id=f"s{days}", started_at=moment, updated_at=moment, period=f"P{days}", **fields
    )


def test_sessions_come_oldest_first_whatever_the_order_given(
    make_session: SessionBuilder,
) -> None:
    sessions = [at(make_session, days) for days in (30, 0, 90, 60)]
    comparison = compare_sessions(sessions)
    assert [c.id for c in comparison.columns] == ["s0", "s30", "s60", "s90"]


def test_an_indicator_absent_from_a_session_is_none_not_zero(
    make_session: SessionBuilder, make_model: ModelBuilder
) -> None:
    old = at(make_session, 0, make_model({"a": 1, "b": 2}), {"a": [4], "b": [2]})
    new = at(make_session, 1, make_model({"a": 1, "c": 2}), {"a": [5], "c": [3]})
    rows = {t.id: t for t in compare_sessions([new, old]).indicators}
    assert [t for t in rows] == ["a", "b", "c"], "order of first appearance, oldest first"
    assert rows["b"].ratings == (2, None)
    assert rows["c"].ratings == (None, 3)
    assert rows["b"].applicable == (True, None)
    assert rows["b"].delta is None and rows["c"].delta is None
    assert rows["a"].delta == 1


def test_delta_is_last_minus_first_known_rating(make_session: SessionBuilder) -> None:
    sessions = [
        at(make_session, 0, None, {"a": [2]}),
        at(make_session, 1, None, {}),
        at(make_session, 2, None, {"a": [5]}),
        at(make_session, 3, None, {}),
    ]
    (a, *_) = compare_sessions(sessions).indicators
    assert a.ratings == (2, None, 5, None)
    assert a.delta == 3


def test_delta_needs_two_known_values_to_say_anything_moved() -> None:
    assert delta([None, 4, None]) is None
    assert delta([]) is None
    assert delta([4, None, 4]) == 0
    assert delta([5, 3]) == -2
    assert delta([0.1, 0.4]) == 0.3, "no binary noise in float deltas"


def test_a_rating_not_applicable_has_no_rating_and_is_marked(make_session: SessionBuilder) -> None:
    sessions = [
        at(make_session, 0, None, {"a": [3]}),
        at(make_session, 1, None, {"a": {"consensus": 5, "not_applicable": True}}),
    ]
    (a, *_) = compare_sessions(sessions).indicators
    assert a.ratings == (3, None)
    assert a.applicable == (True, False)
    assert a.delta is None


def test_levels_progress_and_dimensions_are_the_scoring_rules(
    make_session: SessionBuilder, make_model: ModelBuilder
) -> None:
    model = make_model(dimensions={"a": "x", "b": "x", "c": "y", "d": "y"})
    session = at(make_session, 0, model, {"a": [4], "b": [5], "c": [2]})
    (column,) = compare_sessions([session]).columns
    score = score_session(session)
    assert (column.score.level, column.score.progress) == (score.level, score.progress)
    assert column.level_name == "Level 1", "c (level 2) is not achieved"
    dimensions = compare_sessions([session]).dimensions
    # x has nothing on level 3, so it passes that gate too.
    assert [(d.id, d.levels) for d in dimensions] == [("x", (3,)), ("y", (1,))]


def test_readings_line_up_by_metric_with_none_where_not_read(
    make_session: SessionBuilder, make_model: ModelBuilder
) -> None:
    model = make_model(metrics=METRICS)
    sessions = [
        at(make_session, 0, model, readings=[{"metric": "nps", "value": -12}]),
        at(make_session, 1, model, readings=[{"metric": "quotes", "value": "Loved it"}]),
        at(make_session, 2, model, readings=[{"metric": "nps", "value": 20, "target": 25}]),
    ]
    nps, quotes = compare_sessions(sessions).readings
    assert (nps.id, nps.values, nps.delta) == ("nps", (-12, None, 20), 32)
    assert nps.targets == (30, None, 25), "the reading's own target beats the model's"
    assert nps.met == (False, None, False)
    assert (quotes.values, quotes.delta) == ((None, "Loved it", None), None)


def test_level_and_dimension_deltas(make_session: SessionBuilder, make_model: ModelBuilder) -> None:
    model = make_model(dimensions={"a": "x", "b": "x", "c": "y", "d": "y"})
    sessions = [
        at(make_session, 0, model, {}),
        at(make_session, 1, model, {"a": [4], "b": [4], "c": [4], "d": [5]}),
    ]
    comparison = compare_sessions(sessions)
    assert comparison.level_delta == 2
    assert [(d.id, d.levels, d.delta) for d in comparison.dimensions] == [
        ("x", (1, 3), 2),
        ("y", (1, 3), 2),
    ]


def test_actions_are_counted_per_status(make_session: SessionBuilder) -> None:
    actions = [
        {"id": n, "title": f"Action {n}", "status": status}
        for n, status in enumerate(["open", "done", "open", "dropped"], start=1)
    ]
    (column,) = compare_sessions([at(make_session, 0, actions=actions)]).columns
    assert column.actions == {"open": 2, "done": 1, "dropped": 1}


def test_teams_are_listed_once_in_order(make_session: SessionBuilder) -> None:
    sessions = [at(make_session, n, team=team) for n, team in enumerate(["B", "A", "B"])]
    assert compare_sessions(sessions).teams == ["B", "A"]


def test_no_sessions_compare_to_nothing() -> None:
    comparison = compare_sessions([])
    assert (comparison.columns, comparison.indicators, comparison.readings) == ((), (), ())


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


def zero_to_three(make_model: ModelBuilder) -> dict[str, Any]:
    model = make_model(achieved_at=2)
    model["scale"]["points"] = [{"value": v, "label": f"point {v}"} for v in range(4)]
    return model


def test_a_change_of_scale_is_said_and_not_mixed_into_deltas(
    make_session: SessionBuilder, make_model: ModelBuilder
) -> None:
    """0..3 one quarter, 1..5 the next: a 3 then a 4 is no rise of one."""
    old = at(make_session, 0, zero_to_three(make_model), {"a": [3]})
    new = at(make_session, 1, make_model(), {"a": [4]})
    later = at(make_session, 2, make_model(), {"a": [5]})
    comparison = compare_sessions([old, new])
    assert comparison.scales == [(0, 1, 2, 3), (1, 2, 3, 4, 5)]
    assert comparison.scale_changed
    (trend,) = (t for t in comparison.indicators if t.id == "a")
    assert trend.ratings == (3, 4)
    assert trend.delta is None
    same_scale = compare_sessions([old, new, later])
    assert next(t for t in same_scale.indicators if t.id == "a").delta is None
    assert next(t for t in compare_sessions([new, later]).indicators if t.id == "a").delta == 1
    assert not compare_sessions([new, later]).scale_changed


def test_every_comparison_output_says_when_the_scale_changed(
    make_session: SessionBuilder, make_model: ModelBuilder
) -> None:
    from maturity_tui.export import compare_data, compare_markdown, compare_text

    old = at(make_session, 0, zero_to_three(make_model), {"a": [3]})
    new = at(make_session, 1, make_model(), {"a": [4]})
    comparison = compare_sessions([old, new])
    note = "The vote scale changed (0..3 in P0, 1..5 in P1)"
    assert note in compare_text(comparison)
    assert note in compare_markdown(comparison)
    data = compare_data(comparison)
    assert data["scale_changed"] is True
    assert [s["scale"] for s in data["sessions"]] == [[0, 1, 2, 3], [1, 2, 3, 4, 5]]
    assert "scale" not in compare_text(compare_sessions([new]))
