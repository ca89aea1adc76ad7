"""Properties over generated sessions: files round-trip exactly, scoring stays sane."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from maturity_tui import storage
from maturity_tui.domain import MaturityModel, Session
from maturity_tui.domain.base import NonBlank
from maturity_tui.scoring import score_session

GOOD = Path(__file__).parents[1] / "data" / "good"
SMALL = storage.load_model(GOOD / "small-model.toml")
BUILTIN = next(s.model for s in storage.builtin_models() if s.model.id == "customer-engagement")

PROPERTIES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY = [
    "[bold]",
    "[/]",
    "[/bold]",
    "\x1b[31m",
    "\x1b]8;;x\x07",
    "\r\n",
    '"""',
    "'''",
    "\\",
    "\x00",
]
"""Markup, terminal escapes, TOML quoting and control characters that user text may hold."""

_non_blank = TypeAdapter(NonBlank)


def _is_non_blank(text: str) -> bool:
    try:
        _non_blank.validate_python(text)
    except ValidationError:
        return False
    return True


any_text = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=12), st.sampled_from(TRICKY)
    ),
    max_size=4,
).map("".join)
"""Any text a person can type or paste: unicode, markup, escapes and control characters."""

user_text = any_text.filter(_is_non_blank)

moments = st.builds(
    lambda day, offset: day.replace(tzinfo=timezone(timedelta(minutes=offset))),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(-12 * 60, 14 * 60),
)
"""TOML offsets are whole minutes; the datetime keeps its microseconds."""


@st.composite
def sessions(draw: st.DrawFn, models: tuple[MaturityModel, ...] = (SMALL, BUILTIN)) -> Session:
    model = draw(st.sampled_from(models))
    scale = model.scale.values
    voting = draw(st.sampled_from(["named", "anonymous"]))
    participants = (
        draw(st.lists(user_text, min_size=1, max_size=4, unique=True)) if voting == "named" else []
    )
    votes = (
        st.dictionaries(st.sampled_from(participants), st.sampled_from(scale), max_size=4)
        if voting == "named"
        else st.lists(st.sampled_from(scale), max_size=6)
    )
    rated = draw(st.lists(st.sampled_from(model.indicators), unique_by=lambda i: i.id))
    ratings = [
        {
            "indicator": indicator.id,
            "votes": draw(st.none() | votes),
            "consensus": draw(st.none() | st.sampled_from(scale)),
            "not_applicable": draw(st.none() | st.booleans()),
            "notes": draw(st.none() | any_text),
        }
        for indicator in sorted(rated, key=model.indicators.index)
    ]
    started = draw(moments)
    return Session.model_validate(
        {
            "format": "maturity-session",
            "format_version": 1,
            "id": draw(st.from_regex(r"\A[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}\Z")),
            "team": draw(user_text),
            "title": draw(st.none() | any_text),
            "facilitator": draw(st.none() | any_text),
            "period": draw(user_text),
            "started_at": started,
            "updated_at": draw(moments),
            "status": draw(st.sampled_from(["in-progress", "complete"])),
            "voting": voting,
            "participants": participants,
            "model": model.model_dump(),
            "ratings": [{k: v for k, v in r.items() if v is not None} for r in ratings],
            "readings": draw(readings(model)),
            "actions": draw(actions(model)),
        }
    )


def readings(model: MaturityModel) -> st.SearchStrategy[list[dict[str, Any]]]:
    def reading(metric_id: str) -> st.SearchStrategy[dict[str, Any]]:
        metric = model.metric(metric_id)
        assert metric is not None
        if metric.kind == "qualitative":
            value: st.SearchStrategy[Any] = any_text
        else:
            low, high = metric.min, metric.max
            value = st.integers(
                min_value=None if low is None else int(low),
                max_value=None if high is None else int(high),
            ).filter(lambda v: abs(v) < 2**63) | st.floats(
                min_value=low, max_value=high, allow_nan=False, allow_infinity=False
            )
        return st.fixed_dictionaries(
            {"metric": st.just(metric_id), "value": value}, optional={"note": any_text}
        )

    ids = [m.id for m in model.metrics]
    return (
        st.lists(st.sampled_from(ids), unique=True).flatmap(
            lambda chosen: st.tuples(*(reading(i) for i in chosen)).map(list)
        )
        if ids
        else st.just([])
    )


