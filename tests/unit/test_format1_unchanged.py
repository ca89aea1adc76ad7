"""Format 1 files mean what they meant: the demo history and the format-1 corpus score as
before format 2. The golden files are `report --format json` / `compare --format json` as
main wrote them before format 2; today's output must hold every key of them, unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maturity_tui import storage
from maturity_tui.compare import compare_sessions
from maturity_tui.export import compare_data, report_data

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "format1"
DEMO = sorted((ROOT / "src" / "maturity_tui" / "demo").glob("apollo-*.toml"))
FORMAT_1 = [
    *DEMO,
    *(ROOT / "tests" / "data" / "good" / f"{n}-session.toml" for n in ("named", "anonymous")),
]
SESSIONS = {path.stem: path for path in FORMAT_1}

ADDED_BY_FORMAT_2 = {
    "report": {"scoring", "score", "groups", "board"},
    "indicator": {"value_label", "color", "trend"},
    "dimension": {"group", "score", "target", "met"},
}


def missing_or_changed(golden: Any, now: Any, where: str = "") -> list[str]:
    """Where `now` lacks or changes something `golden` has (keys `now` adds are fine)."""
    if isinstance(golden, dict) and isinstance(now, dict):
        return [
            problem
            for key, value in golden.items()
            for problem in (
                missing_or_changed(value, now[key], f"{where}.{key}")
                if key in now
                else [f"{where}.{key} is gone"]
            )
        ]
    if isinstance(golden, list) and isinstance(now, list) and len(golden) == len(now):
        return [
            problem
            for n, (old, new) in enumerate(zip(golden, now, strict=True))
            for problem in missing_or_changed(old, new, f"{where}[{n}]")
        ]
    return [] if golden == now and type(golden) is type(now) else [f"{where}: {golden} -> {now}"]


def as_json(data: dict[str, Any]) -> Any:
    return json.loads(json.dumps(data))


@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_format_1_report_is_unchanged_but_for_added_keys(name: str) -> None:
    session = storage.load_session(SESSIONS[name])
    now = as_json(report_data(session))
    golden = json.loads((GOLDEN / f"{name}.report.json").read_text())
    assert missing_or_changed(golden, now) == []
    assert ADDED_BY_FORMAT_2["report"] <= set(now) - set(golden)
    assert now["scoring"] == "staged" and now["score"] is None and now["board"] is None
    for indicator in now["indicators"]:
        assert ADDED_BY_FORMAT_2["indicator"] <= set(indicator)
        assert indicator["color"] is None and indicator["trend"] is None
    for dimension in now["dimensions"]:
        assert ADDED_BY_FORMAT_2["dimension"] <= set(dimension)
        assert dimension["score"] is None and dimension["met"] is None


def test_demo_history_compares_as_before() -> None:
    now = as_json(compare_data(compare_sessions(storage.load_session(p) for p in DEMO)))
    golden = json.loads((GOLDEN / "demo.compare.json").read_text())
    assert missing_or_changed(golden, now) == []
    assert all(column["score"] is None for column in now["sessions"])
    assert all(set(row["colors"]) == {None} for row in now["indicators"])


def test_format_1_session_saves_as_format_1(tmp_path: Path) -> None:
    """Older releases keep opening what this one saves of their files: no format-2 keys."""
    for path in DEMO:
        text = storage.dumps_session(storage.load_session(path))
        assert "format_version = 1" in text
        for key in ("scoring", "trend", "answer_sets", "groups", "targets", "color"):
            assert f"{key} =" not in text, (path.name, key)
