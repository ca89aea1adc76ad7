"""Scoring made quicker gives exactly what the plain rules give: the first implementations of
`score_indicators` and `standing`, kept here as the reference, against generated sessions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given
from test_format2_properties import score_sessions
from test_properties import PROPERTIES, sessions

from maturity_tui.domain import Session
from maturity_tui.scoring import (
    IndicatorScore,
    Standing,
    agreed_rating,
    agreed_trend,
    score_indicators,
    standing,
)


def reference_score_indicators(session: Session) -> tuple[IndicatorScore, ...]:
    model = session.model
    scores = []
    for position, indicator in enumerate(model.indicators):
        rating = session.rating(indicator.id)
        agreed = agreed_rating(rating)
        scale = model.scale_for(indicator.id)
        scores.append(
            IndicatorScore(
                indicator=indicator,
                position=position,
                votes=rating.vote_values if rating else (),
                scale=scale,
                agreed=agreed,
                achieved=scale.achieved(agreed),
                applicable=rating is None or rating.applicable,
                trend=agreed_trend(rating),
            )
        )
    return tuple(scores)


def reference_standing(scores: Sequence[IndicatorScore], levels: range) -> Standing:
    first, top = levels.start, levels.stop - 1
    applicable_by_level: list[list[IndicatorScore]] = [[] for _ in range(top + 1)]
    for score in scores:
        if score.applicable and score.indicator.level is not None:
            applicable_by_level[score.indicator.level].append(score)
    missing_by_level = [[s for s in group if not s.achieved] for group in applicable_by_level]
    gates_passed = []
    blocked = False
    for number in levels:
        blocked = blocked or bool(missing_by_level[number])
        gates_passed.append(not blocked)
    level = max(
        [n for n, passed in zip(levels, gates_passed, strict=True) if passed], default=first
    )
    if level == top:
        return Standing(level, None, None, (), tuple(gates_passed))
    next_level = level + 1
    blocking = tuple(s for n in range(first, next_level + 1) for s in missing_by_level[n])
    counted = len(applicable_by_level[next_level]) + sum(
        len(missing_by_level[n]) for n in range(first, next_level)
    )
    progress = 1 - len(blocking) / counted
    return Standing(level, next_level, progress, blocking, tuple(gates_passed))


def assert_scored_as_the_reference(session: Session) -> None:
    scores = score_indicators(session)
    assert scores == reference_score_indicators(session)
    assert [type(s.agreed) for s in scores] == [
        type(s.agreed) for s in reference_score_indicators(session)
    ]  # 4 and 4.0 are equal, but shown differently
    levels = session.model.level_numbers
    assert standing(scores, levels) == reference_standing(scores, levels)
    for dimension in session.model.dimensions:
        own = [s for s in scores if s.indicator.dimension == dimension.id]
        assert standing(own, levels) == reference_standing(own, levels)


@PROPERTIES
@given(session=sessions())
def test_staged_sessions_score_as_the_reference(session: Session) -> None:
    assert_scored_as_the_reference(session)


@PROPERTIES
@given(data=score_sessions())
def test_score_sessions_score_as_the_reference(data: dict[str, Any]) -> None:
    """Answer sets, decimal answers and not-applicable ones; standing over their levels too
    (the staged sessions' small model has an answer's achieved_at below the top)."""
    assert_scored_as_the_reference(Session.model_validate(data))