def actions(model: MaturityModel) -> st.SearchStrategy[list[dict[str, Any]]]:
    action = st.fixed_dictionaries(
        {"title": user_text, "status": st.sampled_from(["open", "done", "dropped"])},
        optional={
            "indicator": st.sampled_from([i.id for i in model.indicators]),
            "owner": any_text,
            "due": st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
            "carried_from": st.just("apollo-2026-q3"),
        },
    )
    return st.lists(action, max_size=4).map(
        lambda rows: [{"id": n, **row} for n, row in enumerate(rows, start=1)]
    )


@PROPERTIES
@given(session=sessions())
def test_save_then_load_gives_back_the_same_session_byte_for_byte(
    session: Session, tmp_path_factory: Any
) -> None:
    path = tmp_path_factory.mktemp("round") / f"{session.id}.toml"
    storage.save_session(session, path)
    loaded = storage.load_session(path)
    assert loaded == session
    assert (loaded.team, loaded.participants, loaded.title) == (
        session.team,
        session.participants,
        session.title,
    )
    assert [r.notes for r in loaded.ratings] == [r.notes for r in session.ratings]
    assert [a.title for a in loaded.actions] == [a.title for a in session.actions]
    assert storage.dumps_session(loaded) == path.read_text(encoding="utf-8")


@PROPERTIES
@given(session=sessions(), data=st.data())
def test_raising_one_vote_never_lowers_the_placement(session: Session, data: st.DataObject) -> None:
    voted = [r for r in session.ratings if r.vote_values]
    if not voted:
        return
    rating = data.draw(st.sampled_from(voted))
    scale = session.model.scale.values
    before = score_session(session)
    if isinstance(rating.votes, dict):
        name = data.draw(st.sampled_from(sorted(rating.votes)))
        rating.votes[name] = data.draw(
            st.sampled_from([v for v in scale if v >= rating.votes[name]])
        )
    else:
        assert rating.votes is not None
        index = data.draw(st.integers(0, len(rating.votes) - 1))
        rating.votes[index] = data.draw(
            st.sampled_from([v for v in scale if v >= rating.votes[index]])
        )
    after = score_session(session)
    assert after.level >= before.level
    for was, now in zip(before.dimensions, after.dimensions, strict=True):
        assert now.standing.level >= was.standing.level


@PROPERTIES
@given(session=sessions())
def test_progress_stays_between_zero_and_one(session: Session) -> None:
    score = score_session(session)
    for standing in [score.standing, *(d.standing for d in score.dimensions)]:
        if standing.next_level is None:
            assert standing.progress is None
        else:
            assert standing.progress is not None and 0 <= standing.progress <= 1


@PROPERTIES
@given(session=sessions())
def test_agreed_rating_is_always_a_scale_value_or_none(session: Session) -> None:
    scale = session.model.scale.values
    for indicator in score_session(session).indicators:
        assert indicator.agreed is None or indicator.agreed in scale


@PROPERTIES
@given(text=any_text)
def test_user_text_survives_a_round_trip_in_every_text_field(
    text: str, tmp_path_factory: Any
) -> None:
    session = storage.load_session(GOOD / "named-session.toml")
    session.facilitator = text
    session.title = text
    session.ratings[0].notes = text
    path = tmp_path_factory.mktemp("text") / "t.toml"
    storage.save_session(session, path)
    loaded = storage.load_session(path)
    assert (loaded.facilitator, loaded.title, loaded.ratings[0].notes) == (text, text, text)


def test_generated_sessions_cover_both_voting_kinds() -> None:
    """A guard on the generator itself: the properties above see named and anonymous files."""
    seen: set[str] = set()

    @settings(max_examples=40, deadline=None)
    @given(session=sessions(models=(SMALL,)))
    def collect(session: Session) -> None:
        seen.add(session.voting)

    collect()
    assert seen == {"named", "anonymous"}
