"""Reports, action lists and comparisons as text, Markdown, CSV and JSON strings.

`outputs.py` names each renderer here under its subject and format, for the CLI and the app.

Every renderer returns the whole output as a `str`, so the CLI and the app write the very
same bytes. User text goes through `textsafe` on the way out: literal in text, escaped in
Markdown, inert in CSV.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from maturity_tui.compare import (
    Column,
    ComparedMetric,
    ComparedModel,
    Comparison,
    ReadingTrend,
    action_counts,
    delta,
)
from maturity_tui.standing import (
    NONE,
    card_mark,
    credit_lines,
    headline,
    number_text,
    optional_text,
    percent_text,
    placed_dimensions,
    score_text,
    signed_score,
    source_lines,
)
from maturity_tui.standing import signed as signed  # re-exported: the app's compare screen
from maturity_tui.tallies import ACTION_STATUSES
from maturity_tui.textsafe import csv_cell, json_text, markdown_text, one_line

if TYPE_CHECKING:
    # Only named in annotations: a comparison read from the library's index needs no domain
    # model, no scoring and no storage (the session reports import them where they run), and
    # a comparison or a report needs no library index.
    from maturity_tui.domain import Action, MaturityModel, Metric, Session
    from maturity_tui.domain.base import Number
    from maturity_tui.portfolio import ModelGroup, Portfolio, TeamStanding
    from maturity_tui.scoring import (
        BoardCounts,
        DimensionScore,
        IndicatorScore,
        Objective,
        ReadingScore,
        SessionScore,
        Standing,
    )

WIDTH = 80
"""Text output fits an 80-column terminal."""


ACTION_CSV_COLUMNS = ("id", "title", "indicator", "owner", "due", "status", "carried_from")

OUTPUT_FORMAT_VERSION = 1
"""Of every JSON output; it grows only when a key changes meaning or goes away."""


def output_header(name: str) -> dict[str, Any]:
    """The keys every JSON output opens with (DESIGN: command line)."""
    return {"format": name, "format_version": OUTPUT_FORMAT_VERSION}


# --- Small formatting helpers ---------------------------------------------------------------


def _timestamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _when(moment: datetime) -> str:
    """A start time for people: minutes, and the zone as it was written."""
    zone = moment.strftime("%Z") or moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} {zone}"


def _yes_no(flag: bool | None) -> str:
    return NONE if flag is None else ("yes" if flag else "no")


def _with_unit(value: Number, metric: Metric) -> str:
    unit = one_line(metric.unit or "")
    if not unit:
        return number_text(value)
    return f"{number_text(value)}{unit}" if unit == "%" else f"{number_text(value)} {unit}"


def _level_title(model: MaturityModel | ComparedModel, number: int | None) -> str:
    """`3 Defined`, in plain text (use markdown_text before putting it in Markdown)."""
    if number is None:
        return NONE
    return f"{number} {one_line(model.level(number).title)}"


def _wrap(text: str, indent: str = "", hang: str | None = None) -> list[str]:
    hang = " " * len(indent) if hang is None else hang
    return textwrap.wrap(one_line(text), WIDTH, initial_indent=indent, subsequent_indent=hang) or [
        indent.rstrip()
    ]


def _sentence(text: str) -> str:
    """The text with a capital first letter, the rest untouched (unlike str.capitalize)."""
    return text[:1].upper() + text[1:]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def text_table(
    rows: Sequence[Sequence[str]], right: Iterable[int] = (), indent: str = "  "
) -> list[str]:
    """Columns padded to their widest cell; the columns in `right` aligned right."""
    widths = [max(len(row[n]) for row in rows) for n in range(len(rows[0]))] if rows else []
    right_aligned = set(right)
    return [
        (
            indent
            + "  ".join(
                cell.rjust(width) if n in right_aligned else cell.ljust(width)
                for n, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        ).rstrip()
        for row in rows
    ]


def _markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table; cells must be escaped already (markdown_text for user text)."""
    return [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
        "",
    ]


def _csv(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _lines(lines: Iterable[str]) -> str:
    return "\n".join(lines).rstrip("\n") + "\n"


def _action_summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[status]} {status}" for status in ACTION_STATUSES)


# --- Model summary ----------------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def model_summary(model: MaturityModel) -> list[str]:
    """What a model holds, in a few lines: how it scores, its parts, where it comes from."""
    mode = {
        "staged": "staged levels" if model.places_overall else "staged, dimension levels only",
        "score": "scores (stream sums, dimension means)",
        "board": "a board of coloured cards",
    }[model.mode]
    lines = [
        one_line(f"{model.name} {model.version}, format {model.format_version}"),
        f"scoring: {mode}" + (", with a trend vote" if model.asks_trend else ""),
    ]
    if model.source:
        source = model.source
        facts = [source.name, source.version, source.license and f"licence {source.license}"]
        lines.append(one_line("source: " + ", ".join(fact for fact in facts if fact)))
        if source.url:
            lines.append(one_line(f"        {source.url}"))
    parts = []
    if model.levels:
        parts.append(
            f"{_count(len(model.levels), 'level')} ({model.first_level}-{model.top_level})"
        )
    if model.groups:
        parts.append(_count(len(model.groups), "group"))
    if model.dimensions:
        parts.append(_count(len(model.dimensions), "dimension"))
    parts.append(_count(len(model.indicators), "indicator"))
    named = len(model.answer_sets or ())
    answers = f"{len(model.scale.points)}-point scale"
    lines.append(
        ", ".join([*parts, answers + (f" and {_count(named, 'answer set')}" if named else "")])
    )
    if model.metrics:
        lines.append(_count(len(model.metrics), "metric"))
    return lines


