"""Trend votes through the workshop: cast, withdraw, undo, agreed trend, hidden, locked, re-vote."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maturity_tui.domain import Session, new_session
from maturity_tui.scoring import agreed_trend
from maturity_tui.storage import dumps_session, find_model, parse_session
from maturity_tui.workshop import (
    Cast,
    NobodyChosen,
    TrendCast,
    VotesLocked,
    Workshop,
    WorkshopError,
)

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NAMES = ["Ana", "Ben", "Caro"]


def health_check(voting: str = "named", model_id: str = "squad-health-check") -> Workshop:
    session = new_session(
        "vega-2026-q4",
        find_model(model_id),
        "Vega",
        participants=NAMES if voting == "named" else None,
        voting=voting,  # type: ignore[arg-type]
        now=START,
    )
    return Workshop(session)


def reloaded(session: Session) -> Session:
    """The session as saved and read back, through the file format's own checks."""
    return parse_session(dumps_session(session).encode(), Path("vega.toml"))


def rating_of(w: Workshop) -> tuple[object, object, object]:
    rating = w.rating
    assert rating is not None
    return rating.votes, rating.trend_votes, rating.trend


def test_a_trend_vote_goes_to_the_highlighted_participant_like_a_rating() -> None:
    w = health_check()
    assert w.asks_trend
    cast = w.cast_trend("up")
    assert cast == TrendCast("Ana", "up")
    assert w.trend_voted_participants() == ["Ana"]
    assert w.trend_votes() == ["up"]
    assert rating_of(w) == (None, {"Ana": "up"}, None)


def test_the_highlight_stays_until_a_participant_gave_rating_and_trend() -> None:
    w = health_check()
    w.cast_at(3)
    assert w.highlighted == "Ana", "a rating alone does not finish Ana's vote"
    w.cast_trend("same")
    assert w.highlighted == "Ben"
    w.cast_trend("down")  # the other order finishes too
    assert w.highlighted == "Ben"
    w.cast_at(1)
    assert w.highlighted == "Caro"
    assert w.finished_participants() == ["Ana", "Ben"]


def test_once_everyone_finished_a_trend_key_replaces_nobody() -> None:
    w = health_check()
    for _ in NAMES:
        w.cast_at(2)
        w.cast_trend("up")
    assert w.highlighted is None
    with pytest.raises(NobodyChosen):
        w.cast_trend("down")
    w.highlight("Ben")
    w.cast_trend("down")
    assert rating_of(w)[1] == {"Ana": "up", "Ben": "down", "Caro": "up"}


def test_a_device_votes_its_own_trend_and_may_change_it() -> None:
    w = health_check()
    w.cast_trend("up", participant="Caro")
    w.cast_trend("down", participant="Caro")
    assert rating_of(w)[1] == {"Caro": "down"}
    assert w.highlighted == "Ana"
    with pytest.raises(WorkshopError):
        w.cast_trend("up", participant="Zed")


def test_anonymous_trend_votes_are_a_list() -> None:
    w = health_check("anonymous")
    w.cast_trend("up")
    w.cast_trend("same")
    w.cast_trend("up")
    assert rating_of(w) == (None, ["up", "same", "up"], None)
    with pytest.raises(WorkshopError):
        w.cast_trend("up", participant="Ana")


def test_a_model_without_trend_refuses_trend_votes_and_an_agreed_trend() -> None:
    w = health_check(model_id="customer-engagement")
    assert not w.asks_trend
    with pytest.raises(WorkshopError, match="no trend"):
        w.cast_trend("up")
    with pytest.raises(WorkshopError, match="no trend"):
        w.set_trend("up")
    assert w.rating is None


def test_undo_takes_back_rating_and_trend_votes_in_the_order_cast() -> None:
    w = health_check()
    w.cast_at(3)
    w.cast_trend("up")
    w.cast_at(1)  # Ben
    assert w.undo_last() == Cast("Ben", 1)
    assert w.undo_last() == TrendCast("Ana", "up")
    assert w.highlighted == "Ana"
    assert rating_of(w) == ({"Ana": 3}, None, None)
    assert w.undo_last() == Cast("Ana", 3)
    assert w.undo_last() is None


def test_undo_restores_a_changed_trend_vote() -> None:
    w = health_check()
    w.cast_trend("up", participant="Ben")
    w.cast_trend("down", participant="Ben")
    assert w.undo_last() == TrendCast("Ben", "down", previous="up")
    assert rating_of(w)[1] == {"Ben": "up"}


def test_undo_takes_back_trend_votes_of_an_earlier_run() -> None:
    w = health_check("anonymous")
    w.cast_trend("same")
    w.cast_trend("down")
    resumed = Workshop(reloaded(w.session))
    assert resumed.undo_last() == TrendCast(None, "down")
    assert resumed.undo_last() == TrendCast(None, "same")
    assert resumed.undo_last() is None


def test_withdraw_trend_takes_back_a_vote_and_its_undo_history() -> None:
    w = health_check()
    w.cast_trend("up", participant="Ben")
    w.cast_at(2, participant="Ben")
    assert w.withdraw_trend(participant="Ben")
    assert not w.withdraw_trend(participant="Ben")
    assert rating_of(w) == ({"Ben": 2}, None, None)
    assert w.undo_last() == Cast("Ben", 2)
    assert w.undo_last() is None, "the withdrawn trend vote cannot be revived"


