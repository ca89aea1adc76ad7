"""Readings entry: numbers in range, text kept literally, an empty entry clears."""

from __future__ import annotations

import tomllib

import pytest
from teamkit import session

from maturity_tui.domain import MaturityModel, Session
from maturity_tui.readings import ReadingError, parse_number, set_reading
from maturity_tui.storage import (
    dumps_session,
)

# --- readings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("32", 32), (" -5 ", -5), ("32.0", 32), ("80.5", 80.5), ("1e2", 100)],
)
def test_parse_number_gives_int_when_integral(text: str, expected: float) -> None:
    value = parse_number(text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text", ["abc", "12abc", "nan", "inf", "-inf", "1,5", ""])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_set_reading_stores_numbers_in_metric_order(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32", "after the survey")
    set_reading(s, "csat", "81.5")
    assert [(r.metric, r.value, r.note) for r in s.readings] == [
        ("csat", 81.5, None),
        ("nps", 32, "after the survey"),
    ]
    dumps_session(s)


@pytest.mark.parametrize(
    ("metric", "text", "message"),
    [
        ("nps", "lots", "Net Promoter Score: 'lots' is not a number"),
        ("nps", "150", "Net Promoter Score: 150 is not between -100 and 100"),
        ("csat", "-0.5", "Customer Satisfaction: -0.5 is not between 0 and 100"),
    ],
)
def test_set_reading_rejects_bad_numbers_and_keeps_the_old_value(
    model: MaturityModel, metric: str, text: str, message: str
) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, metric, "10")
    with pytest.raises(ReadingError) as error:
        set_reading(s, metric, text)
    assert str(error.value) == message
    assert s.reading(metric) is not None and s.reading(metric).value == 10  # type: ignore[union-attr]


def test_set_reading_keeps_qualitative_text_literally(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    text = " [bold]two[/] quotes \x1b[31m 42 "
    reading = set_reading(s, "testimonials", text, "[red]note[/]")
    assert reading is not None and reading.value == text and reading.note == "[red]note[/]"
    assert load_back(s).reading("testimonials").value == text  # type: ignore[union-attr]


def load_back(s: Session) -> Session:
    return Session.model_validate(tomllib.loads(dumps_session(s)))


def test_an_empty_entry_clears_the_reading(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32")
    assert set_reading(s, "nps", "   ") is None
    assert s.readings == []
    assert set_reading(s, "nps", "") is None  # clearing nothing is fine too


def test_set_reading_keeps_a_recalibrated_target(model: MaturityModel) -> None:
    s = session(model, "Apollo", "2026-Q4")
    set_reading(s, "nps", "32")
    s.readings[0].target = 40
    set_reading(s, "nps", "35")
    assert (s.readings[0].value, s.readings[0].target) == (35, 40)


def test_set_reading_of_an_unknown_metric(model: MaturityModel) -> None:
    with pytest.raises(LookupError):
        set_reading(session(model, "Apollo", "2026-Q4"), "nope", "1")