# --- Session report ---------------------------------------------------------------------------


def report_data(session: Session, score: SessionScore | None = None) -> dict[str, Any]:
    """The report as JSON-ready data: DESIGN's `report --format json` keys and a few more."""
    from maturity_tui.scoring import score_session

    score = score or score_session(session)
    model = session.model
    return {
        **output_header("maturity-report"),
        "session": session.id,
        "team": session.team,
        "title": session.title,
        "facilitator": session.facilitator,
        "period": session.period,
        "started_at": _timestamp(session.started_at),
        "updated_at": _timestamp(session.updated_at),
        "status": session.status,
        "voting": session.voting,
        "participants": list(session.participants),
        "model": {
            "id": model.id,
            "name": model.name,
            "version": model.version,
            "source": _source_data(model),
        },
        "scoring": score.mode,
        "score": score.score,
        "level": score.level,
        "level_name": _level_name(model, score.level),
        "next_level": score.next_level,
        "next_level_name": _level_name(model, score.next_level),
        "progress": score.progress,
        "complete": score.complete,
        "unrated": [s.id for s in score.unrated],
        "contested": [s.id for s in score.contested],
        "indicators": [_indicator_data(s) for s in score.indicators],
        "objectives": [_objective_data(o) for o in score.objectives],
        "actions": action_counts(session),
        "dimensions": [_dimension_data(d) for d in score.dimensions],
        "groups": [{"id": g.id, "name": g.name, "score": g.score} for g in score.groups],
        "board": _board_data(score.board),
        "readings": [_reading_data(r) for r in score.readings],
    }


def _source_data(model: MaturityModel) -> dict[str, Any] | None:
    """The model's source and licence, every key present; None for a model of one's own."""
    source = model.source
    return None if source is None else source.model_dump(mode="json")


def _level_name(model: MaturityModel, number: int | None) -> str | None:
    return None if number is None else model.level(number).name


def _dimension_data(dimension: DimensionScore) -> dict[str, Any]:
    placed = dimension.standing
    return {
        "id": dimension.id,
        "name": dimension.name,
        "level": placed.level if placed else None,
        "next_level": placed.next_level if placed else None,
        "progress": placed.progress if placed else None,
        "gates_passed": list(placed.gates_passed) if placed else [],
        "group": dimension.group,
        "score": dimension.score,
        "target": dimension.target,
        "met": dimension.met,
    }


def _indicator_data(score: IndicatorScore) -> dict[str, Any]:
    stats = score.stats
    return {
        "id": score.id,
        "level": score.level,
        "dimension": score.indicator.dimension,
        "statement": score.indicator.statement,
        "applicable": score.applicable,
        "agreed": score.agreed,
        "achieved": score.achieved,
        "votes": stats.count,
        "median": stats.median,
        "mean": stats.mean,
        "min": stats.min,
        "max": stats.max,
        "spread": stats.spread,
        "contested": stats.contested,
        "value_label": score.value_label,
        "color": score.color,
        "trend": score.trend,
    }


def _objective_data(objective: Objective) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": objective.kind, "text": objective.text}
    if objective.indicator is not None:
        data |= {
            "id": objective.indicator.id,
            "agreed": objective.indicator.agreed,
            "target": objective.target,
        }
    return data


def _reading_data(scored: ReadingScore) -> dict[str, Any]:
    return {
        "metric": scored.metric.id,
        "name": scored.metric.name,
        "unit": scored.metric.unit,
        "value": scored.reading.value,
        "target": scored.target,
        "met": scored.met,
        "note": scored.reading.note,
    }


def report_json(session: Session) -> str:
    return json_text(report_data(session))


def _objective_line(objective: Objective) -> str:
    """The objective's text, and for an indicator its agreed rating and the target."""
    if objective.indicator is None:
        return objective.text
    card = objective.indicator
    if objective.target is None:  # a board's card: its colour and where it is heading
        heading = f", trending {card.trend}" if card.trend else ""
        return f"{objective.text} ({card.color}: {one_line(card.value_label or '')}{heading})"
    rated = "unrated" if card.agreed is None else f"agreed {number_text(card.agreed)}"
    return f"{objective.text} ({rated}, target {number_text(objective.target)})"


def _gates(standing: Standing) -> list[str]:
    return ["✓" if passed else "·" for passed in standing.gates_passed]


def _progress_phrase(model: MaturityModel, standing: Standing) -> str:
    if standing.next_level is None:
        return "top level reached"
    target = _level_title(model, standing.next_level)
    return f"{percent_text(standing.progress)} of the way to level {target}"


def _completeness(score: SessionScore) -> str:
    if score.complete:
        return "complete: every applicable indicator has an agreed rating"
    unrated = ", ".join(s.id for s in score.unrated)
    return f"incomplete: {len(score.unrated)} unrated ({unrated})"


def _contested(score: SessionScore) -> str:
    """The indicators the room disagreed on most, to discuss."""
    return "Contested: " + ", ".join(f"{s.id} (spread {s.stats.spread})" for s in score.contested)