def test_withdraw_trend_takes_back_one_anonymous_trend() -> None:
    w = health_check("anonymous")
    for trend in ("up", "down", "up"):
        w.cast_trend(trend)  # type: ignore[arg-type]
    assert w.withdraw_trend(trend="up")
    assert not w.withdraw_trend(trend="same")
    assert rating_of(w)[1] == ["up", "down"]


def test_trend_votes_are_hidden_until_the_reveal_and_the_agreed_trend_is_not() -> None:
    w = health_check()
    w.cast_at(1)
    w.cast_trend("down")
    w.set_trend("same")
    shown = w.shown_session().rating(w.indicator.id)
    assert shown is not None
    assert (shown.votes, shown.trend_votes, shown.trend) == (None, None, "same")
    w.reveal()
    shown = w.shown_session().rating(w.indicator.id)
    assert shown is not None and shown.trend_votes == {"Ana": "down"}


def test_trend_votes_alone_are_hidden_and_reveal_when_the_room_moves_on() -> None:
    w = health_check()
    w.cast_trend("up")
    shown = w.shown_session().rating(w.indicator.id)
    assert shown is not None and shown.trend_votes is None
    w.next()
    w.previous()
    assert w.revealed, "moving on from trend votes reveals them"


def test_trend_votes_are_locked_after_the_reveal() -> None:
    w = health_check()
    w.cast_trend("up")
    w.reveal()
    for vote in (
        lambda: w.cast_trend("down"),
        lambda: w.undo_last(),
        lambda: w.withdraw_trend(participant="Ana"),
    ):
        with pytest.raises(VotesLocked):
            vote()
    assert rating_of(w)[1] == {"Ana": "up"}
    w.set_trend("down")  # the agreed trend is decided aloud, after the reveal
    assert agreed_trend(w.rating) == "down"


def test_a_revote_clears_trend_votes_and_the_agreed_trend() -> None:
    w = health_check()
    w.cast_at(2)
    w.cast_trend("up")
    w.reveal()
    w.set_trend("up")
    w.set_notes("talked")
    w.revote()
    assert rating_of(w) == (None, None, None)
    assert w.rating is not None and w.rating.notes == "talked"
    assert not w.revealed and w.highlighted == "Ana"
    w.cast_trend("down")  # unlocked again


def test_a_session_with_trend_votes_saves_and_loads() -> None:
    w = health_check()
    w.cast_at(3)
    w.cast_trend("up")
    w.set_trend("same")
    again = reloaded(w.session)
    rating = again.rating(w.indicator.id)
    assert rating is not None
    assert (rating.trend_votes, rating.trend) == ({"Ana": "up"}, "same")


# --- Properties -------------------------------------------------------------------------

Step = Callable[[Workshop], object]

VOTES: list[Step] = [
    *(lambda w, n=n: w.cast_at(n) for n in (1, 2, 3)),
    *(lambda w, t=t: w.cast_trend(t) for t in ("up", "same", "down")),
    *(lambda w, name=name: w.cast_trend("up", participant=name) for name in NAMES),
    *(lambda w, name=name: w.withdraw_trend(participant=name) for name in NAMES),
    lambda w: w.withdraw_trend(trend="up"),
    lambda w: w.undo_last(),
    lambda w: w.move_highlight(1),
    lambda w: w.set_trend("down"),
    lambda w: w.set_trend(None),
]
STEPS: list[Step] = [
    *VOTES,
    lambda w: w.reveal(),
    lambda w: w.revote(),
    lambda w: w.next(),
    lambda w: w.previous(),
]


def run(w: Workshop, steps: list[Step]) -> None:
    """Each step as the room or the keyboard would try it; refusals change nothing."""
    for step in steps:
        before = dumps_session(w.session)
        try:
            step(w)
        except WorkshopError:
            assert dumps_session(w.session) == before, "a refused step changed the session"


def trends_shown(session: Session, indicator: str) -> object:
    rating = session.rating(indicator)
    return rating.trend_votes if rating is not None else None


@settings(max_examples=50, deadline=None)
@given(voting=st.sampled_from(["named", "anonymous"]), steps=st.lists(st.sampled_from(STEPS)))
def test_no_trend_vote_shows_before_the_reveal_and_none_changes_after(
    voting: str, steps: list[Step]
) -> None:
    w = health_check(voting)
    run(w, steps)
    indicator = w.indicator.id
    if w.voting_on is not None:
        assert trends_shown(w.shown_session(), indicator) is None
    else:
        locked = dumps_session(w.session)
        run(w, [lambda w: w.cast_trend("same"), lambda w: w.undo_last()])
        assert dumps_session(w.session) == locked
        assert trends_shown(w.shown_session(), indicator) == trends_shown(w.session, indicator)


@settings(max_examples=50, deadline=None)
@given(
    voting=st.sampled_from(["named", "anonymous"]),
    steps=st.lists(st.sampled_from(STEPS)),
    votes=st.lists(st.sampled_from(VOTES), max_size=12),
)
def test_the_session_stays_valid_and_undo_empties_a_fresh_round(
    voting: str, steps: list[Step], votes: list[Step]
) -> None:
    w = health_check(voting)
    run(w, steps)
    reloaded(w.session)  # every trend vote is one a file may hold
    w.revote()
    run(w, votes)
    while w.undo_last() is not None:
        pass
    rating = w.rating
    assert rating is None or (rating.votes, rating.trend_votes) == (None, None)
