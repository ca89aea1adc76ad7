"""Every team of the sessions folder side by side: where each stands, and where it is going.

A team is its normalised name (`history.team_key`: "Apollo" and "apollo " are one team),
on one model: a team that moved to another model appears once per model, in that model's
group, because levels of different models do not compare. Each team shows at its latest
session (or its latest of `--period`), with its history up to there. Files a sync tool left
beside each other ("x (conflicted copy).toml", "x (1).toml") hold the same session id: they
are reported as conflicts and counted once.

The folder is read through the library's index (`library_index`): a summary of every file,
up to date, without parsing the files that did not change; only the session each team shows
is read from its file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from maturity_tui.domain import Scoring, Session
from maturity_tui.history import chronological_key, team_key
from maturity_tui.library_index import SessionSummary, library
from maturity_tui.scoring import DIGITS, BoardCounts
from maturity_tui.storage import LoadError, load_session


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    period: str
    session: str
    level: int | None
    """None for models without an overall level (score and board models)."""
    path: Path
    score: float | None = None
    """Score models: the overall score."""
    board: BoardCounts | None = None
    """Board models: the cards of each colour."""


@dataclass(frozen=True, slots=True)
class TeamStanding:
    """A team at the session the portfolio shows, with its history on the same model."""

    team: str
    """As written in the session shown (the newest spelling)."""
    session: Session
    path: Path
    summary: SessionSummary
    history: tuple[HistoryPoint, ...]
    """Oldest period first, ending with the session shown."""

    @property
    def level(self) -> int | None:
        return self.summary.level

    @property
    def score(self) -> float | None:
        return self.summary.score

    @property
    def board(self) -> BoardCounts | None:
        return self.summary.board

    @property
    def progress(self) -> float | None:
        return self.summary.progress

    @property
    def complete(self) -> bool:
        return self.summary.unrated == 0

    @property
    def open_actions(self) -> int:
        return self.summary.actions["open"]

    @property
    def dimension_levels(self) -> dict[str, float | None]:
        """Each dimension's level, or its score in a score model."""
        return {d.id: d.level if d.score is None else d.score for d in self.summary.dimensions}

    @property
    def level_delta(self) -> int | None:
        """The move since the previous session; None for a team's first."""
        if len(self.history) < 2:
            return None
        before, now = self.history[-2].level, self.history[-1].level
        return None if before is None or now is None else now - before

    @property
    def score_delta(self) -> float | None:
        """Score models: the move since the previous session; None for a team's first."""
        if len(self.history) < 2:
            return None
        before, now = self.history[-2].score, self.history[-1].score
        return None if before is None or now is None else round(now - before, DIGITS)


