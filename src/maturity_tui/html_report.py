"""The HTML outputs: a session's report, a comparison and the portfolio, one file each.

Each page is one self-contained file (inline CSS and SVG, no script, no request) rendered by
Jinja2 with autoescape on: user text only ever reaches the page as a template variable, so it
is escaped, never concatenated into markup. The charts' geometry comes from `charts`; the
templates under templates/ draw it. Every chart has its text beside it (a table, or the
SVG's <title> and aria-label), for screen readers and for paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from maturity_tui import __version__, charts
from maturity_tui.compare import Comparison, ReadingTrend, action_counts
from maturity_tui.domain import MaturityModel, Session
from maturity_tui.domain.base import Number
from maturity_tui.scoring import ReadingScore, score_session
from maturity_tui.standing import (
    headline,
    optional_text,
    percent_text,
    score_text,
    signed,
    signed_score,
    standing_text,
)
from maturity_tui.textsafe import strip_controls

if TYPE_CHECKING:
    import jinja2

    from maturity_tui.portfolio import Portfolio


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


def _render(template: str, **context: Any) -> str:
    page = _environment().get_template(template)
    return page.render(version=__version__, **context)


# --- A session's report ------------------------------------------------------------------


def render_report(session: Session) -> str:
    score = score_session(session)
    model = session.model
    return _render(
        "report.html.j2",
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
    models = [column.session.model for column in columns]
    top = max((model.top_level for model in models), default=1)
    return _render(
        "compare.html.j2",
        comparison=comparison,
        standings=[standing_text(c.session.model, c.score) for c in columns],
        top_level=top,
        level_chart=None
        if any(column.score.level is None for column in columns)
        else charts.line_chart(
            [column.score.level for column in columns], 1, top, y_ticks=range(1, top + 1)
        ),
        kpis=[_kpi_chart(trend) for trend in comparison.readings if _numeric(trend)],
        scale_range=_scale_range(models),
    )


def _numeric(trend: ReadingTrend) -> bool:
    return trend.metric.kind == "quantitative" and any(
        v is not None and not isinstance(v, str) for v in trend.values
    )


def _scale_range(models: Sequence[MaturityModel]) -> tuple[Number, Number]:
    values = [v for model in models for v in model.scale.values]
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
    trends = {
        (group.model_id, team.team): charts.sparkline(
            [point.level for point in team.history], 1, group.top_level
        )
        for group in portfolio.groups
        for team in group.teams
    }
    return _render("portfolio.html.j2", portfolio=portfolio, trends=trends)
