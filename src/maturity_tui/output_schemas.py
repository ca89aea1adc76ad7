"""The shapes of the JSON outputs (report, compare, portfolio, actions) as pydantic models.

One source of truth for what scripts may rely on: `maturity-tui schema report|compare|
portfolio|actions` prints their JSON Schema, and the tests validate every golden JSON output
against them, so a renderer that adds, drops or retypes a key without saying so here fails.
Keys beyond DESIGN's minimum are listed too: an unlisted key is a change to the contract.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from maturity_tui.domain import Action

Number = int | float


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(Shape):
    """Where the model was published, and under which licence (format 2's `source`)."""

    name: str
    version: str | None
    url: str | None
    license: str | None


class ModelRef(Shape):
    id: str
    version: str
    name: str | None = None
    source: SourceRef | None = Field(None, description="Null for a model of one's own.")


class Header(Shape):
    format: str = Field(description="Which output this is.")
    format_version: int = Field(description="Grows only when a key changes meaning or goes away.")


# --- report -------------------------------------------------------------------------------


class ReportIndicator(Shape):
    id: str
    level: int | None
    dimension: str | None
    statement: str
    applicable: bool
    agreed: Number | None
    achieved: bool
    votes: int = Field(description="How many votes were cast.")
    median: Number | None
    mean: Number | None
    min: Number | None
    max: Number | None
    spread: Number | None
    contested: bool
    # Format 2 (score and board models): null where the model has no such thing.
    value_label: str | None = None
    color: str | None = None
    trend: str | None = None


class Objective(Shape):
    kind: Literal["advancement", "indicator"]
    text: str
    id: str | None = None
    agreed: Number | None = None
    target: Number | None = None


class ActionCounts(Shape):
    open: int
    done: int
    dropped: int


class ReportDimension(Shape):
    id: str
    name: str
    level: int | None
    next_level: int | None
    progress: float | None
    gates_passed: list[bool]
    group: str | None = None
    score: Number | None = None
    target: Number | None = None
    met: bool | None = None


class ReportReading(Shape):
    metric: str
    name: str
    unit: str | None
    value: Number | str
    target: Number | None
    met: bool | None
    note: str | None


class GroupScore(Shape):
    id: str
    name: str
    score: Number | None


class BoardCounts(Shape):
    red: int
    amber: int
    green: int
    unrated: int


class ReportOutput(Header):
    format: Literal["maturity-report"]
    session: str
    team: str
    title: str | None
    facilitator: str | None
    period: str
    started_at: str
    updated_at: str
    status: str
    voting: str
    participants: list[str]
    model: ModelRef
    scoring: str | None = Field(None, description='"levels", "score" or "board" (format 2).')
    score: Number | None = Field(None, description="Overall score; null unless a score model.")
    level: int | None
    level_name: str | None
    next_level: int | None
    next_level_name: str | None
    progress: float | None = Field(description="Towards the next level, 0-1; null at the top.")
    complete: bool
    unrated: list[str]
    contested: list[str]
    indicators: list[ReportIndicator]
    objectives: list[Objective]
    actions: ActionCounts
    dimensions: list[ReportDimension]
    groups: list[GroupScore] = []
    board: BoardCounts | None = Field(None, description="Card counts of a board model.")
    readings: list[ReportReading]


# --- compare ------------------------------------------------------------------------------


class CompareSession(Shape):
    id: str
    team: str
    period: str
    started_at: str
    model: ModelRef
    scale: list[Number]
    scoring: str | None = None
    score: Number | None = None
    level: int | None
    level_name: str | None
    next_level: int | None
    progress: float | None
    complete: bool
    dimensions: dict[str, int | None]
    dimension_scores: dict[str, Number | None] = {}
    actions: ActionCounts


class CompareIndicator(Shape):
    id: str
    level: int | None
    dimension: str | None
    statement: str
    ratings: list[Number | None] = Field(description="One per session, null where absent.")
    applicable: list[bool | None]
    delta: Number | None
    colors: list[str | None] | None = Field(None, description="Board models: per session.")


class CompareOutput(Header):
    format: Literal["maturity-compare"]
    teams: list[str]
    scale_changed: bool
    sessions: list[CompareSession]
    indicators: list[CompareIndicator]
    readings: dict[str, list[Number | str | None]]


# --- portfolio ----------------------------------------------------------------------------


class HistoryPoint(Shape):
    period: str
    session: str
    level: int | None
    score: Number | None
    board: BoardCounts | None = Field(None, description="Card counts of a board model.")


class PortfolioTeam(Shape):
    team: str
    session: str
    file: str
    period: str
    model: ModelRef
    scoring: str
    level: int | None
    score: Number | None
    progress: float | None
    complete: bool
    dimensions: dict[str, Number | None] = Field(description="Dimension id: level or score.")
    history: list[HistoryPoint] = Field(description="Oldest period first.")
    open_actions: int
    board: BoardCounts | None = Field(None, description="Card counts of a board model.")


class PortfolioDimension(Shape):
    id: str
    name: str


class PortfolioModel(Shape):
    id: str
    name: str
    version: str
    top_level: int | None
    dimensions: list[PortfolioDimension]
    teams: list[str]


class Conflict(Shape):
    session: str
    counted: str
    others: list[str]


class Unreadable(Shape):
    file: str
    problems: list[str]


class PortfolioOutput(Header):
    format: Literal["maturity-portfolio"]
    period: str | None
    teams: list[PortfolioTeam] = Field(description="Ordered by team.")
    models: list[PortfolioModel]
    conflicts: list[Conflict]
    unreadable: list[Unreadable]
    missing_period: list[str]


# --- actions ------------------------------------------------------------------------------


class ActionsOutput(Header):
    format: Literal["maturity-actions"]
    session: str
    team: str
    period: str
    source: SourceRef | None = Field(None, description="The model's source and licence.")
    actions: list[Action]


OUTPUT_SCHEMAS: dict[str, type[Header]] = {
    "report": ReportOutput,
    "compare": CompareOutput,
    "portfolio": PortfolioOutput,
    "actions": ActionsOutput,
}
