"""The HTML outputs: a session's report, a comparison and the portfolio, one file each.

Each page is one self-contained file (inline CSS and SVG, no script, no request) rendered by
Jinja2 with autoescape on: user text only ever reaches the page as a template variable, so it
is escaped, never concatenated into markup. The charts' geometry comes from `charts`; the
templates under templates/ draw it. Every chart has its text beside it (a table, or the
SVG's <title> and aria-label), for screen readers and for paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from maturity_tui import __version__, charts
from maturity_tui.compare import Column, ComparedModel, Comparison, ReadingTrend, action_counts
from maturity_tui.domain import Color, Session, Trend
from maturity_tui.domain.base import Number
from maturity_tui.export import trend_text
from maturity_tui.scoring import (
    BOARD_ORDER,
    BoardCounts,
    DimensionScore,
    ReadingScore,
    SessionScore,
    board_order,
    score_session,
    score_top,
)
from maturity_tui.standing import (
    COLOR_LETTERS,
    TREND_ARROWS,
    credit_lines,
    headline,
    optional_text,
    percent_text,
    score_text,
    signed,
    signed_score,
    source_lines,
)
from maturity_tui.textsafe import strip_controls

if TYPE_CHECKING:
    import jinja2

    from maturity_tui.portfolio import ModelGroup, Portfolio


@cache
def _environment() -> jinja2.Environment:
    # Imported on first use: text, Markdown and JSON outputs never pay for Jinja2.
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("maturity_tui", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Escaped for HTML by autoescape, and first stripped of terminal escapes and
        # controls like every other output: `cat report.html` must not drive the terminal.
        finalize=_literal,
    )
    environment.globals.update(
        shade=charts.shade,
        fraction_of=charts.fraction_of,
        percent=percent_text,
        number=optional_text,
        delta=signed,
        score_text=score_text,
        score_delta=signed_score,
        color_letter=COLOR_LETTERS.get,
        trend_arrow=TREND_ARROWS.get,
        board_trend=trend_text,
    )
    # SVG coordinates: one decimal is finer than any screen or printer shows.
    environment.filters["px"] = lambda value: f"{value:.1f}"
    return environment


def _literal(value: object) -> object:
    """User text without terminal controls; markup the templates made (Markup) untouched."""
    from markupsafe import Markup

    return (
        strip_controls(value) if isinstance(value, str) and not isinstance(value, Markup) else value
    )


def _render(template: str, *, sources: Sequence[str] = (), **context: Any) -> str:
    """`sources`: the models' published sources and licences, credited in the page's footer."""
    page = _environment().get_template(template)
    return page.render(version=__version__, sources=sources, **context)


# --- A session's report ------------------------------------------------------------------


def render_report(session: Session) -> str:
    score = score_session(session)
    model = session.model
    top = score_top(model)
    return _render(
        "report.html.j2",
        sources=source_lines([model]),
        session=session,
        model=model,
        score=score,
        ladder=None
        if score.level is None
        else charts.ladder(model.top_level, score.level, score.progress),
        headline=headline(model, score),
        histograms={s.id: charts.histogram(s.stats.histogram) for s in score.contested},
        gauges=[_reading_gauge(r) for r in score.readings],
        actions=action_counts(session),
        scale_range=(model.scale.values[0], model.scale.values[-1]),
        score_top=top,
        score_rows=score_rows(score, top) if score.mode == "score" else [],
        radar=_radar(score, top),
        board=board_order(score.indicators) if score.mode == "board" else [],
        board_bars=None if score.board is None else board_bars([score.board]),
    )


def board_bars(boards: Sequence[BoardCounts | None], *, left: float = 0.0) -> charts.Stacks:
    """Each board's cards by colour, red first, unrated last, as one stacked bar each."""
    return charts.stacked_bars(
        [
            []
            if board is None
            else [(color, getattr(board, color)) for color in (*BOARD_ORDER, "unrated")]
            for board in boards
        ],
        left=left,
    )


# --- Score models: dimension scores against targets ----------------------------------------


@dataclass(frozen=True, slots=True)
class ScoreRow:
    """A line of the grouped bars: a group's score, or one of its dimensions' against its
    target."""

    name: str
    score: float | None
    target: Number | None
    met: bool | None
    bar: charts.Gauge | None
    group: bool = False


def score_rows(score: SessionScore, top: float) -> list[ScoreRow]:
    """Each group's score, followed by its dimensions' (every dimension, without groups)."""

    def bar(value: float | None, target: Number | None) -> charts.Gauge | None:
        return None if value is None else charts.gauge(value, target, 0.0, top)

    def dimension_row(d: DimensionScore) -> ScoreRow:
        return ScoreRow(d.name, d.score, d.target, d.met, bar(d.score, d.target))

    if not score.groups:
        return [dimension_row(d) for d in score.dimensions]
    rows = []
    for group in score.groups:
        rows.append(ScoreRow(group.name, group.score, None, None, bar(group.score, None), True))
        rows += [dimension_row(d) for d in score.dimensions if d.group == group.id]
    return rows


RADAR_FEWEST = 3
"""A radar of fewer spokes is a line, not a shape: the bars alone show those."""


def _radar(score: SessionScore, top: float) -> charts.Radar | None:
    if score.mode != "score" or len(score.dimensions) < RADAR_FEWEST:
        return None
    return charts.radar(
        [d.score for d in score.dimensions], [d.target for d in score.dimensions], top
    )