def report_text(session: Session) -> str:
    from maturity_tui.scoring import score_session

    score = score_session(session)
    model = session.model
    lines = _wrap(f"{session.team} · {session.period} · {session.id}")
    if session.title:
        lines += _wrap(session.title)
    facts = [f"{model.name} {model.version}", f"started {_when(session.started_at)}"]
    if session.facilitator:
        facts.append(f"facilitator {session.facilitator}")
    people = len(session.participants)
    facts.append(f"{people} participants, {session.voting} voting" if people else session.voting)
    facts.append(session.status.replace("-", " "))
    lines += _wrap(" · ".join(facts))
    for credit in source_lines([model]):
        lines += _wrap(credit)
    lines += ["", *_wrap(headline(model, score))]
    if score.standing is not None:
        lines += _wrap(_sentence(_progress_phrase(model, score.standing)))
    lines += _wrap(_sentence(_completeness(score)))
    if score.contested:
        lines += _wrap(_contested(score))
    lines += _objectives_text(model, score)
    lines += _dimensions_text(model, score)
    lines += _scores_text(score)
    lines += _board_text(score)
    lines += _readings_text(score.readings)
    lines += ["", f"Actions: {_action_summary(action_counts(session))}"]
    return _lines(lines)


def _objectives_heading(model: MaturityModel, score: SessionScore) -> str | None:
    """What the objectives aim at; None when there are none to show (top level reached)."""
    if score.standing is not None:
        if score.next_level is None:
            return None
        return f"Objectives for level {_level_title(model, score.next_level)}"
    return "Objectives" if score.objectives else None


def _objectives_text(model: MaturityModel, score: SessionScore) -> list[str]:
    heading = _objectives_heading(model, score)
    if heading is None:
        return []
    lines = ["", heading]
    for number, objective in enumerate(score.objectives, start=1):
        indent = f"{number:4}. "
        lines += _wrap(_objective_line(objective), indent)
    return lines


def _dimensions_text(model: MaturityModel, score: SessionScore) -> list[str]:
    placed = placed_dimensions(score)
    if not placed:
        return []
    levels = [str(n) for n in model.level_numbers]
    header = ["Dimensions (✓ gate passed)", *levels, "level", "next"]
    rows = [
        ["  " + _clip(one_line(d.name), 30), *_gates(s), str(s.level), _next_step(s)]
        for d, s in placed
    ]
    return ["", *text_table([header, *rows], indent="")]


def _scores_text(score: SessionScore) -> list[str]:
    if score.mode != "score":
        return []
    rows = [["Dimensions", "score", "target", "met"]]
    rows += [
        [
            "  " + _clip(one_line(d.name), 40),
            score_text(d.score),
            score_text(d.target),
            _yes_no(d.met),
        ]
        for d in score.dimensions
    ]
    lines = ["", *text_table(rows, right=[1, 2], indent="")]
    if score.groups:
        groups = [["Groups", "score"]]
        groups += [["  " + _clip(one_line(g.name), 40), score_text(g.score)] for g in score.groups]
        lines += ["", *text_table(groups, right=[1], indent="")]
    return lines


def _board_text(score: SessionScore) -> list[str]:
    from maturity_tui.scoring import board_order

    if score.mode != "board":
        return []
    lines = ["", "Board (red first; R red, A amber, G green, · unrated)"]
    for card in board_order(score.indicators):
        statement = card.indicator.statement + ("" if card.applicable else " (not applicable)")
        lines += _wrap(statement, f"  {card_mark(card)} ", "     ")
    return lines


def _next_step(standing: Standing) -> str:
    """`60% to 3`, or `top` at the top level."""
    if standing.next_level is None:
        return "top"
    return f"{percent_text(standing.progress)} to {standing.next_level}"


def _readings_text(readings: Sequence[ReadingScore]) -> list[str]:
    if not readings:
        return []
    rows = [["Readings", "value", "target", "met"]]
    texts = []
    for scored in readings:
        metric, value, note = scored.metric, scored.reading.value, scored.reading.note
        if isinstance(value, str):
            texts += _wrap(f"{metric.name}: {value}", "  ", "    ")
        else:
            target = NONE if scored.target is None else _with_unit(scored.target, metric)
            name = "  " + _clip(one_line(metric.name), 34)
            rows.append([name, _with_unit(value, metric), target, _yes_no(scored.met)])
        if note:
            texts += _wrap(f"{metric.name}, note: {note}", "  ", "    ")
    table = text_table(rows, right=[1, 2], indent="") if len(rows) > 1 else ["Readings"]
    return ["", *table, *texts]


