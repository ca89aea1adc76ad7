"""A published model's source and licence travel with it (issue 13, point 4): every report and
comparison, in every format, and the action list where a document has room for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from maturity_tui.compare import compare_sessions
from maturity_tui.outputs import ACTIONS, COMPARE, OUTPUTS, REPORT, Output
from maturity_tui.storage import load_session

ORION = Path(__file__).parents[1] / "data" / "golden" / "input" / "orion-2026-q4.toml"
CREDITED = [
    output
    for output in OUTPUTS
    if output.subject in (REPORT, COMPARE)
    or (output.subject == ACTIONS and output.format.name in ("markdown", "json"))
]
"""Not the action list's CSVs: a row per action, read by spreadsheets and trackers' importers."""


@pytest.mark.parametrize("output", CREDITED, ids=lambda o: f"{o.subject.name}-{o.format.name}")
def test_every_report_names_the_source_and_its_licence(output: Output[Any]) -> None:
    session = load_session(ORION)
    data = compare_sessions([session]) if output.subject == COMPARE else session
    rendered = output.render(data)
    assert "maturity-tui tests" in rendered and "CC0-1.0" in rendered


def test_a_model_of_ones_own_is_credited_to_nobody() -> None:
    session = load_session(ORION)
    session.model = session.model.model_copy(update={"source": None})
    for output in CREDITED:
        data = compare_sessions([session]) if output.subject == COMPARE else session
        assert "Source" not in output.render(data)
