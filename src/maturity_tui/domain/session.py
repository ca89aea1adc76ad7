"""The session format: one workshop's participants, votes, readings and actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from functools import partial
from itertools import chain
from operator import attrgetter, is_not
from typing import Any, Literal

from pydantic import AwareDatetime, Field, PrivateAttr, field_validator, model_validator

from maturity_tui.domain.base import (
    NonBlank,
    Number,
    Slug,
    Strict,
    beyond_limit,
    check_format,
    private,
    require_unique,
)
from maturity_tui.domain.model import MaturityModel
from maturity_tui.tallies import ACTION_STATUSES as ACTION_STATUSES
from maturity_tui.tallies import ActionStatus as ActionStatus

SESSION_FORMAT = "maturity-session"
SESSION_FORMAT_VERSION = 2

Votes = dict[str, Number] | list[Number]
"""Named voting: participant -> value; anonymous voting: the values alone."""

Trend = Literal["up", "same", "down"]

TrendVotes = dict[str, Trend] | list[Trend]
"""Format 2, models with trend = true: shaped like the votes."""


def quarter_of(moment: date) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


class Rating(Strict):
    indicator: Slug
    votes: Votes | None = None
    consensus: Number | None = None
    not_applicable: bool | None = None
    notes: str | None = None
    trend_votes: TrendVotes | None = None
    trend: Trend | None = Field(None, description="The room's agreed trend.")

    @property
    def vote_values(self) -> list[Number]:
        return _values(self.votes)

    @property
    def trend_values(self) -> list[Trend]:
        return _values(self.trend_votes)

    @property
    def applicable(self) -> bool:
        return not self.not_applicable


def _values(votes: dict[str, Any] | list[Any] | None) -> list[Any]:
    if votes is None:
        return []
    return list(votes.values()) if isinstance(votes, dict) else list(votes)


_indicator_of = attrgetter("indicator")
_votes_of = attrgetter("votes")
_consensus_of = attrgetter("consensus")
_trends_of = attrgetter("trend_votes")
_trend_of = attrgetter("trend")
_given = partial(is_not, None)


def _plain_values(ratings: list[Rating], voting: Voting, voters: set[str]) -> list[Number] | None:
    """Every vote and consensus of the ratings, when they all are plain: no trend, votes
    shaped as the voting wants them (a table by known participants, or a list), integers and
    decimals only; None otherwise. Told in a few passes in C over all of a session's
    ratings: loading a folder checks every vote of every file."""
    if any(map(_given, map(_trends_of, ratings))) or any(map(_given, map(_trend_of, ratings))):
        return None
    votes = list(filter(_given, map(_votes_of, ratings)))
    if voting == "named":
        if not {dict}.issuperset(map(type, votes)) or not voters.issuperset(chain(*votes)):
            return None
        values = list(chain.from_iterable(map(dict.values, votes)))
    elif {list}.issuperset(map(type, votes)):
        values = list(chain.from_iterable(votes))
    else:
        return None
    values += filter(_given, map(_consensus_of, ratings))
    return values


class Reading(Strict):
    metric: Slug
    value: Number | str
    target: Number | None = None
    note: str | None = None


class Action(Strict):
    id: int = Field(ge=1)
    title: NonBlank
    indicator: Slug | None = None
    owner: str | None = None
    due: date | None = None
    status: ActionStatus = "open"
    carried_from: Slug | None = Field(
        None, description="The session this open action was carried over from."
    )
    carried_id: int | None = Field(
        None, ge=1, description="The action's id in the session it was carried over from."
    )


Voting = Literal["named", "anonymous"]
"""Named: each vote is a participant's; anonymous: votes are a list of values."""

HEAD_COUNT_MAX = 500
"""The most people a head count may give: as many as the room admits devices."""


