"""`maturity-tui import samm|dsomm PATH`: one command from a published model to a model file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w
from yamlkit import write_dsomm, write_samm

from maturity_tui.storage import load_model


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # A home of its own: the user's data folder (the default models folder) is never the real one.
    home = {"HOME": str(cwd / "home"), "XDG_DATA_HOME": str(cwd / "home" / "data")}
    return subprocess.run(
        [sys.executable, "-m", "maturity_tui", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        env={**os.environ, **home, **env},
    )


def test_import_samm_writes_a_valid_score_model_and_says_what_it_holds(tmp_path: Path) -> None:
    source = write_samm(tmp_path / "core")
    (tmp_path / "models").mkdir()  # the current folder has models: that is the local folder
    result = run("import", "samm", str(source), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = tmp_path / "models" / "owasp-samm.toml"
    model = load_model(written)
    assert (model.mode, len(model.indicators), len(model.dimensions)) == ("score", 12, 2)
    assert model.source is not None and model.source.license == "CC BY-SA 4.0"
    assert 'label = "No"' in written.read_text(encoding="utf-8")
    assert f"-> {Path('models') / 'owasp-samm.toml'}" in result.stdout
    assert "2 groups, 2 dimensions, 12 indicators" in result.stdout
    assert "licence CC BY-SA 4.0" in result.stdout
    check = run("validate", str(written), cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_import_goes_where_the_app_finds_local_models(tmp_path: Path) -> None:
    source = write_dsomm(tmp_path)
    result = run("import", "dsomm", str(source), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "data" / "maturity-tui" / "models" / "owasp-dsomm.toml").is_file()
    listed = run("models", cwd=tmp_path)
    assert "owasp-dsomm" in listed.stdout
    elsewhere = run("import", "dsomm", str(source), cwd=tmp_path, MATURITY_TUI_MODELS="mine")
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert (tmp_path / "mine" / "owasp-dsomm.toml").is_file()


def test_import_dsomm_writes_a_staged_model_without_overall_level(tmp_path: Path) -> None:
    source = write_dsomm(tmp_path)
    out = tmp_path / "dsomm.toml"
    result = run("import", "dsomm", str(source), "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    model = load_model(out)
    assert model.mode == "staged" and not model.places_overall
    by_ref = {i.ref: i for i in model.indicators}
    assert by_ref["00000000-0000-0000-0000-000000000002"].depends_on == ["defined-build-process"]
    assert "staged, dimension levels only" in result.stdout


def test_import_never_overwrites_without_force(tmp_path: Path) -> None:
    source = write_samm(tmp_path / "core")
    out = tmp_path / "mine.toml"
    out.write_text("# my own edits\n", encoding="utf-8")
    refused = run("import", "samm", str(source), "-o", str(out), cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"maturity-tui: {out}: exists already; --force replaces it"
    assert out.read_text(encoding="utf-8") == "# my own edits\n"
    forced = run("import", "samm", str(source), "-o", str(out), "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert load_model(out).id == "owasp-samm"


@pytest.mark.parametrize("kind", ["samm", "dsomm"])
def test_a_bad_source_is_one_message_exit_2_and_nothing_written(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "truncated"
    if kind == "samm":
        write_samm(source)
        broken = source / "model" / "answer_sets" / "A.yml"
        broken.write_text(broken.read_text()[:60], encoding="utf-8")
    else:
        broken = write_dsomm(source)
        broken.write_text(broken.read_text()[:700] + '\n  "', encoding="utf-8")
    path = source if kind == "samm" else broken
    result = run("import", kind, str(path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(broken) in lines[0], result.stderr
    assert not (tmp_path / "models").exists()


def test_samm_practice_scores_follow_samms_arithmetic(tmp_path: Path) -> None:
    """Stream score = sum of its answers; practice = mean of its streams; function = mean of
    its practices; overall = mean of practices. Worked out by hand below."""
    model_file = tmp_path / "samm.toml"
    assert (
        run(
            "import",
            "samm",
            str(write_samm(tmp_path / "core")),
            "-o",
            str(model_file),
            cwd=tmp_path,
        ).returncode
        == 0
    )
    answers = {
        # Strategy and Metrics, answer set A: stream A 1 + 0.5 + 0 = 1.5; stream B 0.25 + 0.25 = 0.5
        "g-sm-1-a": 1,
        "g-sm-2-a": 0.5,
        "g-sm-3-a": 0,
        "g-sm-1-b": 0.25,
        "g-sm-2-b": 0.25,
        "g-sm-3-b": 0,
        # Threat Assessment: stream A (set B) 1 + 1 + 0.25 = 2.25; stream B (set C) 0.5 + 0.5 = 1
        "d-ta-1-a": 1,
        "d-ta-2-a": 1,
        "d-ta-3-a": 0.25,
        "d-ta-1-b": 0.5,
        "d-ta-2-b": 0.5,
        "d-ta-3-b": 0,
    }
    session = tmp_path / "s.toml"
    session.write_text(_session_toml(model_file, answers), encoding="utf-8")
    result = run("report", str(session), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    scores = {d["id"]: d["score"] for d in report["dimensions"]}
    assert scores == {
        "strategy-and-metrics": 1.0,
        "threat-assessment": 1.625,
    }  # (1.5+0.5)/2, (2.25+1)/2
    assert {g["id"]: g["score"] for g in report["groups"]} == {"governance": 1.0, "design": 1.625}
    assert report["score"] == pytest.approx(1.3125)
    assert report["level"] is None


def _session_toml(model_file: Path, answers: dict[str, float]) -> str:
    model = tomllib.loads(model_file.read_text(encoding="utf-8"))
    return tomli_w.dumps(
        {
            "format": "maturity-session",
            "format_version": 2,
            "id": "s",
            "team": "Apollo",
            "period": "2026-Q4",
            "started_at": datetime(2026, 11, 1, tzinfo=UTC),
            "updated_at": datetime(2026, 11, 1, tzinfo=UTC),
            "status": "in-progress",
            "voting": "named",
            "participants": ["Ana"],
            "model": model,
            "ratings": [{"indicator": i, "votes": {"Ana": v}} for i, v in answers.items()],
        }
    )
