"""Format 2: score and board models, answer sets, groups, trends (DESIGN: "Format 2").

The SAMM-shaped fixture's scores are worked out by hand below, the way SAMM's own
arithmetic goes: a stream sums its answers, a practice averages its streams.
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from maturity_tui import storage
from maturity_tui.domain import MaturityModel, Rating, Session
from maturity_tui.export import report_data
from maturity_tui.scoring import agreed_trend, board_order, score_session

GOOD = Path(__file__).parents[1] / "data" / "good"
Data = dict[str, Any]


def load(name: str) -> Data:
    with (GOOD / name).open("rb") as file:
        return tomllib.load(file)


def problems(kind: type[MaturityModel | Session], data: Data) -> str:
    with pytest.raises(storage.LoadError) as caught:
        storage.validate_as(kind, data, Path("file.toml"))
    return "\n".join(caught.value.problems)


def edited(data: Data, edit: Callable[[Data], object]) -> Data:
    changed = copy.deepcopy(data)
    edit(changed)
    return changed


# --- The SAMM-shaped score model, by hand -------------------------------------------------


def test_samm_like_practice_scores_follow_samm_arithmetic() -> None:
    score = score_session(storage.load_session(GOOD / "samm-like-session.toml"))
    strategy, threats = score.dimensions
    # Strategy, stream A: sg-1-a 1 (coverage) + sg-2-a 0.5 (median of 0.25, 0.5, 1)
    #   + sg-3-a 0.1 (maturity) = 1.6
    # Strategy, stream B: sg-1-b 0.75 (lower middle of 0.75, 1) + sg-2-b 0.25
    #   + sg-3-b unrated, counting 0 = 1.0
    assert [(s.stream, s.score) for s in strategy.streams] == [("A", 1.6), ("B", 1.0)]
    assert strategy.score == 1.3  # (1.6 + 1.0) / 2
    assert (strategy.target, strategy.met) == (1.5, False)
    # Threats, stream A: tt-1-a 0.5 + tt-2-a not applicable (left out) + tt-3-a 0.25 = 0.75
    # Threats, stream B: tt-1-b 1 (median of 1, 1, 0; [scale]) + tt-2-b 0.25 + tt-3-b 0 = 1.25
    assert [(s.stream, s.score) for s in threats.streams] == [("A", 0.75), ("B", 1.25)]
    assert threats.score == 1.0
    assert (threats.target, threats.met) == (None, None)
    assert score.score == 1.15  # (1.3 + 1.0) / 2
    assert [(g.id, g.score) for g in score.groups] == [("governance", 1.3), ("design", 1.0)]
    assert (score.level, score.next_level, score.progress) == (None, None, None)
    assert not score.complete
    assert [s.id for s in score.unrated] == ["sg-3-b"]


def test_samm_like_objectives_by_dimension_level_then_value() -> None:
    score = score_session(storage.load_session(GOOD / "samm-like-session.toml"))
    # Every dimension short of its target or without one; indicators below their answer
    # set's top value; by dimension, level, agreed value (unrated first), model order.
    assert [o.indicator.id for o in score.objectives if o.indicator] == [
        "sg-1-b",
        "sg-2-b",
        "sg-2-a",
        "sg-3-b",
        "sg-3-a",
        "tt-1-a",
        "tt-2-b",
        "tt-3-b",
        "tt-3-a",
    ]
    assert {o.target for o in score.objectives} == {1}


def test_samm_like_report_json_has_designs_keys() -> None:
    data = report_data(storage.load_session(GOOD / "samm-like-session.toml"))
    assert (data["scoring"], data["score"], data["level"], data["level_name"]) == (
        "score",
        1.15,
        None,
        None,
    )
    strategy = data["dimensions"][0]
    assert {k: strategy[k] for k in ("group", "score", "target", "met", "level")} == {
        "group": "governance",
        "score": 1.3,
        "target": 1.5,
        "met": False,
        "level": None,
    }
    assert data["groups"] == [
        {"id": "governance", "name": "Governance", "score": 1.3},
        {"id": "design", "name": "Design", "score": 1.0},
    ]
    sg_2_a = data["indicators"][2]
    assert (sg_2_a["agreed"], sg_2_a["value_label"], sg_2_a["color"], sg_2_a["trend"]) == (
        0.5,
        "Yes, for at least half",
        None,
        None,
    )
    assert data["board"] is None


def test_session_target_overrides_the_dimension_target() -> None:
    data = load("samm-like-session.toml")
    data["targets"] = {"strategy": 1.25, "threats": 1.0}
    score = score_session(Session.model_validate(data))
    assert [(d.target, d.met) for d in score.dimensions] == [(1.25, True), (1.0, True)]
    # Both dimensions meet their targets: no objectives left.
    assert score.objectives == ()


def test_answer_set_contested_spread_defaults_to_the_scales() -> None:
    model = storage.load_model(GOOD / "samm-like-model.toml")
    assert model.scale_for("sg-1-a").contested_spread == 0.5
    assert model.scale_for("sg-3-a").contested_spread == 0.4
    assert model.scale_for("tt-1-b") is model.scale


def test_integer_vote_matches_a_decimal_value_of_the_same_amount() -> None:
    data = load("samm-like-session.toml")
    data["ratings"].append({"indicator": "sg-3-b", "votes": {"Ana": 1.0, "Ben": 1}})
    session = Session.model_validate(data)
    # Stream B becomes 0.75 + 0.25 + 1 = 2.0; the practice (1.6 + 2.0) / 2.
    assert score_session(session).dimensions[0].score == 1.8


# --- Board models -----------------------------------------------------------------------------


def test_board_colours_counts_and_red_first() -> None:
    score = score_session(storage.load_session(GOOD / "board-session.toml"))
    assert score.board is not None
    assert (score.board.red, score.board.amber, score.board.green, score.board.unrated) == (
        3,
        2,
        2,
        2,
    )
    assert [(s.id, s.color) for s in board_order(score.indicators)][:5] == [
        ("easy-to-release", "red"),
        ("tech-quality", "red"),
        ("learning", "red"),  # votes 1 and 3: the lower middle
        ("suitable-process", "amber"),
        ("speed", "amber"),
    ]
    assert board_order(score.indicators)[-1].id == "fun"  # not applicable: last
    assert [o.indicator.id for o in score.objectives if o.indicator] == [
        "easy-to-release",
        "tech-quality",
        "learning",
        "suitable-process",
        "speed",
    ]
    assert (score.level, score.score, score.progress) == (None, None, None)


def test_board_trends_agreed_most_common_or_set() -> None:
    score = score_session(storage.load_session(GOOD / "board-session.toml"))
    trends = {s.id: s.trend for s in score.indicators}
    assert trends["easy-to-release"] == "down"  # down, down, same
    assert trends["tech-quality"] == "same"  # up, down: a tie
    assert trends["value"] == "up"  # set by the room
    assert trends["speed"] is None  # no trend votes


@pytest.mark.parametrize(
    ("votes", "trend", "agreed"),
    [
        ([], None, None),
        (["up"], None, "up"),
        (["up", "up", "down"], None, "up"),
        (["up", "same"], None, "same"),
        (["down", "up"], None, "same"),
        (["down", "down"], "up", "up"),
    ],
)
def test_agreed_trend(votes: list[str], trend: str | None, agreed: str | None) -> None:
    rating = Rating.model_validate({"indicator": "x", "trend_votes": votes, "trend": trend})
    assert agreed_trend(rating) == agreed


def test_board_report_json_counts_and_colours() -> None:
    data = report_data(storage.load_session(GOOD / "board-session.toml"))
    assert data["scoring"] == "board"
    assert data["board"] == {"red": 3, "amber": 2, "green": 2, "unrated": 2}
    first = data["indicators"][0]
    assert (first["color"], first["value_label"], first["trend"], first["level"]) == (
        "red",
        "Crappy",
        "down",
        None,
    )


def test_builtin_health_check_is_a_board_with_trends() -> None:
    model = next(s.model for s in storage.builtin_models() if s.model.id == "squad-health-check")
    assert (model.mode, model.asks_trend, model.levels) == ("board", True, [])
    assert len(model.indicators) == 10
    assert all("Awesome:" in (i.guidance or "") for i in model.indicators)
    assert all("Crappy:" in (i.guidance or "") for i in model.indicators)


# --- Staged models without an overall level (DSOMM) -------------------------------------------


def test_staged_without_overall_level_places_dimensions_only(
    make_model: Callable[..., Data], session_data: Callable[..., Data]
) -> None:
    model = make_model(dimensions={"a": "x", "b": "x", "c": "y", "d": "y"})
    model |= {"format_version": 2, "overall_level": False}
    data = session_data(model, {"a": [5], "b": [5], "c": [1]}) | {"format_version": 2}
    score = score_session(Session.model_validate(data))
    assert (score.level, score.next_level, score.progress) == (None, None, None)
    # x has no indicator on level 3, so it passes that gate; y is held at 1 by c.
    assert [d.standing.level for d in score.dimensions if d.standing] == [3, 1]
    # Each dimension's blocking set, dimension by dimension: no advancement text.
    assert [(o.kind, o.indicator and o.indicator.id) for o in score.objectives] == [
        ("indicator", "c")
    ]
    assert report_data(Session.model_validate(data))["level"] is None


def test_levels_from_zero(
    make_model: Callable[..., Data], session_data: Callable[..., Data]
) -> None:
    model = make_model({"a": 0, "b": 1, "c": 2})
    model["format_version"] = 2
    model["levels"] = [{"number": n, "name": f"L{n}"} for n in range(3)]
    data = session_data(model, {"a": [4], "b": [2]}) | {"format_version": 2}
    score = score_session(Session.model_validate(data))
    assert (score.level, score.next_level) == (0, 1)
    assert score.standing is not None and score.standing.gates_passed == (True, False, False)


# --- What format 2 refuses ------------------------------------------------------------------


def _samm(edit: Callable[[Data], object]) -> Data:
    return edited(load("samm-like-model.toml"), edit)


def _board(edit: Callable[[Data], object]) -> Data:
    data = load("board-session.toml")["model"]
    return edited(data, edit)


def _dsomm(edit: Callable[[Data], object]) -> Data:
    data = load("samm-like-model.toml")
    data |= {"scoring": "staged", "overall_level": False}
    for answers in data["answer_sets"]:
        answers["achieved_at"] = answers["points"][-1]["value"]
    data["scale"]["achieved_at"] = 1
    for dimension in data["dimensions"]:
        dimension.pop("target", None)
    return edited(data, edit)


MODEL_CASES: dict[str, tuple[Data, str]] = {
    "unknown answer set": (
        _samm(lambda m: m["indicators"][0].update(answers="nowhere")),
        "indicator sg-1-a names unknown answer set nowhere",
    ),
    "unknown group": (
        _samm(lambda m: m["dimensions"][0].update(group="nowhere")),
        "dimension strategy names unknown group nowhere",
    ),
    "groups and a dimension without one": (
        _samm(lambda m: m["dimensions"][1].pop("group")),
        "dimension threats needs a group: the model has them",
    ),
    "board with levels": (
        _board(lambda m: m.update(levels=[{"number": 1, "name": "One"}])),
        "a board model has no levels",
    ),
    "board indicator with a level": (
        _board(lambda m: m["indicators"][2].update(level=1)),
        "indicator tech-quality has a level: a board model has no levels",
    ),
    "board point without a colour": (
        _board(lambda m: m["scale"]["points"][1].pop("color")),
        "a board model needs a color on every point: scale value 2 has none",
    ),
    "overall_level in a score model": (
        _samm(lambda m: m.update(overall_level=True)),
        "overall_level applies only to staged models (this one is score)",
    ),
    "overall_level in a board model": (
        _board(lambda m: m.update(overall_level=False)),
        "overall_level applies only to staged models (this one is board)",
    ),
    "staged answer set without achieved_at": (
        _dsomm(lambda m: m["answer_sets"][1].pop("achieved_at")),
        "a staged model needs achieved_at in answer set maturity",
    ),
    "depends_on an unknown indicator": (
        _samm(lambda m: m["indicators"][3].update(depends_on=["nowhere"])),
        "indicator sg-2-b depends on unknown indicator nowhere",
    ),
    "depends_on a cycle": (
        _samm(
            lambda m: (
                m["indicators"][0].update(depends_on=["sg-3-a"]),
                m["indicators"][4].update(depends_on=["sg-2-a"]),
            )
        ),
        "depends_on makes a cycle: sg-1-a -> sg-3-a -> sg-2-a -> sg-1-a",
    ),
    "depends_on itself": (
        _samm(lambda m: m["indicators"][1].update(depends_on=["sg-1-b"])),
        "depends_on makes a cycle: sg-1-b -> sg-1-b",
    ),
    "short_name over 12 characters": (
        _samm(lambda m: m["dimensions"][0].update(short_name="Strategy-Goals")),
        "dimensions[0].short_name: String should have at most 12 characters",
    ),
    "answer values not ascending": (
        _samm(lambda m: m["answer_sets"][0]["points"][2].update(value=0.2)),
        "answer set coverage values must be strictly ascending, found [0, 0.25, 0.2, 1]",
    ),
    "target outside the possible scores": (
        _samm(lambda m: m["dimensions"][0].update(target=3.5)),
        "dimension strategy: target 3.5 lies outside its possible scores 0..3",
    ),
    "target in a staged model": (
        _dsomm(lambda m: m["dimensions"][0].update(target=1)),
        "dimension strategy: a target needs a score model",
    ),
    "score model without dimensions": (
        _samm(
            lambda m: (
                m.pop("dimensions"),
                m.pop("groups"),
                [i.pop("dimension") for i in m["indicators"]],
            )
        ),
        "a score model needs dimensions",
    ),
    "unknown scoring mode": (
        _samm(lambda m: m.update(scoring="ladder")),
        "scoring: Input should be 'staged', 'score' or 'board'",
    ),
    "unknown colour": (
        _board(lambda m: m["scale"]["points"][0].update(color="blue")),
        "scale.points[0].color: Input should be 'red', 'amber' or 'green'",
    ),
    "format 1 using format 2": (
        _samm(lambda m: m.update(format_version=1)),
        "scoring needs format_version = 2 (this file says format_version = 1)",
    ),
}


@pytest.mark.parametrize("case", MODEL_CASES)
def test_invalid_format_2_model_is_refused_with_a_clear_message(case: str) -> None:
    data, fragment = MODEL_CASES[case]
    assert fragment in problems(MaturityModel, data)


def test_the_cases_start_from_valid_models() -> None:
    MaturityModel.model_validate(_samm(lambda m: None))
    MaturityModel.model_validate(_board(lambda m: None))
    MaturityModel.model_validate(_dsomm(lambda m: None))


def _samm_session(edit: Callable[[Data], object]) -> Data:
    return edited(load("samm-like-session.toml"), edit)


def _board_session(edit: Callable[[Data], object]) -> Data:
    return edited(load("board-session.toml"), edit)


SESSION_CASES: dict[str, tuple[Data, str]] = {
    "vote off its answer set": (
        _samm_session(lambda s: s["ratings"][0].update(consensus=0.3)),
        "rating for sg-1-a: [0.3] not on the answer set coverage [0, 0.25, 0.5, 1]",
    ),
    "trend votes when the model has trend = false": (
        _samm_session(lambda s: s["ratings"][0].update(trend_votes={"Ana": "up"})),
        "rating for sg-1-a: a trend, but the model does not ask for one",
    ),
    "agreed trend when the model has trend = false": (
        _samm_session(lambda s: s["ratings"][0].update(trend="up")),
        "rating for sg-1-a: a trend, but the model does not ask for one",
    ),
    "trend vote of no known kind": (
        _board_session(lambda s: s["ratings"][0].update(trend_votes={"Ana": "sideways"})),
        "ratings[0].trend_votes.Ana: Input should be 'up', 'same' or 'down'",
    ),
    "trend votes by a non-participant": (
        _board_session(lambda s: s["ratings"][0].update(trend_votes={"Zoe": "up"})),
        "rating for easy-to-release: trend_votes by non-participants ['Zoe']",
    ),
    "anonymous trend votes in a named session": (
        _board_session(lambda s: s["ratings"][0].update(trend_votes=["up"])),
        "named voting needs trend_votes as { Name = value }",
    ),
    "session target outside the possible scores": (
        _samm_session(lambda s: s.update(targets={"threats": 4})),
        "targets: dimension threats: target 4 lies outside its possible scores 0..3",
    ),
    "session target of an unknown dimension": (
        _samm_session(lambda s: s.update(targets={"nowhere": 1})),
        "targets names unknown dimension nowhere",
    ),
    "session targets in a board model": (
        _board_session(lambda s: s.update(targets={"x": 1})),
        "targets need a score model",
    ),
    "format 1 session with a format 2 model": (
        _samm_session(lambda s: s.update(format_version=1)),
        "a format-2 model needs format_version = 2",
    ),
}


@pytest.mark.parametrize("case", SESSION_CASES)
def test_invalid_format_2_session_is_refused_with_a_clear_message(case: str) -> None:
    data, fragment = SESSION_CASES[case]
    assert fragment in problems(Session, data)


def test_format_1_session_with_format_2_keys_says_which(
    session_data: Callable[..., Data],
) -> None:
    data = session_data(ratings={"a": [4.0]})
    assert "rating for a: a decimal vote needs format_version = 2" in problems(Session, data)
    data = session_data() | {"targets": {}}
    assert "targets needs format_version = 2" in problems(Session, data)


def test_new_session_keeps_the_models_format_version() -> None:
    from datetime import UTC, datetime

    from maturity_tui.domain import new_session

    board = storage.load_session(GOOD / "board-session.toml").model
    session = new_session("x", board, "Team", now=datetime(2026, 1, 1, tzinfo=UTC))
    assert session.format_version == 2
    text = storage.dumps_session(session)
    assert storage.validate_as(Session, tomllib.loads(text), Path("x.toml")) == session


def test_format_2_session_round_trips_exactly(tmp_path: Path) -> None:
    for name in ("samm-like-session.toml", "board-session.toml"):
        session = storage.load_session(GOOD / name)
        path = tmp_path / name
        storage.save_session(session, path)
        assert storage.load_session(path) == session
        assert path.read_text() == storage.dumps_session(storage.load_session(path))
