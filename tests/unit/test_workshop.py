"""The workshop state machine: votes by position, hidden tallies, undo, consensus, actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from maturity_tui.domain import Action, MaturityModel, Session, new_session
from maturity_tui.storage import dumps_session, find_model
from maturity_tui.workshop import Cast, NobodyChosen, VotesLocked, Workshop, WorkshopError

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        self.moment += timedelta(seconds=1)
        return self.moment


def zero_based_model() -> MaturityModel:
    data = find_model("customer-engagement").model_dump(mode="python")
    data["scale"] = {
        "achieved_at": 2,
        "contested_spread": 2,
        "points": [{"value": v, "label": f"L{v}"} for v in range(4)],
    }
    return MaturityModel.model_validate(data)


def session(voting: str = "named", model: MaturityModel | None = None) -> Session:
    return new_session(
        "t-2026-q4",
        model or find_model("customer-engagement"),
        "T",
        participants=["Ana", "Ben", "Caro"] if voting == "named" else None,
        voting=voting,  # type: ignore[arg-type]
        now=START,
    )


def workshop(voting: str = "named", model: MaturityModel | None = None) -> Workshop:
    return Workshop(session(voting, model), now=Clock())


def test_named_votes_go_to_the_highlighted_participant_who_then_moves_on() -> None:
    w = workshop()
    assert w.highlighted == "Ana"
    w.cast_at(4)
    assert w.highlighted == "Ben"
    w.cast_at(2)
    w.cast_at(5)
    rating = w.session.rating(w.indicator.id)
    assert rating is not None and rating.votes == {"Ana": 4, "Ben": 2, "Caro": 5}
    assert w.voted_participants() == ["Ana", "Ben", "Caro"]


def test_highlight_skips_those_who_already_voted() -> None:
    w = workshop()
    w.cast(3, participant="Ben")
    w.cast_at(1)  # Ana
    assert w.highlighted == "Caro"


def test_highlight_leaves_participants_voting_from_their_own_device() -> None:
    w = workshop()
    w.set_own_devices(["Ana"])
    assert w.highlighted == "Ben"
    w.cast(4, participant="Ana")  # from Ana's phone, while the facilitator is about to type
    assert w.highlighted == "Ben"
    w.cast_at(2)
    assert w.highlighted == "Caro"
    w.set_own_devices([])
    w.next()
    assert w.highlighted == "Ana"


def test_digit_keys_map_scale_positions_not_values() -> None:
    w = workshop(model=zero_based_model())
    w.cast_at(1)
    w.cast_at(4)
    assert w.votes() == [0, 3]
    with pytest.raises(WorkshopError, match="4 points"):
        w.cast_at(5)


def test_votes_off_the_scale_are_refused() -> None:
    w = workshop()
    with pytest.raises(WorkshopError, match="not on the scale"):
        w.cast(9)
    with pytest.raises(WorkshopError, match="not a participant"):
        w.cast(3, participant="Mallory")
    with pytest.raises(WorkshopError, match="not on the scale"):
        w.set_consensus(0)
    assert w.votes() == []


def test_anonymous_votes_add_to_the_tally_and_undo_takes_the_last_back() -> None:
    w = workshop("anonymous")
    for position in (3, 3, 5, 1):
        w.cast_at(position)
    assert w.votes() == [3, 3, 5, 1]
    undone = w.undo_last()
    assert undone is not None and undone.value == 1
    assert w.votes() == [3, 3, 5]
    with pytest.raises(WorkshopError, match="anonymous"):
        w.cast(3, participant="Ana")


def test_undo_restores_a_changed_named_vote_and_highlights_its_voter() -> None:
    w = workshop()
    w.cast(2, participant="Ben")
    w.cast(4, participant="Ben")
    w.undo_last()
    assert w.session.rating(w.indicator.id).votes == {"Ben": 2}  # type: ignore[union-attr]
    assert w.highlighted == "Ben"
    w.undo_last()
    assert w.votes() == []
    assert w.undo_last() is None


def test_undo_works_on_votes_from_an_earlier_run() -> None:
    w = workshop()
    w.cast_at(2)
    w.cast_at(3)
    resumed = Workshop(Session.model_validate(w.session.model_dump()), now=Clock())
    resumed.undo_last()
    assert resumed.session.rating(resumed.indicator.id).votes == {"Ana": 2}  # type: ignore[union-attr]


def test_undo_is_per_indicator() -> None:
    w = workshop("anonymous")
    w.cast_at(2)
    w.next()
    assert w.undo_last() is None
    w.cast_at(4)
    assert w.undo_last() == Cast(None, 4)
    w.previous()
    assert w.votes() == [2]


def test_a_new_indicator_starts_hidden_and_the_one_left_stays_revealed() -> None:
    w = workshop()
    w.cast_at(3)
    w.reveal()
    assert w.revealed
    w.next()
    assert not w.revealed
    assert w.highlighted == "Ana"
    w.previous()
    assert w.revealed, "a revealed round stays revealed (and locked) when the room comes back"
    w.next()
    w.go(len(w.indicators) - 1)
    assert not w.next()
    w.go(0)
    assert not w.previous()
    with pytest.raises(WorkshopError):
        w.go(len(w.indicators))


def test_consensus_and_notes_are_kept_and_cleared() -> None:
    w = workshop()
    w.set_consensus(4)
    w.set_notes("[bold]keep as typed[/]")
    rating = w.session.rating(w.indicator.id)
    assert rating is not None and rating.consensus == 4 and rating.notes == "[bold]keep as typed[/]"
    w.set_consensus(None)
    w.set_notes("  ")
    assert rating.consensus is None and rating.notes is None


def test_picking_the_rooms_median_as_consensus_records_none_once_it_is_seen() -> None:
    """The consensus dialog opens on the revealed median: picking it keeps the median as
    the agreed rating (it follows the votes); hidden, the median is no one's to know, so
    the pick is recorded. One rule, which the app and the kill loop both ask."""
    w = workshop()
    for position in (2, 4, 3):  # Ana 2, Ben 4, Caro 3 on the 1-5 scale: median 3
        w.cast_at(position)
    rating = w.session.rating(w.indicator.id)
    assert rating is not None
    w.choose_consensus(3)  # hidden: recorded
    assert rating.consensus == 3
    w.set_consensus(None)
    w.reveal()
    told = heard(w)
    w.choose_consensus(3)  # the median everyone sees: nothing to record
    assert rating.consensus is None and told == []
    w.choose_consensus(4)
    w.choose_consensus(4)  # the consensus already set: no change
    assert rating.consensus == 4 and len(told) == 1
    w.choose_consensus(3)  # away from a set consensus, to the median: recorded
    assert rating.consensus == 3


def test_first_unrated_skips_rated_and_not_applicable_indicators() -> None:
    w = workshop()
    w.cast_at(3)
    w.next()
    w.set_consensus(2)
    w.next()
    w.set_not_applicable(True)
    assert w.first_unrated_index() == 3


def test_every_change_bumps_updated_at_and_tells_listeners() -> None:
    w = workshop()
    heard: list[int] = []
    w.on_change.append(lambda: heard.append(w.revision))
    w.cast_at(3)
    w.reveal()
    assert heard == [1, 1]
    assert w.session.updated_at > START


def test_actions_are_added_edited_and_deleted_with_validation() -> None:
    w = workshop()
    first = w.add_action("Call [red]five[/] customers", indicator=w.indicator.id, owner="Ben")
    second = w.add_action("Survey", due=date(2027, 1, 31))
    assert (first.id, second.id) == (1, 2)
    w.edit_action(1, "Call six customers", status="done")
    assert w.session.actions[0].title == "Call six customers"
    assert w.session.actions[0].status == "done"
    w.delete_action(2)
    assert [a.id for a in w.session.actions] == [1]
    with pytest.raises(WorkshopError, match="title"):
        w.add_action("  ")
    with pytest.raises(WorkshopError, match="unknown indicator"):
        w.add_action("x", indicator="nope")
    with pytest.raises(WorkshopError, match="no action"):
        w.delete_action(7)


def test_the_session_still_saves_after_a_workshop() -> None:
    w = workshop()
    w.cast_at(5)
    w.undo_last()
    w.cast_at(1)
    w.set_consensus(2)
    w.add_action("Do it")
    text = dumps_session(w.session)
    assert "Ana = 1" in text


def test_withdraw_takes_back_a_participants_vote_and_its_undo_history() -> None:
    w = workshop()
    w.cast(3, participant="Ana")
    w.cast(4, participant="Ben")
    assert w.withdraw(participant="Ana")
    assert not w.withdraw(participant="Ana")
    assert w.session.rating(w.indicator.id).votes == {"Ben": 4}  # type: ignore[union-attr]
    w.undo_last()
    w.undo_last()
    assert w.votes() == []


def test_withdraw_takes_back_one_anonymous_value() -> None:
    w = workshop("anonymous")
    for position in (2, 3, 2):
        w.cast_at(position)
    assert w.withdraw(value=2)
    assert not w.withdraw(value=5)
    assert sorted(w.votes()) == [2, 3]
    w.undo_last()
    assert w.votes() == [2]


# --- Readings and carried-over actions go through the workshop too --------------------------


def heard(w: Workshop) -> list[int]:
    """The revisions listeners were told about, as the app's autosave hears them."""
    told: list[int] = []
    w.on_change.append(lambda: told.append(w.revision))
    return told