def _reading_gauge(scored: ReadingScore) -> charts.Gauge | None:
    """A bar of the value against its target, for numeric readings."""
    value = scored.reading.value
    if isinstance(value, str):
        return None
    low, high = charts.value_range(
        [value, *([scored.target] if scored.target is not None else [])],
        scored.metric.min,
        scored.metric.max,
    )
    return charts.gauge(value, scored.target, low, high)


# --- Comparison --------------------------------------------------------------------------


def render_compare(comparison: Comparison) -> str:
    columns = comparison.columns
    models = [column.model for column in columns]
    top = max((model.top_level for model in models), default=1)
    top_score = max((model.score_top for model in models), default=1.0)
    mode = columns[-1].score.mode if columns else "staged"
    return _render(
        "compare.html.j2",
        sources=credit_lines(model.attribution for model in models),
        comparison=comparison,
        mode=mode,
        standings=[c.score.text for c in columns],
        top_level=top,
        level_chart=None
        if any(column.score.level is None for column in columns)
        else charts.line_chart(
            [column.score.level for column in columns], 1, top, y_ticks=range(1, top + 1)
        ),
        placed_dimensions=[d for d in comparison.dimensions if _any_known(d.levels)],
        scored_dimensions=[d for d in comparison.dimensions if _any_known(d.scores)],
        score_top=top_score,
        score_chart=_score_chart([column.score.score for column in columns], top_score),
        board_change=_board_change(columns),
        board_bars=board_bars([c.score.board for c in columns], left=80.0)
        if mode == "board"
        else None,
        answer_ranges=_answer_ranges(columns),
        kpis=[_kpi_chart(trend) for trend in comparison.readings if _numeric(trend)],
        scale_range=_scale_range(models),
    )


def _any_known(values: Sequence[float | None]) -> bool:
    return any(value is not None for value in values)


def _score_chart(scores: Sequence[float | None], top: float) -> charts.LineChart | None:
    if not _any_known(scores):
        return None
    ticks = [0.0, *charts.ring_steps(top)]
    return charts.line_chart(scores, 0.0, top, y_ticks=ticks, label=score_text)


def _board_change(columns: Sequence[Column]) -> dict[str, int] | None:
    """Red, amber and green cards now against the first board compared; None without two."""
    boards = [column.score.board for column in columns if column.score.board is not None]
    if len(boards) < 2:
        return None
    first, last = boards[0], boards[-1]
    return {color: getattr(last, color) - getattr(first, color) for color in BOARD_ORDER}


def _answer_ranges(columns: Sequence[Column]) -> dict[str, tuple[Number, Number]]:
    """Each indicator's lowest and highest answer, as its newest session's model has them:
    a score model's indicators each answer on their own set."""
    ranges = {}
    for column in columns:
        for cell in column.score.indicators:
            answers = cell.indicator.answers
            ranges[cell.indicator.id] = (answers[0], answers[-1])
    return ranges


def _numeric(trend: ReadingTrend) -> bool:
    return trend.metric.kind == "quantitative" and any(
        v is not None and not isinstance(v, str) for v in trend.values
    )


def _scale_range(models: Sequence[ComparedModel]) -> tuple[Number, Number]:
    values = [v for model in models for v in model.scale]
    return (min(values), max(values)) if values else (0, 1)


def _kpi_chart(trend: ReadingTrend) -> tuple[ReadingTrend, charts.LineChart, str]:
    """The metric's line, and its targets (the one in force each period) as a second path."""
    values = [None if isinstance(v, str) else v for v in trend.values]
    known = [v for v in (*values, *trend.targets) if v is not None]
    low, high = charts.value_range(known, trend.metric.min, trend.metric.max)
    line = charts.line_chart(values, low, high)
    return trend, line, charts.line_chart(trend.targets, low, high).path


# --- Portfolio ---------------------------------------------------------------------------


def render_portfolio(portfolio: Portfolio) -> str:
    return _render(
        "portfolio.html.j2",
        portfolio=portfolio,
        views=[_group_view(group) for group in portfolio.groups],
    )


@dataclass(frozen=True, slots=True)
class Card:
    """A board's card on one team's board."""

    color: Color | None
    trend: Trend | None
    applicable: bool


@dataclass(frozen=True, slots=True)
class GroupView:
    """What a model's table of teams draws beyond the teams' own numbers."""

    top: float
    """The far end of the colour scale: the top level, or the highest possible score."""
    trends: dict[str, charts.Sparkline]
    """By team: its level or score over its periods."""
    cards: dict[str, str]
    """Board models: every card any team has (id: statement), newest model's order first."""
    boards: dict[str, dict[str, Card]]
    """Board models, by team: its cards by id."""


def _group_view(group: ModelGroup) -> GroupView:
    teams = group.teams
    if group.scoring == "score":
        top = max(score_top(team.session.model) for team in teams)
        trends = {t.team: charts.sparkline([p.score for p in t.history], 0.0, top) for t in teams}
    else:
        top = float(group.top_level)
        trends = {
            t.team: charts.sparkline([p.level for p in t.history], 1, group.top_level)
            for t in teams
        }
    cards: dict[str, str] = {}
    boards: dict[str, dict[str, Card]] = {}
    if group.scoring == "board":
        newest_first = sorted(teams, key=lambda t: t.session.updated_at, reverse=True)
        for team in newest_first:
            for indicator in team.session.model.indicators:
                cards.setdefault(indicator.id, indicator.statement)
        for team in teams:
            scored = score_session(team.session).indicators
            boards[team.team] = {s.id: Card(s.color, s.trend, s.applicable) for s in scored}
    return GroupView(top, trends, cards, boards)
