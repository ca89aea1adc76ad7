"""Properties of score and board scoring over generated format-2 models and sessions.

A higher answer never lowers a score; a score stays within what its answers allow; a
not-applicable indicator leaves every mean as if the model did not have it.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maturity_tui.domain import Session
from maturity_tui.scoring import SessionScore, board_counts, score_session

PROPERTIES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALUES = [0, 0.1, 0.25, 0.5, 0.75, 1, 2]
STARTED = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@st.composite
def score_sessions(draw: st.DrawFn) -> dict[str, Any]:
    """A score model's session data: groups, streams, answer sets, any mix of ratings."""
    sets = draw(
        st.lists(
            st.lists(st.sampled_from(VALUES), min_size=2, max_size=4, unique=True).map(sorted),
            min_size=1,
            max_size=3,
        )
    )

    def points(values: list[float]) -> list[dict[str, Any]]:
        return [{"value": v, "label": f"answer {v}"} for v in values]

    answer_sets = [{"id": f"set-{n}", "points": points(v)} for n, v in enumerate(sets)]
    dimension_count = draw(st.integers(1, 3))
    indicators = []
    for d in range(dimension_count):
        for n in range(draw(st.integers(1, 4))):
            answers = draw(st.sampled_from([None, *(a["id"] for a in answer_sets)]))
            indicator = {
                "id": f"d{d}-i{n}",
                "level": draw(st.integers(1, 3)),
                "dimension": f"d{d}",
                "statement": f"Statement {d}.{n}",
            }
            stream = draw(st.sampled_from([None, "A", "B"]))
            if stream:
                indicator["stream"] = stream
            if answers:
                indicator["answers"] = answers
            indicators.append(indicator)
    values_of = {a["id"]: sets[n] for n, a in enumerate(answer_sets)} | {None: [0, 1]}
    ratings = []
    for indicator in indicators:
        values = values_of[indicator.get("answers")]
        kind = draw(st.sampled_from(["none", "consensus", "votes", "n/a"]))
        if kind == "consensus":
            ratings.append(
                {"indicator": indicator["id"], "consensus": draw(st.sampled_from(values))}
            )
        elif kind == "votes":
            votes = draw(st.lists(st.sampled_from(values), min_size=1, max_size=5))
            ratings.append({"indicator": indicator["id"], "votes": votes})
        elif kind == "n/a":
            ratings.append({"indicator": indicator["id"], "not_applicable": True})
    model = {
        "format": "maturity-model",
        "format_version": 2,
        "id": "generated",
        "name": "Generated",
        "version": "1",
        "scoring": "score",
        "scale": {"contested_spread": 1, "points": points([0, 1])},
        "answer_sets": answer_sets,
        "levels": [{"number": n, "name": f"Level {n}"} for n in (1, 2, 3)],
        "groups": [{"id": "g0", "name": "G0"}, {"id": "g1", "name": "G1"}],
        "dimensions": [
            {"id": f"d{d}", "name": f"D{d}", "group": f"g{d % 2}"} for d in range(dimension_count)
        ],
        "indicators": indicators,
    }
    return {
        "format": "maturity-session",
        "format_version": 2,
        "id": "generated-2026-q4",
        "team": "Generated",
        "period": "2026-Q4",
        "started_at": STARTED,
        "updated_at": STARTED,
        "voting": "anonymous",
        "model": model,
        "ratings": ratings,
    }


def scores(session: SessionScore) -> list[float | None]:
    """Every score a session has: overall, each group, each dimension, each stream."""
    return [
        session.score,
        *(g.score for g in session.groups),
        *(d.score for d in session.dimensions),
        *(s.score for d in session.dimensions for s in d.streams),
    ]