def report_markdown(session: Session) -> str:
    from maturity_tui.scoring import score_session

    score = score_session(session)
    model = session.model
    lines = [f"# {markdown_text(session.team)} — {markdown_text(session.period)}", ""]
    if session.title:
        lines += [markdown_text(session.title), ""]
    facts = {
        "Session": f"`{session.id}`",
        "Model": markdown_text(f"{model.name} {model.version}"),
        "Source": model.source and markdown_text(model.source.attribution),
        "Started": _when(session.started_at),
        "Facilitator": markdown_text(session.facilitator or NONE),
        "Participants": markdown_text(", ".join(session.participants) or NONE)
        + f" ({session.voting} voting)",
        "Status": session.status.replace("-", " "),
    }
    lines += [f"- **{name}:** {value}" for name, value in facts.items() if value]
    lines += ["", f"## {markdown_text(headline(model, score))}", ""]
    if score.standing is not None:
        lines += [markdown_text(_sentence(_progress_phrase(model, score.standing))) + ".", ""]
    lines += [markdown_text(_sentence(_completeness(score))) + ".", ""]
    if score.contested:
        lines += [markdown_text(_contested(score)) + ".", ""]
    lines += _objectives_markdown(model, score)
    lines += _dimensions_markdown(model, score)
    lines += _scores_markdown(score)
    lines += _board_markdown(score)
    lines += _indicators_markdown(score)
    lines += _readings_markdown(score.readings)
    lines += ["## Actions", "", _action_summary(action_counts(session)) + "."]
    return _lines(lines)


def _objectives_markdown(model: MaturityModel, score: SessionScore) -> list[str]:
    plain = _objectives_heading(model, score)
    if plain is None:
        return []
    heading = f"## {markdown_text(plain)}"
    items = [
        f"{number}. {markdown_text(_objective_line(objective))}"
        for number, objective in enumerate(score.objectives, start=1)
    ]
    return [heading, "", *items, ""]


def _dimensions_markdown(model: MaturityModel, score: SessionScore) -> list[str]:
    placed = placed_dimensions(score)
    if not placed:
        return []
    levels = [str(n) for n in model.level_numbers]
    rows = [[markdown_text(d.name), *_gates(s), str(s.level), _next_step(s)] for d, s in placed]
    return [
        "## Dimensions",
        "",
        "✓ where the dimension passes the level's gate.",
        "",
        *_markdown_table(["Dimension", *levels, "Level", "Next"], rows),
    ]


def _scores_markdown(score: SessionScore) -> list[str]:
    if score.mode != "score":
        return []
    rows = [
        [markdown_text(d.name), score_text(d.score), score_text(d.target), _yes_no(d.met)]
        for d in score.dimensions
    ]
    lines = ["## Dimensions", "", *_markdown_table(["Dimension", "Score", "Target", "Met"], rows)]
    if score.groups:
        groups = [[markdown_text(g.name), score_text(g.score)] for g in score.groups]
        lines += ["## Groups", "", *_markdown_table(["Group", "Score"], groups)]
    return lines


def _board_markdown(score: SessionScore) -> list[str]:
    from maturity_tui.scoring import board_order

    if score.mode != "board":
        return []
    rows = [
        [
            f"`{card_mark(card).strip()}`",
            card.color or NONE,
            markdown_text(card.indicator.statement),
        ]
        for card in board_order(score.indicators)
    ]
    return ["## Board", "", *_markdown_table(["", "Colour", "Card"], rows)]


def _indicators_markdown(score: SessionScore) -> list[str]:
    rows = [
        [
            f"`{s.id}`",
            optional_text(s.level),
            markdown_text(s.indicator.statement),
            optional_text(s.agreed) if s.applicable else "n/a",
            _yes_no(s.achieved) if s.applicable else NONE,
            str(s.stats.count),
            optional_text(s.stats.spread) + (" contested" if s.stats.contested else ""),
        ]
        for s in score.indicators
    ]
    header = ["Indicator", "Level", "Statement", "Agreed", "Achieved", "Votes", "Spread"]
    return ["## Indicators", "", *_markdown_table(header, rows)]


def _readings_markdown(readings: Sequence[ReadingScore]) -> list[str]:
    if not readings:
        return []
    rows = [
        [
            markdown_text(r.metric.name),
            markdown_text(
                r.reading.value
                if isinstance(r.reading.value, str)
                else _with_unit(r.reading.value, r.metric)
            ),
            NONE if r.target is None else markdown_text(_with_unit(r.target, r.metric)),
            _yes_no(r.met),
            markdown_text(r.reading.note or ""),
        ]
        for r in readings
    ]
    return ["## Readings", "", *_markdown_table(["Metric", "Value", "Target", "Met", "Note"], rows)]


# --- Action list ------------------------------------------------------------------------------


def actions_markdown(session: Session) -> str:
    lines = [f"# Actions — {markdown_text(session.team)}, {markdown_text(session.period)}", ""]
    lines += [
        line for credit in source_lines([session.model]) for line in (markdown_text(credit), "")
    ]
    if not session.actions:
        lines.append("No actions.")
    for status in ACTION_STATUSES:
        group = [a for a in session.actions if a.status == status]
        if group:
            lines += [f"## {status.capitalize()}", "", *map(_action_item, group), ""]
    return _lines(lines)


def _action_item(action: Action) -> str:
    title = markdown_text(action.title)
    if action.status == "dropped":
        title = f"~~{title}~~"
    details = [
        f"{name}: {markdown_text(str(value))}"
        for name, value in (
            ("owner", action.owner),
            ("due", action.due),
            ("indicator", action.indicator),
            ("carried from", action.carried_from),
        )
        if value
    ]
    box = "[ ]" if action.status == "open" else "[x]"
    suffix = f" — {' · '.join(details)}" if details else ""
    return f"- {box} {title} (#{action.id}){suffix}"


def actions_csv(session: Session) -> str:
    rows = (
        [getattr(action, column) for column in ACTION_CSV_COLUMNS] for action in session.actions
    )
    return _csv([ACTION_CSV_COLUMNS, *rows])