def test_a_reading_is_a_change_saved_like_a_vote_and_a_bad_one_is_none() -> None:
    w = workshop()
    told = heard(w)
    reading = w.set_reading("nps", "32", "after the launch")
    assert reading is not None and (reading.value, reading.note) == (32, "after the launch")
    assert w.session.reading("nps") == reading and told == [1]
    assert w.session.updated_at > START
    with pytest.raises(ValueError, match="not a number"):
        w.set_reading("nps", "lots")
    assert told == [1] and w.session.reading("nps") == reading
    assert w.set_reading("nps", "") is None and told == [1, 2]


def test_carry_over_and_its_review_are_changes_of_the_workshop() -> None:
    previous = session().model_copy(update={"id": "t-2026-q3"})
    previous.actions.append(Action(id=7, title="Call Ana"))
    w = workshop()
    told = heard(w)
    (copy,) = w.carry_over(previous)
    assert (copy.carried_from, copy.carried_id) == ("t-2026-q3", 7) and told == [1]
    assert w.carry_over(previous) == [] and told == [1], "nothing new: no change to save"
    assert w.review_carried(copy.id, "done").status == "done" and told == [1, 2]
    with pytest.raises(LookupError):
        w.review_carried(99, "done")
    assert told == [1, 2]


# --- Hidden until the reveal: one rule, asked by every screen, export and device ------------


