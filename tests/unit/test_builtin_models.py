"""Every model shipped in the package's `models/` loads, is found by its id, and scores and
renders in every output (a model added there is covered with no test to write)."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable

import pytest

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import new_session
from maturity_tui.outputs import ACTIONS, COMPARE, OUTPUTS, REPORT
from maturity_tui.scoring import score_session
from maturity_tui.storage import builtin_models, find_model, load_model

SHIPPED = sorted(
    (entry for entry in (resources.files("maturity_tui") / "models").iterdir()
     if entry.name.endswith(".toml")),
    key=lambda entry: entry.name,
)  # fmt: skip


def test_the_package_ships_models() -> None:
    assert SHIPPED, "no models/*.toml in the installed package (package data?)"


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda entry: entry.name)
def test_a_shipped_model_loads_and_is_found_by_its_id(entry: Traversable) -> None:
    with resources.as_file(entry) as path:
        model = load_model(path)
    assert f"{model.id}.toml" == entry.name, "file named after its model id"
    assert find_model(model.id) == model
    assert model.id in {source.model.id for source in builtin_models()}


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda entry: entry.name)
def test_a_session_on_a_shipped_model_scores_and_renders_every_output(entry: Traversable) -> None:
    with resources.as_file(entry) as path:
        model = load_model(path)
    session = new_session(
        "t-2026-q4", model, "T", participants=["Ana"], now=datetime(2026, 11, 24, tzinfo=UTC)
    )
    level = score_session(session).level
    # Staged models place the team from their lowest level; score and board models do not.
    assert level == model.first_level if model.places_overall else level is None
    data = {REPORT: session, ACTIONS: session, COMPARE: compare_sessions([session])}
    for output in OUTPUTS:
        if output.subject in data:
            assert output.render(data[output.subject]).strip(), output.label