TRACKER_CSV_COLUMNS = ("Summary", "Description", "Assignee", "Due date", "Labels")
"""What issue trackers' CSV imports map without editing (Jira, Linear, GitLab, YouTrack…)."""


def actions_tracker_csv(session: Session) -> str:
    """The open actions as issues to import: done and dropped ones are not work to track."""
    from maturity_tui.storage import slugify

    labels = " ".join(
        dict.fromkeys(["maturity", slugify(session.team, "team"), slugify(session.period, "")])
    ).strip()
    rows = [
        [action.title, _tracker_description(session, action), action.owner, action.due, labels]
        for action in session.actions
        if action.status == "open"
    ]
    return _csv([TRACKER_CSV_COLUMNS, *rows])


def _tracker_description(session: Session, action: Action) -> str:
    lines = []
    if action.indicator is not None:
        indicator = session.model.indicator(action.indicator)
        statement = f": {indicator.statement}" if indicator is not None else ""
        lines.append(f"Indicator {action.indicator}{statement}")
    lines.append(f"From the maturity workshop {session.id} ({session.team}, {session.period})")
    if action.carried_from:
        lines.append(f"Carried over from {action.carried_from}")
    return "\n".join(lines)


def actions_json(session: Session) -> str:
    return json_text(
        {
            **output_header("maturity-actions"),
            "session": session.id,
            "team": session.team,
            "period": session.period,
            "source": _source_data(session.model),
            "actions": [action.model_dump(mode="json") for action in session.actions],
        }
    )


# --- Comparison -------------------------------------------------------------------------------


def compare_data(comparison: Comparison) -> dict[str, Any]:
    """DESIGN's `compare --format json` keys, and a few more per session and indicator."""
    return {
        **output_header("maturity-compare"),
        "teams": comparison.teams,
        "scale_changed": comparison.scale_changed,
        "sessions": [_column_data(column) for column in comparison.columns],
        "indicators": [
            {
                "id": trend.id,
                "level": trend.indicator.level,
                "dimension": trend.indicator.dimension,
                "statement": trend.indicator.statement,
                "ratings": list(trend.ratings),
                "applicable": list(trend.applicable),
                "delta": trend.delta,
                "colors": list(trend.colors),
            }
            for trend in comparison.indicators
        ],
        "readings": {trend.id: list(trend.values) for trend in comparison.readings},
    }


def _column_data(column: Column) -> dict[str, Any]:
    model, score = column.model, column.score
    return {
        "id": column.id,
        "team": column.team,
        "period": column.period,
        "started_at": _timestamp(column.started_at),
        "model": {"id": model.id, "version": model.version, "source": model.source},
        "scale": list(model.scale),
        "scoring": score.mode,
        "score": score.score,
        "level": score.level,
        "level_name": column.level_name,
        "next_level": score.next_level,
        "progress": score.progress,
        "complete": score.complete,
        "dimensions": {d.id: d.level for d in score.dimensions},
        "dimension_scores": {d.id: d.score for d in score.dimensions},
        "actions": column.actions,
    }


def compare_json(comparison: Comparison) -> str:
    return json_text(compare_data(comparison))


def _headings(comparison: Comparison) -> list[str]:
    """Column headings: the periods when they tell the sessions apart, else #1, #2…"""
    periods = [one_line(c.period) for c in comparison.columns]
    if len(set(periods)) == len(periods) and all(len(p) <= 10 for p in periods):
        return periods
    return [f"#{n}" for n in range(1, len(periods) + 1)]


def _title(comparison: Comparison) -> str:
    columns = comparison.columns
    count = f"{len(columns)} session{'s' if len(columns) != 1 else ''}"
    span = f"{columns[0].period} to {columns[-1].period}" if columns else ""
    return " · ".join(part for part in (", ".join(comparison.teams), count, span) if part)


def _trend_rows(comparison: Comparison) -> list[tuple[str, str, list[str], str]]:
    """(section, label, cells, delta) for every row of the text and Markdown grids."""
    columns = comparison.columns
    modes = {c.score.mode for c in columns}
    rows = []
    if any(c.score.level is not None for c in columns):
        rows += [
            (
                "",
                "Level",
                [optional_text(c.score.level) for c in columns],
                signed(comparison.level_delta),
            ),
            ("", "Progress to next", [percent_text(c.score.progress) for c in columns], ""),
        ]
    if "score" in modes:
        rows.append(
            (
                "",
                "Score",
                [score_text(c.score.score) for c in columns],
                signed_score(comparison.score_delta),
            )
        )
    rows += [
        ("", f"Actions {status}", [str(c.actions[status]) for c in columns], "")
        for status in ACTION_STATUSES
    ]
    rows += [
        ("Dimensions", d.name, [optional_text(n) for n in d.levels], signed(d.delta))
        for d in comparison.dimensions
        if any(n is not None for n in d.levels)
    ]
    rows += [
        (
            "Dimension scores",
            d.name,
            [score_text(n) for n in d.scores],
            signed_score(delta(d.scores)),
        )
        for d in comparison.dimensions
        if any(n is not None for n in d.scores)
    ]
    rows += [
        (
            "Indicators",
            trend.id,
            [
                "n/a" if applicable is False else color or optional_text(rating)
                for rating, applicable, color in zip(
                    trend.ratings, trend.applicable, trend.colors, strict=True
                )
            ],
            signed(trend.delta),
        )
        for trend in comparison.indicators
    ]
    rows += [
        (
            "Readings",
            _metric_label(trend.metric),
            [_reading_cell(value) for value in trend.values],
            signed(trend.delta),
        )
        for trend in comparison.readings
        if trend.metric.kind == "quantitative"
    ]
    return rows