def test_hidden_votes_are_not_in_the_shown_session_until_the_reveal() -> None:
    w = workshop()
    first = w.indicator.id
    for position in (5, 5, 2):
        w.cast_at(position)
    assert w.voting_on == first
    shown = w.shown_session()
    assert shown.rating(first) is not None and shown.rating(first).votes is None  # type: ignore[union-attr]
    assert "Ana = 5" not in dumps_session(shown)
    assert w.session.rating(first).votes == {"Ana": 5, "Ben": 5, "Caro": 2}  # type: ignore[union-attr]
    w.reveal()
    assert w.voting_on is None
    assert w.shown_session() is w.session


def test_moving_on_reveals_the_votes_left_behind() -> None:
    w = workshop()
    first = w.indicator.id
    w.cast_at(4)
    w.next()
    assert w.voting_on == w.indicator.id != first
    assert w.shown_session().rating(first).votes == {"Ana": 4}  # type: ignore[union-attr]


def test_the_shown_session_keeps_what_the_room_decides_aloud() -> None:
    w = workshop()
    w.cast_at(2)
    w.set_consensus(4)
    w.set_notes("talk it over")
    shown = w.shown_session().rating(w.indicator.id)
    assert shown is not None and shown.votes is None
    assert (shown.consensus, shown.notes) == (4, "talk it over")


# --- Locked after the reveal, until a re-vote ------------------------------------------


def test_votes_are_locked_after_the_reveal() -> None:
    for voting in ("named", "anonymous"):
        w = workshop(voting)
        w.cast_at(3)
        w.reveal()
        before = w.revision
        with pytest.raises(VotesLocked):
            w.cast_at(5)
        with pytest.raises(VotesLocked):
            w.undo_last()
        with pytest.raises(VotesLocked):
            w.withdraw(participant="Ana") if voting == "named" else w.withdraw(value=3)
        assert w.votes() == [3] and w.revision == before, voting


def test_a_revote_clears_the_round_and_hides_it_again() -> None:
    w = workshop()
    for position in (4, 4, 1):
        w.cast_at(position)
    w.reveal()
    w.set_consensus(4)
    w.revote()
    assert not w.revealed and w.votes() == [] and w.highlighted == "Ana"
    rating = w.session.rating(w.indicator.id)
    assert rating is not None and rating.consensus is None
    assert w.undo_last() is None, "the cleared round cannot be undone back"
    w.cast_at(3)
    assert rating.votes == {"Ana": 3}
    assert "Ana = 3" in dumps_session(w.session), "the file keeps the final round"


