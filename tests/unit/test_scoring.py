"""Every scoring rule of DESIGN.md, each on a tiny model where the answer is plain to see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from maturity_tui.domain import MaturityModel, Rating, Session
from maturity_tui.scoring import agreed_rating, score_session, vote_stats

ModelBuilder = Callable[..., dict[str, Any]]
SessionBuilder = Callable[..., Session]

# tiny_model's default: indicator a on level 1, b and c on level 2, d on level 3;
# scale 1..5, achieved_at 4, contested_spread 2.
ALL_ACHIEVED: dict[str, list[int] | dict[str, object]] = {
    "a": [4],
    "b": [4],
    "c": [5],
    "d": [4],
}


@pytest.fixture
def scale(make_model: ModelBuilder) -> MaturityModel:
    return MaturityModel.model_validate(make_model())


# --- Vote statistics -----------------------------------------------------------------------


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values(scale: MaturityModel) -> None:
    assert vote_stats([5, 2, 4, 3], scale.scale).median == 3.5


def test_median_of_an_odd_count_is_the_middle_value(scale: MaturityModel) -> None:
    assert vote_stats([5, 1, 3], scale.scale).median == 3


def test_statistics_count_mean_min_max_spread(scale: MaturityModel) -> None:
    stats = vote_stats([2, 5, 5, 4], scale.scale)
    assert (stats.count, stats.mean, stats.min, stats.max, stats.spread) == (4, 4.0, 2, 5, 3)


def test_histogram_has_every_scale_point_in_scale_order(scale: MaturityModel) -> None:
    histogram = vote_stats([4, 2, 4], scale.scale).histogram
    assert list(histogram.items()) == [(1, 0), (2, 1), (3, 0), (4, 2), (5, 0)]


def test_contested_when_spread_reaches_contested_spread(scale: MaturityModel) -> None:
    assert vote_stats([3, 5], scale.scale).contested
    assert not vote_stats([3, 4, 4], scale.scale).contested


def test_no_votes_have_a_count_of_zero_and_no_figures(scale: MaturityModel) -> None:
    stats = vote_stats([], scale.scale)
    assert stats.count == 0
    assert (stats.median, stats.mean, stats.min, stats.max, stats.spread) == (None,) * 5
    assert not stats.contested
    assert sum(stats.histogram.values()) == 0


# --- Agreed rating -------------------------------------------------------------------------


def test_agreed_rating_is_the_consensus_over_the_votes() -> None:
    assert agreed_rating(Rating(indicator="a", votes=[5, 5, 5], consensus=2)) == 2


def test_agreed_rating_is_the_consensus_without_votes() -> None:
    assert agreed_rating(Rating(indicator="a", consensus=3)) == 3


def test_agreed_rating_takes_the_lower_middle_value_of_an_even_count() -> None:
    assert agreed_rating(Rating(indicator="a", votes=[4, 3])) == 3
    assert agreed_rating(Rating(indicator="a", votes=[5, 2, 4, 3])) == 3


def test_agreed_rating_is_the_median_of_an_odd_count() -> None:
    assert agreed_rating(Rating(indicator="a", votes=[5, 1, 4])) == 4


def test_no_agreed_rating_without_votes_or_consensus() -> None:
    assert agreed_rating(None) is None
    assert agreed_rating(Rating(indicator="a")) is None
    assert agreed_rating(Rating(indicator="a", votes=[])) is None


# --- Achieved and not applicable ------------------------------------------------------------


def test_achieved_when_the_agreed_rating_reaches_achieved_at(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"a": [4], "b": [3, 5, 2], "c": [5]}))
    achieved = {s.id: s.achieved for s in score.indicators}
    assert achieved == {"a": True, "b": False, "c": True, "d": False}


def test_not_applicable_indicator_does_not_block_its_gate(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"a": {"not_applicable": True}, "b": [4]}))
    assert score.standing.gates_passed[0]
    assert score.level == 1
    assert [s.id for s in score.standing.blocking] == ["c"]


def test_not_applicable_indicator_is_left_out_of_progress(make_session: SessionBuilder) -> None:
    score = score_session(
        make_session(ratings={"a": [4], "b": [5], "c": {"not_applicable": True, "votes": [1]}})
    )
    assert score.level == 2  # c would have blocked level 2
    assert score.next_level == 3
    assert score.progress == 0.0  # d alone counts toward level 3


def test_not_applicable_indicator_is_left_out_of_objectives(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"a": [4], "b": {"not_applicable": True}}))
    assert [o.indicator.id for o in score.objectives if o.indicator] == ["c"]


def test_not_applicable_indicator_is_left_out_of_completeness(
    make_session: SessionBuilder,
) -> None:
    ratings = {**ALL_ACHIEVED, "d": {"not_applicable": True}}
    assert score_session(make_session(ratings=ratings)).complete


def test_not_applicable_indicator_still_shows_its_vote_statistics(
    make_session: SessionBuilder,
) -> None:
    score = score_session(make_session(ratings={"b": {"not_applicable": True, "votes": [1, 5]}}))
    b = next(s for s in score.indicators if s.id == "b")
    assert not b.applicable
    assert (b.stats.count, b.stats.spread, b.stats.contested) == (2, 4, True)
    assert b in score.contested


# --- Gates, placement, next level ----------------------------------------------------------


def test_gate_of_a_level_includes_every_lower_level(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"a": [2], "b": [4], "c": [4], "d": [4]}))
    assert score.standing.gates_passed == (False, False, False)


def test_placement_is_the_highest_level_with_an_empty_blocking_set(
    make_session: SessionBuilder,
) -> None:
    score = score_session(make_session(ratings={"a": [4], "b": [4], "c": [5], "d": [3]}))
    assert score.standing.gates_passed == (True, True, False)
    assert (score.level, score.next_level) == (2, 3)


def test_placement_never_falls_below_the_lowest_level(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"a": [1]}))
    assert score.level == 1
    assert score.next_level == 2


def test_no_next_level_and_no_progress_at_the_top_level(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings=ALL_ACHIEVED))
    assert (score.level, score.next_level, score.progress) == (3, None, None)
    assert score.standing.blocking == ()


def test_unrated_indicator_is_not_achieved_and_blocks(make_session: SessionBuilder) -> None:
    score = score_session(make_session(ratings={"b": [4], "c": [4], "d": [4]}))
    assert score.level == 1
    assert [s.id for s in score.standing.blocking] == ["a"]


# --- Progress -----------------------------------------------------------------------------


def test_progress_is_the_share_of_the_next_levels_indicators_achieved(
    make_session: SessionBuilder,
) -> None:
    score = score_session(make_session(ratings={"a": [4], "b": [4], "c": [3]}))
    assert (score.level, score.progress) == (1, 0.5)


def test_progress_counts_lower_blocking_indicators_when_the_floor_applies(
    make_session: SessionBuilder,
) -> None:
    # a (level 1) is not achieved, b and c (level 2) are: 1 - |{a}| / |{b, c} + {a}|.
    score = score_session(make_session(ratings={"a": [2], "b": [4], "c": [4]}))
    assert score.level == 1
    assert score.progress == pytest.approx(2 / 3)


def test_progress_is_zero_when_nothing_toward_the_next_level_is_achieved(
    make_session: SessionBuilder,
) -> None:
    assert score_session(make_session()).progress == 0.0


# --- Objectives ---------------------------------------------------------------------------


def test_objectives_start_with_the_placed_levels_advancement_items(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    model = make_model(advancement={1: ["Talk to users"], 2: ["Measure"]})
    score = score_session(make_session(model, {"a": [4], "b": [3]}))
    assert [(o.kind, o.text) for o in score.objectives[:1]] == [("advancement", "Talk to users")]
    assert all(o.kind == "indicator" for o in score.objectives[1:])


def test_objectives_order_blocking_by_level_then_unrated_then_lowest_then_model_order(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    model = make_model({"a": 1, "p": 2, "q": 2, "r": 2, "s": 2, "t": 2, "u": 3})
    # a blocks on level 1 (the floor); on level 2: q and t unrated, s at 1, p and r at 3.
    score = score_session(make_session(model, {"a": [3], "p": [3], "r": [3], "s": [1]}))
    assert [o.indicator.id for o in score.objectives if o.indicator] == [
        "a",
        "q",
        "t",
        "s",
        "p",
        "r",
    ]


def test_indicator_objectives_carry_agreed_rating_and_achieved_at_as_target(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    score = score_session(make_session(make_model(achieved_at=3), {"a": [5], "b": [2]}))
    objectives = [(o.indicator.id, o.indicator.agreed, o.target) for o in score.objectives]
    assert objectives == [("c", None, 3), ("b", 2, 3)]


def test_no_objectives_at_the_top_level_but_its_advancement_items(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    model = make_model(advancement={3: ["Keep it up"]})
    score = score_session(make_session(model, ALL_ACHIEVED))
    assert [(o.kind, o.text) for o in score.objectives] == [("advancement", "Keep it up")]


# --- Complete -----------------------------------------------------------------------------


def test_complete_when_every_applicable_indicator_has_an_agreed_rating(
    make_session: SessionBuilder,
) -> None:
    score = score_session(make_session(ratings={"a": [1], "b": [2], "c": {"consensus": 3}}))
    assert not score.complete
    assert [s.id for s in score.unrated] == ["d"]
    assert score_session(make_session(ratings={**ALL_ACHIEVED, "d": [1]})).complete


# --- Dimensions ---------------------------------------------------------------------------


@pytest.fixture
def two_dimensions(make_model: ModelBuilder) -> dict[str, object]:
    # listening: a (level 1) and d (level 3), nothing on level 2; measurement: b, c (level 2).
    return make_model(
        dimensions={"a": "listening", "b": "measurement", "c": "measurement", "d": "listening"}
    )


def test_dimension_with_no_indicator_on_a_level_passes_that_gate(
    two_dimensions: dict[str, object], make_session: SessionBuilder
) -> None:
    score = score_session(make_session(two_dimensions, {"a": [4], "d": [4]}))
    listening = score.dimensions[0]
    assert (listening.id, listening.standing.level, listening.standing.next_level) == (
        "listening",
        3,
        None,
    )
    assert score.level == 1  # the staged overall level still waits for b and c


def test_dimension_standing_uses_only_its_own_indicators(
    two_dimensions: dict[str, object], make_session: SessionBuilder
) -> None:
    score = score_session(make_session(two_dimensions, {"a": [4], "b": [5], "d": [2]}))
    listening, measurement = score.dimensions
    assert (listening.standing.level, listening.standing.progress) == (2, 0.0)
    assert (measurement.standing.level, measurement.standing.progress) == (1, 0.5)
    assert measurement.name == "Measurement"


def test_model_without_dimensions_has_no_dimension_standings(
    make_session: SessionBuilder,
) -> None:
    assert score_session(make_session()).dimensions == ()


# --- Readings against targets -------------------------------------------------------------

NPS = {
    "id": "nps",
    "name": "NPS",
    "kind": "quantitative",
    "min": -100,
    "max": 100,
    "target": 30,
}
CHURN = {"id": "churn", "name": "Churn", "kind": "quantitative", "better": "lower", "target": 5}
QUOTES = {"id": "quotes", "name": "Quotes", "kind": "qualitative"}
VISITS = {"id": "visits", "name": "Visits", "kind": "quantitative"}


def readings_met(
    make_model: ModelBuilder, make_session: SessionBuilder, *readings: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    model = make_model(metrics=[NPS, CHURN, QUOTES, VISITS])
    score = score_session(make_session(model, readings=list(readings)))
    return {r.metric.id: (r.target, r.met) for r in score.readings}


def test_reading_meets_the_metric_target_when_higher_is_better(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    met = readings_met(make_model, make_session, {"metric": "nps", "value": 30})
    assert met == {"nps": (30, True)}
    met = readings_met(make_model, make_session, {"metric": "nps", "value": 29.5})
    assert met == {"nps": (30, False)}


def test_reading_meets_the_target_when_lower_is_better(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    assert readings_met(make_model, make_session, {"metric": "churn", "value": 4}) == {
        "churn": (5, True)
    }
    assert readings_met(make_model, make_session, {"metric": "churn", "value": 6}) == {
        "churn": (5, False)
    }


def test_reading_target_overrides_the_metric_target(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    met = readings_met(make_model, make_session, {"metric": "nps", "value": 32, "target": 40})
    assert met == {"nps": (40, False)}


def test_no_verdict_for_a_qualitative_metric_or_without_a_target(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    met = readings_met(
        make_model,
        make_session,
        {"metric": "visits", "value": 12},
        {"metric": "quotes", "value": "They love it"},
    )
    assert met == {"quotes": (None, None), "visits": (None, None)}


def test_readings_follow_the_models_metric_order_and_skip_unread_metrics(
    make_model: ModelBuilder, make_session: SessionBuilder
) -> None:
    met = readings_met(
        make_model,
        make_session,
        {"metric": "visits", "value": 1},
        {"metric": "nps", "value": 1},
    )
    assert list(met) == ["nps", "visits"]