def _metric_label(metric: ComparedMetric) -> str:
    return f"{metric.name} ({metric.unit})" if metric.unit else metric.name


def _reading_cell(value: Number | str | None) -> str:
    if value is None:
        return NONE
    return "text" if isinstance(value, str) else number_text(value)


def _qualitative(comparison: Comparison) -> list[tuple[ReadingTrend, list[tuple[str, str]]]]:
    """Text readings per metric: (heading, text) for each session that has one."""
    headings = _headings(comparison)
    return [
        (trend, [(h, v) for h, v in zip(headings, trend.values, strict=True) if isinstance(v, str)])
        for trend in comparison.readings
        if trend.metric.kind == "qualitative"
    ]


def scale_change_note(comparison: Comparison) -> str | None:
    """What to say when the sessions were rated on different scales; None when they were not."""
    if not comparison.scale_changed:
        return None
    first_use: dict[tuple[Number, ...], str] = {}
    for column in comparison.columns:
        first_use.setdefault(column.model.scale, column.period)
    used = ", ".join(f"{scale[0]}..{scale[-1]} in {period}" for scale, period in first_use.items())
    return (
        f"The vote scale changed ({one_line(used)}): ratings on different scales are not "
        "compared, so no indicator's Δ spans the change."
    )


def compare_text(comparison: Comparison) -> str:
    headings = _headings(comparison)
    lines = [*_wrap(_title(comparison))]
    for credit in credit_lines(c.model.attribution for c in comparison.columns):
        lines += _wrap(credit)
    note = scale_change_note(comparison)
    if note:
        lines += ["", *_wrap(note)]
    lines += ["", "Sessions"]
    lines += text_table(
        [
            [
                heading,
                c.id,
                f"{c.started_at:%Y-%m-%d}",
                f"level {_level_title(c.model, c.score.level)}"
                if c.score.level is not None
                else c.score.text,
            ]
            for heading, c in zip(headings, comparison.columns, strict=True)
        ]
    )
    lines += _trend_grid_text(headings, _trend_rows(comparison))
    for trend, texts in _qualitative(comparison):
        lines += ["", one_line(trend.metric.name)]
        for heading, text in texts:
            lines += _wrap(text, f"  {heading}: ", "    ")
    return _lines(lines)


def _trend_grid_text(
    headings: list[str], trend_rows: list[tuple[str, str, list[str], str]]
) -> list[str]:
    """One table for every trend row, so all the columns line up, cut into titled sections."""
    header = ["", *headings, "Δ"]
    values = [header[1:], *([*cells, change] for _, _, cells, change in trend_rows)]
    value_widths = [max(len(row[n]) for row in values) for n in range(len(header) - 1)]
    # The labels get what the value columns leave of the 80 columns, and at least 20.
    label_width = max(20, WIDTH - sum(width + 2 for width in value_widths))
    table = [header]
    titles: dict[int, str] = {}
    for group, label, cells, change in trend_rows:
        if group and group not in titles.values():
            titles[len(table)] = group
        indent = "  " if group else ""
        table.append([_clip(indent + one_line(label), label_width), *cells, change])
    lines = [""]
    for n, line in enumerate(text_table(table, right=range(1, len(header)), indent="")):
        if n in titles:
            lines += ["", titles[n]]
        lines.append(line)
    return lines


def compare_markdown(comparison: Comparison) -> str:
    plain_headings = _headings(comparison)
    headings = [markdown_text(h) for h in plain_headings]
    # With #1, #2… as column headings, the sessions table says which period each one is.
    by_period = plain_headings == [one_line(c.period) for c in comparison.columns]
    lines = [f"# {markdown_text(_title(comparison))}", ""]
    credits = credit_lines(c.model.attribution for c in comparison.columns)
    lines += [line for credit in credits for line in (markdown_text(credit), "")]
    note = scale_change_note(comparison)
    if note:
        lines += [markdown_text(note), ""]
    lines += ["## Sessions", ""]
    lines += _markdown_table(
        [
            "Period" if by_period else "#",
            "Session",
            *([] if by_period else ["Period"]),
            *("Started", "Model", "Level", "Progress", "Complete"),
        ],
        [
            [
                heading,
                f"`{c.id}`",
                *([] if by_period else [markdown_text(c.period)]),
                f"{c.started_at:%Y-%m-%d}",
                markdown_text(f"{c.model.name} {c.model.version}"),
                markdown_text(_level_title(c.model, c.score.level)),
                percent_text(c.score.progress),
                _yes_no(c.score.complete),
            ]
            for heading, c in zip(headings, comparison.columns, strict=True)
        ],
    )
    sections: dict[str, list[list[str]]] = {}
    for group, label, cells, change in _trend_rows(comparison):
        label = f"`{label}`" if group == "Indicators" else markdown_text(label)
        sections.setdefault(group or "Level trend", []).append([label, *cells, change])
    for group, rows in sections.items():
        lines += [f"## {group}", "", *_markdown_table(["", *headings, "Δ"], rows)]
    for trend, texts in _qualitative(comparison):
        lines += [f"## {markdown_text(trend.metric.name)}", ""]
        lines += [f"- **{heading}:** {markdown_text(text)}" for heading, text in texts]
        lines.append("")
    return _lines(lines)