def test_a_resumed_finished_round_is_revealed_and_an_unfinished_one_hidden() -> None:
    w = workshop()
    for position in (4, 4, 1):
        w.cast_at(position)
    w.next()
    w.cast_at(2)  # the laptop dies after one of three votes on the second indicator
    resumed = Workshop(Session.model_validate(w.session.model_dump()), now=Clock())
    assert resumed.revealed
    assert resumed.first_unrated_index() == 1, "resumes where the round was left open"
    resumed.go(1)
    assert resumed.voting_on == resumed.indicator.id
    assert resumed.highlighted == "Ben"


# --- A vote never replaces another participant's ------------------------------------------


def test_once_everyone_voted_a_digit_replaces_nobody() -> None:
    w = workshop()
    for position in (4, 4, 4):
        w.cast_at(position)
    assert w.highlighted is None
    with pytest.raises(NobodyChosen, match="everyone has voted"):
        w.cast_at(1)
    assert w.session.rating(w.indicator.id).votes == {"Ana": 4, "Ben": 4, "Caro": 4}  # type: ignore[union-attr]


def test_a_resumed_complete_round_replaces_nobody() -> None:
    w = workshop()
    for position in (4, 4, 4):
        w.cast_at(position)
    resumed = Workshop(Session.model_validate(w.session.model_dump()), now=Clock())
    assert resumed.highlighted is None
    with pytest.raises(WorkshopError):
        resumed.cast_at(1)
    assert resumed.votes() == [4, 4, 4]


def test_the_facilitator_picks_whose_vote_a_digit_changes() -> None:
    w = workshop()
    for position in (4, 4, 4):
        w.cast_at(position)
    w.move_highlight(1)
    assert w.highlighted == "Ana"
    w.cast_at(2)
    assert w.session.rating(w.indicator.id).votes == {"Ana": 2, "Ben": 4, "Caro": 4}  # type: ignore[union-attr]
    assert w.highlighted is None, "one change, then nobody again"


def test_a_device_vote_moves_the_highlight_off_its_voter() -> None:
    w = workshop()
    assert w.highlighted == "Ana"
    w.cast(3, participant="Ana")  # Ana's phone, just before the facilitator's key
    assert w.highlighted == "Ben"
    w.cast_at(4)
    assert w.session.rating(w.indicator.id).votes == {"Ana": 3, "Ben": 4}  # type: ignore[union-attr]


def test_when_everyone_at_the_keyboard_voted_no_device_voter_is_highlighted() -> None:
    w = workshop()
    w.set_own_devices(["Caro"])
    w.cast_at(1)
    w.cast_at(1)
    assert w.highlighted is None
    w.withdraw(participant="Ana")
    assert w.highlighted == "Ana", "a withdrawn vote is open to the keyboard again"


# --- Anonymous voting with a head count -----------------------------------------------------


def test_a_head_count_completes_an_anonymous_round_and_is_saved() -> None:
    w = workshop("anonymous")
    assert w.expected_votes is None and not w.everyone_voted()
    w.set_head_count(3)
    for position in (4, 4):
        w.cast_at(position)
    assert not w.everyone_voted()
    w.cast_at(5)
    assert w.everyone_voted()
    assert "head_count = 3\n" in dumps_session(w.session)
    w.set_head_count(None)
    assert "head_count" not in dumps_session(w.session)


def test_a_head_count_is_for_anonymous_voting_within_bounds() -> None:
    with pytest.raises(WorkshopError, match="named voting counts its participants"):
        workshop().set_head_count(3)
    w = workshop("anonymous")
    for refused in (0, -1, 501):
        with pytest.raises(WorkshopError, match="from 1 to 500"):
            w.set_head_count(refused)
    assert w.session.head_count is None


def test_a_resumed_anonymous_round_short_of_its_head_count_is_still_hidden() -> None:
    w = workshop("anonymous")
    w.set_head_count(3)
    w.cast_at(4)
    w.cast_at(4)  # the laptop dies after two of three votes
    resumed = Workshop(Session.model_validate(w.session.model_dump()), now=Clock())
    assert resumed.session.head_count == 3
    assert not resumed.revealed and resumed.voting_on == resumed.indicator.id
