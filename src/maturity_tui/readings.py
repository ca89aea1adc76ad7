"""This period's readings of the model's metrics, from what the facilitator typed."""

from __future__ import annotations

import math

from maturity_tui.domain import Metric, Reading, Session
from maturity_tui.domain.base import Number


class ReadingError(ValueError):
    """An entry that cannot be a reading of this metric; the message says why, for people."""


def parse_number(text: str) -> Number | None:
    """An int when integral ("32", "32.0"), else a float; None for anything not a finite number."""
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    # TOML integers are 64-bit: a huge integral value stays a float rather than break the file.
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


def bounds_text(metric: Metric) -> str:
    if metric.min is not None and metric.max is not None:
        return f"between {metric.min} and {metric.max}"
    if metric.min is not None:
        return f"at least {metric.min}"
    return f"at most {metric.max}"


def reading_value(metric: Metric, text: str) -> Number | str:
    """The value an entry stands for, or a ReadingError naming the metric and the problem."""
    if metric.kind == "qualitative":
        return text
    value = parse_number(text)
    if value is None:
        raise ReadingError(f"{metric.name}: {text.strip()!r} is not a number")
    if not metric.in_range(value):
        raise ReadingError(f"{metric.name}: {value} is not {bounds_text(metric)}")
    return value


def set_reading(session: Session, metric_id: str, text: str, note: str = "") -> Reading | None:
    """Record this period's value of a metric from what was typed; an empty entry clears it.

    Qualitative text is kept exactly as typed. A recalibrated target already on the reading
    stays. Returns the reading, or None when it was cleared.
    """
    metric = session.model.metric(metric_id)
    if metric is None:
        raise LookupError(f"the model has no metric {metric_id!r}")
    current = session.reading(metric_id)
    if not text.strip():
        if current is not None:
            session.readings.remove(current)
        return None
    reading = Reading(
        metric=metric_id,
        value=reading_value(metric, text),
        target=current.target if current is not None else None,
        note=note or None,
    )
    order = [m.id for m in session.model.metrics]
    session.readings = sorted(
        [r for r in session.readings if r.metric != metric_id] + [reading],
        key=lambda r: order.index(r.metric),
    )
    return reading