def compare_csv(comparison: Comparison) -> str:
    """One rectangular table a spreadsheet can filter: kind, id, name, one column per session,
    delta."""
    columns = comparison.columns
    rows: list[list[object]] = [["kind", "id", "name", *(c.id for c in columns), "delta"]]
    rows += [
        ["team", "", "", *(c.team for c in columns), None],
        ["period", "", "", *(c.period for c in columns), None],
        ["started_at", "", "", *(_timestamp(c.started_at) for c in columns), None],
        ["level", "", "", *(c.score.level for c in columns), comparison.level_delta],
        ["progress", "", "", *(c.score.progress for c in columns), None],
    ]
    credits = [c.model.attribution for c in columns]
    if any(credits):  # the models' source and licence, where they were published
        rows.insert(4, ["source", "", "", *credits, None])
    if any(c.score.mode == "score" for c in columns):
        rows.append(["score", "", "", *(c.score.score for c in columns), comparison.score_delta])
    rows += [["dimension", d.id, d.name, *d.levels, d.delta] for d in comparison.dimensions]
    rows += [
        ["dimension_score", d.id, d.name, *d.scores, delta(d.scores)]
        for d in comparison.dimensions
        if any(n is not None for n in d.scores)
    ]
    rows += [
        ["indicator", t.id, t.indicator.statement, *t.ratings, t.delta]
        for t in comparison.indicators
    ]
    rows += [
        ["color", t.id, t.indicator.statement, *t.colors, None]
        for t in comparison.indicators
        if any(t.colors)
    ]
    rows += [["reading", t.id, t.metric.name, *t.values, t.delta] for t in comparison.readings]
    rows += [
        ["actions", status, "", *(c.actions[status] for c in columns), None]
        for status in ACTION_STATUSES
    ]
    return _csv(rows)


# --- Portfolio --------------------------------------------------------------------------------


def portfolio_data(portfolio: Portfolio) -> dict[str, Any]:
    """DESIGN's `portfolio --format json`: every team at the session shown, ordered by team."""
    return {
        **output_header("maturity-portfolio"),
        "period": portfolio.period,
        "teams": [_team_data(team) for team in portfolio.teams],
        "models": [
            {
                "id": group.model_id,
                "name": group.name,
                "version": group.version,
                "top_level": group.top_level,
                "dimensions": [{"id": key, "name": name} for key, name in group.dimensions],
                "teams": [team.team for team in group.teams],
            }
            for group in portfolio.groups
        ],
        "conflicts": [
            {
                "session": conflict.session_id,
                "counted": conflict.counted.name,
                "others": [path.name for path in conflict.others],
            }
            for conflict in portfolio.conflicts
        ],
        "unreadable": [
            {"file": error.path.name, "problems": list(error.problems)}
            for error in portfolio.unreadable
        ],
        "missing_period": list(portfolio.missing_period),
    }


def _team_data(team: TeamStanding) -> dict[str, Any]:
    model = team.session.model
    return {
        "team": team.team,
        "session": team.session.id,
        "file": team.path.name,
        "period": team.session.period,
        "model": {"id": model.id, "version": model.version},
        "scoring": team.summary.scoring,
        "level": team.level,
        "score": team.score,
        "progress": team.progress,
        "complete": team.complete,
        "dimensions": team.dimension_levels,
        "history": [
            {
                "period": point.period,
                "session": point.session,
                "level": point.level,
                "score": point.score,
                "board": _board_data(point.board),
            }
            for point in team.history
        ],
        "open_actions": team.open_actions,
        "board": _board_data(team.board),
    }


def _board_data(board: BoardCounts | None) -> dict[str, int] | None:
    return None if board is None else asdict(board)


def portfolio_json(portfolio: Portfolio) -> str:
    return json_text(portfolio_data(portfolio))


def portfolio_title(portfolio: Portfolio) -> str:
    teams, models = len(portfolio.teams), len(portfolio.groups)
    shown = f"sessions of {portfolio.period}" if portfolio.period else "latest sessions"
    return (
        f"Portfolio · {teams} team{'s' if teams != 1 else ''} on {models} "
        f"model{'s' if models != 1 else ''} · {shown}"
    )


def trend_text(team: TeamStanding) -> str:
    """Where the team is going, over its periods: `1→2→3 ▲` (levels), `1.15→1.40 ▲` (scores),
    `red 2→1, amber 5→2` (a board: its red and amber cards, first period to last)."""
    history = team.history
    if team.board is not None:
        boards = [point.board for point in history if point.board is not None]
        if len(boards) < 2:
            return "first"
        first, last = boards[0], boards[-1]
        return f"red {first.red}→{last.red}, amber {first.amber}→{last.amber}"
    if team.score is not None:
        path = "→".join(score_text(point.score) for point in history)
        return path + _move_arrow(team.score_delta)
    return "→".join(optional_text(point.level) for point in history) + _move_arrow(team.level_delta)


def _move_arrow(move: float | None) -> str:
    return "" if not move else (" ▲" if move > 0 else " ▼")


