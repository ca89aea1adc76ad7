"""The domain refuses every invalid model and session DESIGN.md lists, with a clear message."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from maturity_tui.domain import MaturityModel, Session, new_session, quarter_of
from maturity_tui.storage import LoadError, validate_as

Data = dict[str, Any]
Builder = Callable[..., Data]


def problems(kind: type[MaturityModel | Session], data: Data) -> str:
    """What a user reads when this data comes from a file: every problem, one per line."""
    with pytest.raises(LoadError) as caught:
        validate_as(kind, data, Path("file.toml"))
    return "\n".join(caught.value.problems)


def edited(data: Data, edit: Callable[[Data], object]) -> Data:
    changed = copy.deepcopy(data)
    edit(changed)
    return changed


def test_tiny_model_and_session_are_valid(make_model: Builder, session_data: Builder) -> None:
    """The starting point every case below breaks in exactly one way."""
    session = Session.model_validate(session_data(ratings={"a": [4, 5]}))
    assert session.rating("a") is not None
    MaturityModel.model_validate(make_model(dimensions={"a": "x", "b": "x", "c": "y", "d": "y"}))


# --- Models -------------------------------------------------------------------------------


def _set(path: str, value: object) -> Callable[[Data], None]:
    """An edit that sets data[a][0][b]… for the dotted path "a.0.b"."""

    def edit(data: Data) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return edit


MODEL_CASES: dict[str, tuple[Callable[[Data], object], str]] = {
    "duplicate indicator ids": (_set("indicators.1.id", "a"), "duplicate indicator ids: a"),
    "duplicate dimension ids": (
        lambda m: m["dimensions"].append(dict(m["dimensions"][0])),
        "duplicate dimension ids: listening",
    ),
    "duplicate metric ids": (
        _set("metrics", [{"id": "m", "name": "M", "kind": "qualitative"}] * 2),
        "duplicate metric ids: m",
    ),
    "indicator on a missing level": (
        _set("indicators.3.level", 4),
        "indicator d is on level 4, which does not exist (levels 1..3)",
    ),
    "levels not numbered 1..N": (
        _set("levels.1.number", 3),
        "levels must be numbered 1..3 in order, found [1, 3, 3]",
    ),
    "levels not starting at 0 or 1": (
        lambda m: [level.update(number=level["number"] + 1) for level in m["levels"]],
        "levels must be numbered 1..3 in order, found [2, 3, 4]",
    ),
    "levels from 0 in a format-1 file": (
        lambda m: [level.update(number=level["number"] - 1) for level in m["levels"]],
        "a level numbered 0 needs format_version = 2 (this file says format_version = 1)",
    ),
    "scale not strictly ascending": (
        _set("scale.points.2.value", 2),
        "scale values must be strictly ascending, found [1, 2, 2, 4, 5]",
    ),
    "decimal scale value in a format-1 file": (
        _set("scale.points.2.value", 3.5),
        "the decimal scale value 3.5 needs format_version = 2",
    ),
    "achieved_at not on the scale": (
        _set("scale.achieved_at", 7),
        "achieved_at 7 is not a value of the scale [1, 2, 3, 4, 5]",
    ),
    "no indicators": (_set("indicators", []), "indicators: List should have at least 1 item"),
    "unknown dimension": (
        _set("indicators.0.dimension", "nowhere"),
        "indicator a names unknown dimension nowhere",
    ),
    "missing dimension when the model has them": (
        lambda m: m["indicators"][0].pop("dimension"),
        "indicator a needs a dimension: the model has them",
    ),
    "dimension with no indicators": (
        lambda m: m["dimensions"].append({"id": "empty", "name": "Empty"}),
        "dimension without indicators: empty",
    ),
    "metric min above max": (
        _set("metrics", [{"id": "m", "name": "M", "kind": "quantitative", "min": 5, "max": 1}]),
        "metric m: min 5 is above max 1",
    ),
    "metric target outside min and max": (
        _set(
            "metrics",
            [{"id": "m", "name": "M", "kind": "quantitative", "max": 10, "target": 11}],
        ),
        "metric m: target 11 lies outside min/max",
    ),
    "qualitative metric with a target": (
        _set("metrics", [{"id": "m", "name": "M", "kind": "qualitative", "target": 1}]),
        "qualitative metric m cannot have min, max or target",
    ),
    "metric target not a number": (
        _set("metrics", [{"id": "m", "name": "M", "kind": "quantitative", "target": float("nan")}]),
        "metrics[0].target: Input should be a valid integer or a finite number",
    ),
    "metric bound past the number limit": (
        _set("metrics", [{"id": "m", "name": "M", "kind": "quantitative", "min": -1.7e308}]),
        "metric m: min -1.7e+308 is beyond ±10^15",
    ),
    "scale value past the number limit": (
        _set("scale.points.0.value", -(10**16)),
        "scale values must lie within ±10^15",
    ),
    "level as a string": (_set("indicators.1.level", "2"), "indicators[1].level: Input should"),
    "unknown key": (_set("levels.0.colour", "red"), "levels[0].colour: Extra inputs"),
    "blank statement": (
        _set("indicators.0.statement", "  "),
        "indicators[0].statement: should not be blank",
    ),
    "id not a slug": (
        _set("indicators.0.id", "Not A Slug"),
        "indicators[0].id: should be lowercase letters, digits and single dashes",
    ),
    "wrong format": (_set("format", "maturity-session"), "not a maturity-model file"),
    "no format": (lambda m: m.pop("format"), 'it has no format = "maturity-model" line'),
    "newer format_version": (
        _set("format_version", 3),
        "made by a newer version of maturity-tui",
    ),
}


@pytest.mark.parametrize("case", MODEL_CASES)
def test_invalid_model_is_refused_with_a_clear_message(case: str, make_model: Builder) -> None:
    edit, fragment = MODEL_CASES[case]
    base = make_model(dimensions={"a": "listening", "b": "listening", "c": "data", "d": "data"})
    assert fragment in problems(MaturityModel, edited(base, edit))


def test_model_without_dimensions_refuses_an_indicator_dimension(make_model: Builder) -> None:
    data = edited(make_model(), _set("indicators.0.dimension", "listening"))
    assert "indicator a names unknown dimension listening" in problems(MaturityModel, data)


# --- Sessions -----------------------------------------------------------------------------


def named(data: Data) -> Data:
    """Named voting by Ana and Ben, with one rating."""
    return {
        **data,
        "voting": "named",
        "participants": ["Ana", "Ben"],
        "ratings": [{"indicator": "a", "votes": {"Ana": 4, "Ben": 3}}],
    }


def _rating(**keys: object) -> Callable[[Data], None]:
    return lambda s: s["ratings"].append({"indicator": "b", **keys})


SESSION_CASES: dict[str, tuple[Callable[[Data], object], str]] = {
    "vote off the scale": (_rating(votes=[4, 9]), "rating for b: [9] not on the scale"),
    "consensus off the scale": (_rating(consensus=0), "rating for b: [0] not on the scale"),
    "rating of an unknown indicator": (
        lambda s: s["ratings"].append({"indicator": "zz", "votes": [1]}),
        "rating for zz: unknown indicator zz",
    ),
    "duplicate ratings for one indicator": (
        lambda s: s["ratings"].extend([{"indicator": "b"}, {"indicator": "b"}]),
        "duplicate ratings for indicator: b",
    ),
    "vote of the wrong type": (
        _rating(votes=[True]),
        "ratings[0].votes[0]: Input should be a valid integer",
    ),
    "not_applicable as text": (_rating(not_applicable="yes"), "not_applicable: Input should be"),
    "named votes in an anonymous session": (
        _rating(votes={"Ana": 4}),
        "anonymous voting keeps votes as a list of values",
    ),
    "reading of an unknown metric": (
        lambda s: s["readings"].append({"metric": "zz", "value": 1}),
        "reading names unknown metric zz",
    ),
    "reading out of the metric's range": (
        lambda s: s["readings"].append({"metric": "nps", "value": 101}),
        "reading nps: value 101 outside -100..100",
    ),
    "reading target out of range": (
        lambda s: s["readings"].append({"metric": "nps", "value": 1, "target": -101}),
        "reading nps: target -101 outside -100..100",
    ),
    "text reading of a quantitative metric": (
        lambda s: s["readings"].append({"metric": "nps", "value": "great"}),
        "reading nps: value must be a number",
    ),
    "number reading of a qualitative metric": (
        lambda s: s["readings"].append({"metric": "quotes", "value": 3}),
        "reading quotes: a qualitative metric takes text, no target",
    ),
    "nan reading": (
        lambda s: s["readings"].append({"metric": "visits", "value": float("nan")}),
        "readings[0].value: Input should be a valid integer or a finite number",
    ),
    "huge reading": (
        lambda s: s["readings"].append({"metric": "visits", "value": 1.7e308}),
        "reading visits: value 1.7e+308 is beyond ±10^15",
    ),
    "huge target": (
        lambda s: s["readings"].append({"metric": "visits", "value": 1, "target": -(10**16)}),
        "reading visits: target -10000000000000000 is beyond ±10^15",
    ),
    "duplicate readings": (
        lambda s: s["readings"].extend([{"metric": "visits", "value": 1}] * 2),
        "duplicate readings for metric: visits",
    ),
    "action naming an unknown indicator": (
        _set("actions", [{"id": 1, "title": "Do it", "indicator": "zz"}]),
        "action 1 names unknown indicator zz",
    ),
    "duplicate action ids": (
        _set("actions", [{"id": 1, "title": "One"}, {"id": 1, "title": "Two"}]),
        "duplicate action ids: 1",
    ),
    "action id below 1": (_set("actions", [{"id": 0, "title": "Zero"}]), "actions[0].id"),
    "action status unknown": (
        _set("actions", [{"id": 1, "title": "T", "status": "closed"}]),
        "actions[0].status: Input should be 'open', 'done' or 'dropped'",
    ),
    "due date as text": (
        _set("actions", [{"id": 1, "title": "T", "due": "2027-01-31"}]),
        "actions[0].due: Input should be a valid date",
    ),
    "due date and time": (
        _set("actions", [{"id": 1, "title": "T", "due": datetime(2027, 1, 31, tzinfo=UTC)}]),
        "actions[0].due: Input should be a valid date",
    ),
    "started_at without a time zone": (
        _set("started_at", datetime(2026, 11, 24, 10, 0)),
        "started_at: Input should have timezone info",
    ),
    "updated_at as a date": (_set("updated_at", date(2026, 11, 24)), "updated_at"),
    "unknown format": (_set("format", "maturity-report"), 'format = "maturity-report"'),
    "newer format_version": (
        _set("format_version", 3),
        "format_version 3 was made by a newer version of maturity-tui",
    ),
    "newer model format_version": (
        _set("model.format_version", 9),
        "model: format_version 9 was made by a newer version of maturity-tui",
    ),
    "id not a slug": (_set("id", "../escape"), "id: should be lowercase letters, digits"),
    "id with capitals": (_set("id", "Apollo-Q4"), "id: should be lowercase letters, digits"),
    "carried_from not a slug": (
        _set("actions", [{"id": 1, "title": "T", "carried_from": "a b"}]),
        "actions[0].carried_from: should be lowercase letters",
    ),
    "unknown voting": (_set("voting", "secret"), "voting: Input should be 'named' or 'anonymous'"),
    "head count of nobody": (_set("head_count", 0), "head_count: Input should be greater than"),
    "head count beyond the room": (_set("head_count", 501), "head_count: Input should be less"),
    "head count as text": (_set("head_count", "8"), "head_count: Input should be a valid integer"),
    "head count as a boolean": (_set("head_count", True), "head_count: Input should be a valid"),
    "missing model": (lambda s: s.pop("model"), "model: Field required"),
    "blank team": (_set("team", ""), "team: String should"),
}


@pytest.mark.parametrize("case", SESSION_CASES)
def test_invalid_session_is_refused_with_a_clear_message(
    case: str, make_model: Builder, session_data: Builder
) -> None:
    edit, fragment = SESSION_CASES[case]
    metrics = [
        {"id": "nps", "name": "NPS", "kind": "quantitative", "min": -100, "max": 100},
        {"id": "visits", "name": "Visits", "kind": "quantitative"},
        {"id": "quotes", "name": "Quotes", "kind": "qualitative"},
    ]
    base = session_data(make_model(metrics=metrics))
    assert fragment in problems(Session, edited(base, edit))


NAMED_CASES: dict[str, tuple[Callable[[Data], object], str]] = {
    "vote by a non-participant": (
        _set("ratings.0.votes.Zed", 4),
        "rating for a: votes by non-participants ['Zed']",
    ),
    "vote of the wrong type": (
        _set("ratings.0.votes.Ana", True),
        "ratings[0].votes.Ana: Input should be a valid integer",
    ),
    "votes as a list": (
        _set("ratings.0.votes", [4, 3]),
        "rating for a: named voting needs votes as { Name = value }",
    ),
    "duplicate participants": (_set("participants", ["Ana", "Ana"]), "duplicate participants"),
    "head count in named voting": (_set("head_count", 8), "head_count is for anonymous voting"),
    "blank participant": (
        _set("participants", ["Ana", "Ben", " "]),
        "participants[2]: should not be blank",
    ),
}


@pytest.mark.parametrize("case", NAMED_CASES)
def test_invalid_named_session_is_refused_with_a_clear_message(
    case: str, session_data: Builder
) -> None:
    edit, fragment = NAMED_CASES[case]
    base = named(session_data())
    Session.model_validate(base)
    assert fragment in problems(Session, edited(base, edit))


# --- What the domain gives back -----------------------------------------------------------


def test_period_defaults_to_the_quarter_of_started_at(session_data: Builder) -> None:
    data = session_data(started_at=datetime(2026, 8, 1, tzinfo=UTC))
    del data["period"]
    assert Session.model_validate(data).period == "2026-Q3"
    assert quarter_of(date(2026, 12, 31)) == "2026-Q4"
    assert quarter_of(date(2027, 1, 1)) == "2027-Q1"


def test_rating_or_new_adds_a_rating_in_model_order(session_data: Builder) -> None:
    session = Session.model_validate(session_data(ratings={"d": [4], "a": [2]}))
    session.rating_or_new("c")
    assert [r.indicator for r in session.ratings] == ["a", "c", "d"]
    assert session.rating("c") is session.rating_or_new("c")


def test_next_action_id_follows_the_highest(session_data: Builder) -> None:
    data = session_data(actions=[{"id": 3, "title": "x"}, {"id": 1, "title": "y"}])
    assert Session.model_validate(data).next_action_id() == 4
    assert Session.model_validate(session_data()).next_action_id() == 1


def test_new_session_drops_microseconds_and_fills_the_period(make_model: Builder) -> None:
    model = MaturityModel.model_validate(make_model())
    now = datetime(2026, 5, 2, 9, 30, 15, 123456, tzinfo=UTC)
    session = new_session("t-2026-q2", model, "T", participants=["Ana"], now=now)
    assert session.started_at == session.updated_at == now.replace(microsecond=0)
    assert session.period == "2026-Q2"
    assert session.ratings == []


def test_scale_helpers_label_and_digit_position(make_model: Builder) -> None:
    scale = MaturityModel.model_validate(make_model()).scale
    assert scale.label(3) == "point 3"
    assert (scale.value_at(1), scale.value_at(5), scale.value_at(6), scale.value_at(0)) == (
        1,
        5,
        None,
        None,
    )