@dataclass(frozen=True, slots=True)
class ModelGroup:
    """The teams assessed with one model (any of its versions), by team name."""

    model_id: str
    name: str
    version: str
    scoring: Scoring
    top_level: int
    dimensions: tuple[tuple[str, str], ...]
    """(id, name) of every dimension any of its teams has, in model order."""
    teams: tuple[TeamStanding, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Several files holding one session id: the one counted, and the others."""

    session_id: str
    counted: Path
    others: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class Portfolio:
    folder: Path
    period: str | None
    groups: tuple[ModelGroup, ...]
    conflicts: tuple[Conflict, ...]
    unreadable: tuple[LoadError, ...]
    missing_period: tuple[str, ...]
    """Teams with sessions, none of them in `period`."""

    @property
    def teams(self) -> list[TeamStanding]:
        """Every team of every group, by team name, then model."""
        every = [team for group in self.groups for team in group.teams]
        return sorted(every, key=lambda t: (team_key(t.team), t.session.model.id))


Summary = tuple[Path, SessionSummary]


def gather(folder: Path) -> tuple[list[Summary], list[LoadError]]:
    """A summary of every session of the folder, and the files that failed to load."""
    summaries, errors = [], []
    for row in library(folder).rows:
        if row.summary is not None:
            summaries.append((row.path, row.summary))
        else:
            errors.append(LoadError(row.path, list(row.problems)))
    return summaries, errors


def build_portfolio(folder: Path, period: str | None = None) -> Portfolio:
    summaries, errors = gather(folder)
    return portfolio_of(folder, summaries, errors, period)


def portfolio_of(
    folder: Path,
    summaries: Iterable[Summary],
    errors: Sequence[LoadError],
    period: str | None = None,
) -> Portfolio:
    files, conflicts = _without_conflicts(summaries)
    by_team: dict[tuple[str, str], list[Summary]] = {}
    for path, summary in files:
        by_team.setdefault((summary.model_id, team_key(summary.team)), []).append((path, summary))
    standings: dict[str, list[TeamStanding]] = {}
    missing: set[str] = set()
    problems = list(errors)
    for (model_id, _), history in by_team.items():
        history.sort(key=lambda item: chronological_key(item[1]))
        shown = _shown(history, period)
        if shown is None:
            missing.add(history[-1][1].team.strip())
            continue
        try:
            standing = _standing(history[: shown + 1])
        except LoadError as error:  # changed since the index read it, and broken now
            problems.append(error)
            continue
        standings.setdefault(model_id, []).append(standing)
    groups = tuple(_group(teams) for _, teams in sorted(standings.items()))
    present = {team_key(t.team) for group in groups for t in group.teams}
    return Portfolio(
        folder=folder,
        period=period,
        groups=groups,
        conflicts=tuple(conflicts),
        unreadable=tuple(problems),
        missing_period=tuple(sorted(t for t in missing if team_key(t) not in present)),
    )


def _without_conflicts(summaries: Iterable[Summary]) -> tuple[list[Summary], list[Conflict]]:
    """One file per session id. The one counted is the file named after the id; failing that
    the one changed last (the sync tool's copy is the stranger)."""
    by_id: dict[str, list[Summary]] = {}
    for path, summary in summaries:
        by_id.setdefault(summary.id, []).append((path, summary))
    kept, conflicts = [], []
    for session_id, copies in sorted(by_id.items()):
        copies.sort(key=lambda c: (c[0].stem != session_id, -c[1].updated_at.timestamp(), c[0]))
        kept.append(copies[0])
        if len(copies) > 1:
            others = tuple(path for path, _ in copies[1:])
            conflicts.append(Conflict(session_id, copies[0][0], others))
    return kept, conflicts


def _shown(history: Sequence[Summary], period: str | None) -> int | None:
    """The index of the session to show: the latest, or the latest of the period."""
    if period is None:
        return len(history) - 1
    wanted = period.strip().casefold()
    matching = [n for n, (_, s) in enumerate(history) if s.period.strip().casefold() == wanted]
    return matching[-1] if matching else None


def _standing(history: Sequence[Summary]) -> TeamStanding:
    """The team at the last of `history`, whose file is read for its model's names."""
    path, summary = history[-1]
    session = load_session(path)
    return TeamStanding(
        team=session.team.strip(),
        session=session,
        path=path,
        summary=summary,
        history=tuple(
            HistoryPoint(s.period, s.id, s.level, p, s.score, s.board) for p, s in history
        ),
    )


def _group(teams: list[TeamStanding]) -> ModelGroup:
    teams.sort(key=lambda t: team_key(t.team))
    # The newest session's model names the group and orders its dimensions.
    newest = max(teams, key=lambda t: t.session.updated_at).session.model
    dimensions = {d.id: d.name for d in newest.dimensions}
    for team in teams:
        for d in team.session.model.dimensions:
            dimensions.setdefault(d.id, d.name)
    return ModelGroup(
        model_id=newest.id,
        name=newest.name,
        version=newest.version,
        scoring=newest.mode,
        top_level=max(t.session.model.top_level for t in teams),
        dimensions=tuple(dimensions.items()),
        teams=tuple(teams),
    )