STANDING_HEADINGS = {"staged": "Level", "score": "Score", "board": "Board"}
"""The heading of a portfolio's standing column, by the group's scoring mode."""


def _standing_cell(team: TeamStanding) -> str:
    if team.level is not None:
        return str(team.level)
    if team.score is not None:
        return score_text(team.score)
    return one_line(team.summary.standing)


def _group_header(group: ModelGroup, dimensions: list[str]) -> list[str]:
    standing = STANDING_HEADINGS[group.scoring]
    return ["Team", "Period", standing, *dimensions, "Trend", "Open actions"]


def _group_rows(group: ModelGroup) -> list[list[str]]:
    cell = score_text if group.scoring == "score" else optional_text
    rows = []
    for team in group.teams:
        levels = team.dimension_levels
        rows.append(
            [
                one_line(team.team),
                one_line(team.session.period),
                _standing_cell(team),
                *(cell(levels.get(key)) for key, _ in group.dimensions),
                trend_text(team),
                str(team.open_actions),
            ]
        )
    return rows


def portfolio_notes(portfolio: Portfolio) -> list[str]:
    """Conflicted copies, unreadable files and teams missing the period, one line each."""
    notes = [
        f"Conflict: {c.session_id} is in {', '.join(p.name for p in (c.counted, *c.others))}; "
        f"counted once, from {c.counted.name}"
        for c in portfolio.conflicts
    ]
    notes += [
        f"Unreadable: {error.path.name}: {error.problems[0]}" for error in portfolio.unreadable
    ]
    if portfolio.missing_period:
        notes.append(f"No session in {portfolio.period}: {', '.join(portfolio.missing_period)}")
    return notes


def portfolio_text(portfolio: Portfolio) -> str:
    lines = _wrap(portfolio_title(portfolio))
    if not portfolio.groups:
        lines += ["", "No sessions."]
    for group in portfolio.groups:
        lines += ["", *_wrap(f"{group.name} ({group.model_id} {group.version})")]
        codes = [f"D{n}" for n in range(1, len(group.dimensions) + 1)]
        header = _group_header(group, codes)
        lines += text_table([header, *_group_rows(group)], right=[2, len(header) - 1])
        if codes:
            legend = " · ".join(
                f"{code} {one_line(name)}"
                for code, (_, name) in zip(codes, group.dimensions, strict=True)
            )
            lines += _wrap(legend, "  ")
    notes = portfolio_notes(portfolio)
    if notes:
        lines += ["", *(line for note in notes for line in _wrap(note, "! ", "  "))]
    return _lines(lines)


def portfolio_markdown(portfolio: Portfolio) -> str:
    lines = [f"# {markdown_text(portfolio_title(portfolio))}", ""]
    for group in portfolio.groups:
        lines += [f"## {markdown_text(f'{group.name} ({group.model_id} {group.version})')}", ""]
        header = _group_header(group, [markdown_text(name) for _, name in group.dimensions])
        rows = [[markdown_text(cell) for cell in row] for row in _group_rows(group)]
        lines += _markdown_table(header, rows)
    notes = portfolio_notes(portfolio)
    if notes:
        lines += ["## Files to look at", "", *(f"- {markdown_text(note)}" for note in notes), ""]
    return _lines(lines)


def portfolio_csv(portfolio: Portfolio) -> str:
    """Long (tidy): one value per row, so a filter or pivot table takes it as it is."""
    rows: list[list[object]] = [["model", "team", "session", "period", "measure", "id", "value"]]
    for team in portfolio.teams:
        key = [team.session.model.id, team.team, team.session.id, team.session.period]
        rows.append([*key, "level", "", team.level])
        if team.score is not None:
            rows.append([*key, "score", "", team.score])
        if team.board is not None:
            rows += [[*key, "cards", kind, count] for kind, count in asdict(team.board).items()]
        rows += [[*key, "dimension", d, level] for d, level in team.dimension_levels.items()]
        rows.append([*key, "open_actions", "", team.open_actions])
    return _csv(rows)


def compare_long_csv(comparison: Comparison) -> str:
    """Long (tidy): one value per session and measure, numbers alone in `value` (text readings
    in `text`), so pandas and spreadsheets load it with a numeric column."""
    rows: list[list[object]] = [
        ["session", "team", "period", "started_at", "measure", "id", "name", "value", "text"]
    ]
    for n, column in enumerate(comparison.columns):
        score = column.score
        key = [column.id, column.team, column.period, _timestamp(column.started_at)]
        if (credit := column.model.attribution) is not None:
            rows.append([*key, "source", "", "", None, credit])
        rows.append([*key, "level", "", column.level_name, score.level, None])
        rows.append([*key, "progress", "", "", score.progress, None])
        rows += [
            [*key, "dimension", d.id, d.name, d.levels[n], None] for d in comparison.dimensions
        ]
        rows += [
            [*key, "indicator", t.id, t.indicator.statement, t.ratings[n], None]
            for t in comparison.indicators
        ]
        for trend in comparison.readings:
            value = trend.values[n]
            text = value if isinstance(value, str) else None
            rows.append(
                [*key, "reading", trend.id, trend.metric.name, None if text else value, text]
            )
        rows += [
            [*key, "actions", status, "", column.actions[status], None]
            for status in ACTION_STATUSES
        ]
    return _csv(rows)