@PROPERTIES
@given(score_sessions(), st.data())
def test_a_higher_answer_never_lowers_a_score(data: dict[str, Any], draw: st.DataObject) -> None:
    session = Session.model_validate(data)
    indicator = draw.draw(st.sampled_from(session.model.indicators))
    values = session.model.scale_for(indicator.id).values
    low, high = sorted(draw.draw(st.lists(st.sampled_from(values), min_size=2, max_size=2)))
    before, after = (
        score_session(_with_consensus(data, indicator.id, value)) for value in (low, high)
    )
    for old, new in zip(scores(before), scores(after), strict=True):
        assert (old is None) == (new is None)
        assert old is None or new is None or new >= old


def _with_consensus(data: dict[str, Any], indicator_id: str, value: float) -> Session:
    changed = copy.deepcopy(data)
    changed["ratings"] = [r for r in changed["ratings"] if r["indicator"] != indicator_id]
    changed["ratings"].append({"indicator": indicator_id, "consensus": value})
    return Session.model_validate(changed)


@PROPERTIES
@given(score_sessions())
def test_a_score_stays_within_its_possible_range(data: dict[str, Any]) -> None:
    session = Session.model_validate(data)
    scored = score_session(session)
    for dimension in scored.dimensions:
        streams: dict[str | None, list[float]] = {}
        for s in scored.indicators:
            if s.indicator.dimension == dimension.id and s.applicable:
                bounds = streams.setdefault(s.indicator.stream, [0.0, 0.0])
                bounds[0] += min(s.scale.bottom, 0)  # an unrated answer counts 0
                bounds[1] += s.scale.top
        if not streams:
            assert dimension.score is None
            continue
        assert dimension.score is not None
        low = sum(b[0] for b in streams.values()) / len(streams)
        high = sum(b[1] for b in streams.values()) / len(streams)
        assert low - 1e-9 <= dimension.score <= high + 1e-9
        for stream in dimension.streams:
            assert stream.score >= 0
    known = [d.score for d in scored.dimensions if d.score is not None]
    if known:
        assert scored.score is not None
        assert min(known) - 1e-9 <= scored.score <= max(known) + 1e-9


@PROPERTIES
@given(score_sessions(), st.data())
def test_not_applicable_is_as_if_the_indicator_were_absent(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    indicators = data["model"]["indicators"]
    gone = draw.draw(st.sampled_from(indicators))
    # The model refuses a dimension without indicators, so keep at least one beside it.
    assume(sum(i["dimension"] == gone["dimension"] for i in indicators) > 1)
    marked = copy.deepcopy(data)
    marked["ratings"] = [r for r in marked["ratings"] if r["indicator"] != gone["id"]]
    # Its votes, if any, still count in its statistics, never in a score.
    top = Session.model_validate(data).model.scale_for(gone["id"]).top
    marked["ratings"].append({"indicator": gone["id"], "not_applicable": True, "votes": [top]})
    absent = copy.deepcopy(data)
    absent["model"]["indicators"] = [i for i in indicators if i["id"] != gone["id"]]
    absent["ratings"] = [r for r in absent["ratings"] if r["indicator"] != gone["id"]]
    with_na = score_session(Session.model_validate(marked))
    without = score_session(Session.model_validate(absent))
    assert scores(with_na) == scores(without)
    assert [o.indicator.id for o in with_na.objectives if o.indicator] == [
        o.indicator.id for o in without.objectives if o.indicator
    ]
    assert with_na.complete == without.complete


@PROPERTIES
@given(score_sessions())
def test_board_counts_cover_every_applicable_card_once(data: dict[str, Any]) -> None:
    """Coloured like a board: each applicable card is red, amber, green or unrated."""
    model = data["model"]
    colors = ["red", "amber", "green"]
    for answers in [model["scale"], *model["answer_sets"]]:
        for n, point in enumerate(answers["points"]):
            point["color"] = colors[min(n, 2)]
    scored = score_session(Session.model_validate(data))
    counts = board_counts(scored.indicators)
    applicable = sum(1 for s in scored.indicators if s.applicable)
    assert counts.red + counts.amber + counts.green + counts.unrated == applicable