class Session(Strict):
    format: Literal["maturity-session"]
    format_version: int = Field(ge=1)
    id: Slug
    team: NonBlank
    title: str | None = None
    facilitator: str | None = None
    period: NonBlank
    started_at: AwareDatetime
    updated_at: AwareDatetime
    status: Literal["in-progress", "complete"] = "in-progress"
    voting: Voting = "named"
    participants: list[NonBlank] = []
    head_count: int | None = Field(
        None,
        ge=1,
        le=HEAD_COUNT_MAX,
        description="Anonymous voting: how many people vote, so the tally reads '5 of 8 votes'.",
    )
    model: MaturityModel
    ratings: list[Rating] = []
    readings: list[Reading] = []
    actions: list[Action] = []
    targets: dict[Slug, Number] | None = Field(
        None, description="Score models: this period's recalibrated targets by dimension id."
    )

    _ratings_by_indicator: dict[str, Rating] = PrivateAttr(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _known_format_and_period(cls, data: Any) -> Any:
        data = check_format(data, SESSION_FORMAT, SESSION_FORMAT_VERSION)
        if isinstance(data, dict) and "period" not in data:
            started = data.get("started_at")
            if isinstance(started, date):
                data = {**data, "period": quarter_of(started)}
        return data

    @field_validator("participants")
    @classmethod
    def _unique_participants(cls, names: list[str]) -> list[str]:
        require_unique("participants", names)
        return names

    @model_validator(mode="after")
    def _references(self) -> Session:
        model = self.model
        # A set built once per session: these checks run for every rating of every file loaded.
        voters = set(self.participants)
        plain = _plain_values(self.ratings, self.voting, voters)
        if self.format_version < 2 and not self._format_1_at_a_glance(plain):
            feature = next(self._format_2_features(), None)
            if feature:
                raise ValueError(
                    f"{feature} needs format_version = 2 (this file says format_version = 1)"
                )
        if self.head_count is not None and self.voting != "anonymous":
            raise ValueError(
                "head_count is for anonymous voting (named voting counts its participants)"
            )
        require_unique("ratings for indicator", map(_indicator_of, self.ratings))
        if not self._ratings_fit_at_a_glance(plain):
            for rating in self.ratings:
                self._check_rating(rating, voters)
        model.check_targets(self.targets or {})
        require_unique("readings for metric", (r.metric for r in self.readings))
        for reading in self.readings:
            self._check_reading(reading)
        require_unique("action ids", (a.id for a in self.actions))
        for action in self.actions:
            if action.indicator is not None and model.indicator(action.indicator) is None:
                raise ValueError(f"action {action.id} names unknown indicator {action.indicator}")
        self._ratings_by_indicator = {r.indicator: r for r in self.ratings}
        return self

    def _format_1_at_a_glance(self, plain: list[Number] | None) -> bool:
        """True when `_format_2_features` would find nothing, told without looking at each
        rating; False when it cannot tell (the generator then looks)."""
        return (
            plain is not None
            and self.model.format_version < 2
            and self.targets is None
            and float not in set(map(type, plain))
        )

    def _ratings_fit_at_a_glance(self, plain: list[Number] | None) -> bool:
        """True when no rating breaks a rule of `_check_rating`, told for all the ratings at
        once; False when it cannot tell (each rating is then checked, and the first that
        breaks a rule is named)."""
        model = self.model
        if plain is None or model.answer_sets:
            return False  # with answer sets, each indicator has its own values
        known: dict[str, object] = private(model, "_indicators_by_id")
        allowed: frozenset[Number] = private(model.scale, "_value_set")
        return known.keys() >= set(map(_indicator_of, self.ratings)) and allowed.issuperset(plain)

    def _format_2_features(self) -> Iterator[str]:
        if self.model.format_version >= 2:
            yield "a format-2 model"
        if self.targets is not None:
            yield "targets"
        for rating in self.ratings:
            if rating.trend_votes is not None or rating.trend is not None:
                yield f"rating for {rating.indicator}: a trend"
            # Types, not values: TOML gives exactly int or float (no bool: strict validation).
            if float in set(map(type, rating.vote_values)) or isinstance(rating.consensus, float):
                yield f"rating for {rating.indicator}: a decimal vote"

    def _check_rating(self, rating: Rating, voters: set[str]) -> None:
        where = f"rating for {rating.indicator}"
        if self.model.indicator(rating.indicator) is None:
            raise ValueError(f"{where}: unknown indicator {rating.indicator}")
        self._check_voters(where, rating.votes, voters, "votes")
        if rating.trend_votes is not None or rating.trend is not None:
            if not self.model.asks_trend:
                raise ValueError(f"{where}: a trend, but the model does not ask for one")
            self._check_voters(where, rating.trend_votes, voters, "trend_votes")
        scale = self.model.scale_for(rating.indicator)
        if scale.allows_all(rating.vote_values) and (
            rating.consensus is None or scale.allows(rating.consensus)
        ):
            return  # every file loaded checks every vote: the usual case stays in C
        off_scale = [v for v in rating.vote_values if not scale.allows(v)]
        if rating.consensus is not None and not scale.allows(rating.consensus):
            off_scale.append(rating.consensus)
        if off_scale:
            raise ValueError(f"{where}: {off_scale} not on the {scale.what} {scale.values}")

    def _check_voters(
        self, where: str, votes: dict[str, Any] | list[Any] | None, voters: set[str], key: str
    ) -> None:
        if isinstance(votes, dict):
            if self.voting == "anonymous":
                raise ValueError(f"{where}: anonymous voting keeps {key} as a list of values")
            strangers = [name for name in votes if name not in voters]
            if strangers:
                raise ValueError(f"{where}: {key} by non-participants {strangers}")
        elif votes is not None and self.voting == "named":
            raise ValueError(f"{where}: named voting needs {key} as {{ Name = value }}")

    def _check_reading(self, reading: Reading) -> None:
        metric = self.model.metric(reading.metric)
        if metric is None:
            raise ValueError(f"reading names unknown metric {reading.metric}")
        if metric.kind == "qualitative":
            if not isinstance(reading.value, str) or reading.target is not None:
                raise ValueError(f"reading {metric.id}: a qualitative metric takes text, no target")
            return
        for label, number in (("value", reading.value), ("target", reading.target)):
            if isinstance(number, str):
                raise ValueError(f"reading {metric.id}: {label} must be a number")
            if beyond_limit(number):
                raise ValueError(f"reading {metric.id}: {label} {number} is beyond ±10^15")
            if number is not None and not metric.in_range(number):
                raise ValueError(
                    f"reading {metric.id}: {label} {number} outside {metric.min}..{metric.max}"
                )

    def rating(self, indicator_id: str) -> Rating | None:
        found: Rating | None = private(self, "_ratings_by_indicator").get(indicator_id)
        return found

    def rating_or_new(self, indicator_id: str) -> Rating:
        """The indicator's rating, created (in model order) when it has none yet."""
        rating = self.rating(indicator_id)
        if rating is None:
            rating = Rating(indicator=indicator_id)
            order = {i.id: n for n, i in enumerate(self.model.indicators)}
            self.ratings.append(rating)
            self.ratings.sort(key=lambda r: order[r.indicator])
            private(self, "_ratings_by_indicator")[indicator_id] = rating
        return rating

    def with_rating(self, rating: Rating) -> Session:
        """A shallow copy in which `rating` stands in for its indicator's own (everything else
        shared, nothing validated): a view of the session to show, never one to save."""
        ratings = [rating if r.indicator == rating.indicator else r for r in self.ratings]
        view = self.model_copy(update={"ratings": ratings})
        view._ratings_by_indicator = {**self._ratings_by_indicator, rating.indicator: rating}
        return view

    def reading(self, metric_id: str) -> Reading | None:
        return next((r for r in self.readings if r.metric == metric_id), None)

    def next_action_id(self) -> int:
        return max((a.id for a in self.actions), default=0) + 1


def session_datetime(moment: datetime) -> datetime:
    """Whole seconds: what a TOML file shows a person, and round-trips exactly."""
    return moment.replace(microsecond=0)


def new_session(
    session_id: str,
    model: MaturityModel,
    team: str,
    *,
    participants: list[str] | None = None,
    voting: Voting = "named",
    head_count: int | None = None,
    period: str | None = None,
    title: str | None = None,
    facilitator: str | None = None,
    now: datetime,
) -> Session:
    """A fresh, validated session that has no votes yet."""
    moment = session_datetime(now)
    return Session.model_validate(
        {
            "format": SESSION_FORMAT,
            # A session of a format-1 model stays format 1: older releases can open it.
            "format_version": model.format_version,
            "id": session_id,
            "team": team,
            "title": title,
            "facilitator": facilitator,
            "period": period or quarter_of(moment),
            "started_at": moment,
            "updated_at": moment,
            "voting": voting,
            "participants": participants or [],
            "head_count": head_count,
            "model": model.model_dump(mode="python"),
        }
    )
