"""Every command of DESIGN's command line, run as a process: output, files and exit codes.

Exit codes: 0 ok, 2 bad input (usage errors too), 1 any other failure; never a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clikit import FORMULA_TITLES, Run, Write, build_session

from maturity_tui import __version__


def ok(result: subprocess.CompletedProcess[bytes]) -> str:
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b""
    return result.stdout.decode()


def refused(result: subprocess.CompletedProcess[bytes], code: int = 2) -> str:
    """The stderr of a command that failed as it should: the code, and no traceback."""
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert "Traceback" not in stderr
    assert stderr.strip(), "a failure says why"
    return stderr


# --- --version, usage ------------------------------------------------------------------------


def test_version(run: Run) -> None:
    assert ok(run("--version")) == f"maturity-tui {__version__}\n"


def test_the_installed_script_is_the_same_command(tmp_path: Path) -> None:
    script = shutil.which("maturity-tui", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("no maturity-tui script beside this interpreter")
    result = subprocess.run([script, "--version"], capture_output=True, timeout=60)
    assert ok(result) == f"maturity-tui {__version__}\n"


@pytest.mark.parametrize(
    "args",
    [["frobnicate"], ["report"], ["report", "x.toml", "--format", "pdf"], ["schema", "rules"]],
)
def test_usage_errors_exit_2(run: Run, args: list[str]) -> None:
    assert "usage:" in refused(run(*args))


# --- models ----------------------------------------------------------------------------------


def test_models_lists_the_built_in_model(run: Run) -> None:
    lines = ok(run("models")).splitlines()
    assert lines[0].split() == [
        "id",
        "name",
        "version",
        "scoring",
        "indicators",
        "source",
        "origin",
    ]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert rows["customer-engagement"][-4:] == ["staged", "20", "\N{EN DASH}", "built-in"]
    assert rows["squad-health-check"][-4:] == ["board", "10", "\N{EN DASH}", "built-in"]


def test_a_broken_local_model_is_reported_without_hiding_the_others(
    run: Run, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    built_in = Path(__file__).parents[2] / "src/maturity_tui/models/customer-engagement.toml"
    text = built_in.read_text(encoding="utf-8")
    (models / "mine.toml").write_text(text.replace('id = "customer-engagement"', 'id = "mine"'))
    (models / "broken.toml").write_text('format = "maturity-model"\nid = [\n')
    result = run("models")
    stderr = refused(result)
    assert "broken.toml" in stderr and "line" in stderr
    listed = result.stdout.decode()
    assert "customer-engagement" in listed and "mine" in listed and "broken" not in listed


# --- validate --------------------------------------------------------------------------------


def test_validate_good_files(run: Run, q4: Path) -> None:
    model = Path(__file__).parents[2] / "src/maturity_tui/models/customer-engagement.toml"
    out = ok(run("validate", q4, model))
    assert out.splitlines() == [
        f"ok: {q4} (session apollo-2026-q4)",
        f"ok: {model} (model customer-engagement)",
        "  Customer Engagement Maturity 1.0, format 1",
        "  scoring: staged levels",
        "  5 levels (1-5), 5 dimensions, 20 indicators, 5-point scale",
        "  7 metrics",
    ]


def test_validate_a_model_says_what_it_holds(run: Run) -> None:
    model = Path(__file__).parents[1] / "data/good/samm-like-model.toml"
    assert ok(run("validate", model)).splitlines()[1:] == [
        "  SAMM-like Assurance 0.1, format 2",
        "  scoring: scores (stream sums, dimension means)",
        "  source: maturity-tui tests, 0.1, licence CC0-1.0",
        "  3 levels (1-3), 2 groups, 2 dimensions, 12 indicators, 2-point scale and 3 answer sets",
    ]


def test_validate_names_the_bad_file_and_line_and_leaves_it_alone(
    run: Run, q4: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'format = "maturity-session"\nteam = Apollo\n')
    before = bad.read_bytes()
    result = run("validate", q4, bad)
    stderr = refused(result)
    assert stderr.startswith(f"{bad}: line 2") and "TOML syntax error" in stderr
    assert len(stderr.splitlines()) == 1
    assert result.stdout.decode() == f"ok: {q4} (session apollo-2026-q4)\n", "the good one too"
    assert bad.read_bytes() == before


def test_validate_gives_one_line_per_problem(run: Run, q4: Path, tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.toml"
    text = q4.read_text(encoding="utf-8")
    text = text.replace('team = "Apollo"', "team = 7").replace('voting = "named"', 'voting = "x"')
    wrong.write_text(text, encoding="utf-8")
    lines = refused(run("validate", wrong)).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{wrong}: ") for line in lines)
    assert any("team" in line for line in lines) and any("voting" in line for line in lines)


def test_validate_a_missing_file(run: Run) -> None:
    assert "missing.toml" in refused(run("validate", "missing.toml"))


# --- report ----------------------------------------------------------------------------------


def test_report_json_has_designs_keys(run: Run, q4: Path) -> None:
    data = json.loads(ok(run("report", q4, "--format", "json")))
    assert data.keys() >= {
        "session", "team", "period", "model", "level", "next_level", "level_name", "progress",
        "complete", "indicators", "objectives", "actions", "dimensions", "readings",
    }  # fmt: skip
    assert (data["session"], data["level"], data["complete"]) == ("apollo-2026-q4", 1, False)
    assert data["actions"] == {"open": 4, "done": 1, "dropped": 0}


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_report_text_and_markdown(run: Run, q4: Path, fmt: str) -> None:
    out = ok(run("report", q4, "--format", fmt))
    assert "Apollo" in out and "Initial" in out and "Objectives" in out


def test_report_of_a_bad_session_exits_2(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format = "maturity-model"\n', encoding="utf-8")
    assert str(bad) in refused(run("report", bad))


def test_text_output_strips_terminal_escapes_from_user_text(run: Run, write_session: Write) -> None:
    evil = build_session(
        "evil", datetime(2026, 1, 1, tzinfo=UTC), {}, team="\x1b[31m[bold]Evil[/]\x1b]0;x\x07"
    )
    path = write_session(evil)
    for command in (["report", path], ["compare", path], ["report", path, "--format", "markdown"]):
        out = ok(run(*command))
        assert "\x1b" not in out and "\x07" not in out
    assert "[bold]Evil[/]" in ok(run("report", path))


# --- sessions folder -------------------------------------------------------------------------


def test_sessions_dir_from_the_environment(run: Run, write_session: Write, tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    write_session(build_session("hermes-q1", datetime(2026, 1, 1, tzinfo=UTC), {}), folder)
    data = json.loads(
        ok(
            run(
                "report",
                "hermes-q1",
                "--format",
                "json",
                env={"MATURITY_TUI_SESSIONS": str(folder)},
            )
        )
    )
    assert data["session"] == "hermes-q1"
    assert refused(run("report", "hermes-q1")).count("hermes-q1") == 1, "not in ./sessions"


def test_sessions_dir_option_before_or_after_the_command(
    run: Run, write_session: Write, tmp_path: Path
) -> None:
    folder = tmp_path / "given"
    write_session(build_session("hermes-q2", datetime(2026, 4, 1, tzinfo=UTC), {}), folder)
    env = {"MATURITY_TUI_SESSIONS": str(tmp_path / "nowhere")}
    before = run("--sessions-dir", folder, "report", "hermes-q2.toml", env=env)
    after = run("report", "hermes-q2", "--sessions-dir", folder, env=env)
    assert ok(before) == ok(after) and "hermes-q2" in ok(before)


# --- export ----------------------------------------------------------------------------------


def test_export_csv_to_a_file_is_safe_for_spreadsheets(run: Run, q4: Path, tmp_path: Path) -> None:
    output = tmp_path / "actions.csv"
    assert ok(run("export", q4, "--format", "csv", "--output", output)) == ""
    header, *rows = csv.reader(io.StringIO(output.read_text(encoding="utf-8")))
    assert header == ["id", "title", "indicator", "owner", "due", "status", "carried_from"]
    assert [row[1] for row in rows] == [*("'" + t for t in FORMULA_TITLES), "Done already"]


def test_export_to_stdout_is_the_file_byte_for_byte(run: Run, q4: Path, tmp_path: Path) -> None:
    for fmt in ("markdown", "csv", "json"):
        output = tmp_path / f"actions.{fmt}"
        ok(run("export", q4, "--format", fmt, "-o", output))
        assert run("export", q4, "--format", fmt, "--output", "-").stdout == output.read_bytes()


def test_export_markdown_is_a_checklist_by_default(run: Run, q4: Path) -> None:
    out = ok(run("export", q4))
    assert "## Open" in out and "- [ ] \\=HYPERLINK" in out and "- [x] Done already" in out


def test_export_json_lists_every_action(run: Run, q4: Path) -> None:
    data = json.loads(ok(run("export", q4, "--format", "json")))
    assert [a["title"] for a in data["actions"]] == [*FORMULA_TITLES, "Done already"]


@pytest.mark.parametrize(
    "target", ["itself", "another-path-to-it", "another-session", "upper-case-suffix"]
)
def test_export_never_overwrites_a_session(
    run: Run, q3: Path, q4: Path, tmp_path: Path, target: str
) -> None:
    output = {
        "itself": q4,
        "another-path-to-it": tmp_path / ".." / tmp_path.name / q4.name,
        "another-session": q3,
        # The same file as q3 where the file system ignores case (macOS, Windows).
        "upper-case-suffix": q3.with_suffix(".TOML"),
    }[target]
    before = q3.read_bytes(), q4.read_bytes()
    assert str(output) in refused(run("export", q4, "--format", "csv", "--output", output))
    assert (q3.read_bytes(), q4.read_bytes()) == before


def test_export_that_cannot_write_exits_1(run: Run, q4: Path, tmp_path: Path) -> None:
    output = tmp_path / "no-such-folder" / "actions.csv"
    stderr = refused(run("export", q4, "--output", output), code=1)
    assert str(output) in stderr and ".tmp" not in stderr


# --- compare ---------------------------------------------------------------------------------


def test_compare_json_has_designs_keys_oldest_first(run: Run, q3: Path, q4: Path) -> None:
    data = json.loads(ok(run("compare", q4, q3, "--format", "json")))
    assert [s["id"] for s in data["sessions"]] == ["apollo-2026-q3", "apollo-2026-q4"]
    assert data["sessions"][0].keys() >= {
        "id", "team", "period", "started_at", "level", "progress", "dimensions",
    }  # fmt: skip
    first = data["indicators"][0]
    assert (first["id"], first["ratings"], first["delta"]) == ("key-customers-known", [3, 5], 2)
    assert data["readings"] == {"nps": [-12, 8]}


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
def test_compare_other_formats(run: Run, q3: Path, q4: Path, fmt: str) -> None:
    out = ok(run("compare", q3, q4, "--format", fmt))
    assert "key-customers-known" in out
    if fmt == "text":
        assert all(len(line) <= 80 for line in out.splitlines())
    if fmt == "csv":
        assert ["reading", "nps", "Net Promoter Score", "-12", "8", "20"] in list(
            csv.reader(io.StringIO(out))
        )


def test_compare_names_every_file_that_fails(run: Run, q4: Path, tmp_path: Path) -> None:
    stderr = refused(run("compare", q4, tmp_path / "a.toml", tmp_path / "b.toml"))
    assert "a.toml" in stderr and "b.toml" in stderr


# --- schema ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["model", "session"])
def test_schema_is_json_schema(run: Run, kind: str) -> None:
    schema = json.loads(ok(run("schema", kind)))
    assert "properties" in schema and "format" in schema["properties"]


# --- new, open: the app's branches, as far as they go without a terminal ----------------------


def test_room_options_need_join(run: Run) -> None:
    assert "--join" in refused(run("new", "--team", "T", "--participants", "A", "--port", "9000"))


def test_anonymous_voting_takes_no_participants(run: Run) -> None:
    assert "anonymous" in refused(run("new", "--voting", "anonymous", "--participants", "A,B"))


def test_a_head_count_is_for_anonymous_voting_within_bounds(run: Run) -> None:
    assert "--voting anonymous" in refused(run("new", "--team", "T", "--head-count", "8"))
    for bad in ("0", "501"):
        stderr = refused(run("new", "--voting", "anonymous", "--head-count", bad))
        assert f"--head-count {bad}: a number from 1 to 500" in stderr


def test_new_with_an_unknown_model_exits_2_before_any_screen(run: Run) -> None:
    # Without --team the setup screen would open; the model is checked before that.
    assert "no-such-model" in refused(run("new", "--model", "no-such-model"))


def test_bad_port_is_a_usage_error(run: Run) -> None:
    assert "port" in refused(run("open", "x.toml", "--join", "--port", "99999"))


def test_bad_join_code_is_a_usage_error(run: Run) -> None:
    assert "join code" in refused(run("open", "x.toml", "--join", "--join-code", "K7Q2X0"))


def test_a_public_url_is_an_http_or_https_address(run: Run) -> None:
    assert "https://host" in refused(run("open", "x.toml", "--join", "--public-url", "ftp://x"))


def test_the_new_room_options_need_join_too(run: Run) -> None:
    stderr = refused(run("new", "--team", "T", "--participants", "A", "--behind-proxy"))
    assert "--behind-proxy" in stderr and "--join" in stderr


def test_tls_needs_a_certificate_and_its_key_that_load(run: Run, tmp_path: Path) -> None:
    new = ("new", "--team", "T", "--participants", "A", "--join")
    assert "go together" in refused(run(*new, "--tls-cert", tmp_path / "cert.pem"))
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate")
    stderr = refused(run(*new, "--tls-cert", junk, "--tls-key", junk))
    assert "junk.pem" in stderr


def test_open_a_missing_session_exits_2_before_any_screen(run: Run) -> None:
    assert "missing.toml" in refused(run("open", "missing.toml"))


def test_new_with_an_unknown_model_exits_2(run: Run) -> None:
    stderr = refused(run("new", "--model", "no-such-model", "--team", "T", "--participants", "A"))
    assert "no-such-model" in stderr


# --- HTML and the portfolio ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["report", "compare"])
def test_html_to_a_file_is_the_stdout_byte_for_byte(
    run: Run, q3: Path, q4: Path, tmp_path: Path, command: str
) -> None:
    sessions = [q4] if command == "report" else [q3, q4]
    output = tmp_path / f"{command}.html"
    assert ok(run(command, *sessions, "--format", "html", "-o", output)) == ""
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "<script" not in page
    assert run(command, *sessions, "--format", "html").stdout == output.read_bytes()


@pytest.mark.parametrize("command", ["report", "compare", "portfolio"])
def test_html_never_overwrites_a_session(run: Run, q3: Path, q4: Path, command: str) -> None:
    before = q3.read_bytes(), q4.read_bytes()
    arguments = {"report": [q4], "compare": [q3, q4], "portfolio": []}[command]
    folder = ["--sessions-dir", q4.parent]
    for output in (q4, q3.with_suffix(".TOML")):
        stderr = refused(run(command, *arguments, *folder, "--format", "html", "-o", output))
        assert str(output) in stderr
    assert (q3.read_bytes(), q4.read_bytes()) == before


def test_portfolio_json_lists_each_team_at_its_latest_session(
    run: Run, q3: Path, q4: Path, write_session: Write
) -> None:
    write_session(build_session("zed-2026-q4", datetime(2026, 10, 1, tzinfo=UTC), {}, team="Zed"))
    data = json.loads(ok(run("portfolio", "--sessions-dir", q4.parent, "--format", "json")))
    assert data["format"] == "maturity-portfolio" and data["format_version"] == 1
    assert [(t["team"], t["session"]) for t in data["teams"]] == [
        ("Apollo", "apollo-2026-q4"),
        ("Zed", "zed-2026-q4"),
    ]
    assert [p["session"] for p in data["teams"][0]["history"]] == [
        "apollo-2026-q3",
        "apollo-2026-q4",
    ]


def test_portfolio_of_a_missing_folder_is_bad_input(run: Run, tmp_path: Path) -> None:
    assert "no-such" in refused(run("portfolio", "--sessions-dir", tmp_path / "no-such"))


def test_tracker_csv_lists_the_open_actions_as_issues(run: Run, q4: Path) -> None:
    header, *rows = csv.reader(io.StringIO(ok(run("export", q4, "--format", "csv-tracker"))))
    assert header == ["Summary", "Description", "Assignee", "Due date", "Labels"]
    assert [row[0] for row in rows] == ["'" + title for title in FORMULA_TITLES], "open only"
    assert "apollo-2026-q4 (Apollo, 2026-Q4)" in rows[0][1]
    assert rows[0][3] == "2027-01-31" and rows[0][4] == "maturity apollo 2026-q4"


def test_bom_starts_csv_only_when_asked(run: Run, q3: Path, q4: Path, tmp_path: Path) -> None:
    bom = "\ufeff".encode()
    assert run("export", q4, "--format", "csv", "--bom").stdout.startswith(bom)
    assert not run("export", q4, "--format", "csv").stdout.startswith(bom)
    assert not run("export", q4, "--format", "json", "--bom").stdout.startswith(bom)
    output = tmp_path / "long.csv"
    ok(run("compare", q3, q4, "--format", "csv-long", "--bom", "-o", output))
    assert output.read_bytes().startswith(bom + b"session,team,period")


def test_long_compare_csv_has_one_numeric_value_a_row(run: Run, q3: Path, q4: Path) -> None:
    out = ok(run("compare", q3, q4, "--format", "csv-long"))
    rows = list(csv.DictReader(io.StringIO(out)))
    levels = [(r["session"], r["value"]) for r in rows if r["measure"] == "level"]
    assert levels == [("apollo-2026-q3", "1"), ("apollo-2026-q4", "1")]
    nps = [r["value"] for r in rows if r["measure"] == "reading" and r["id"] == "nps"]
    assert nps == ["-12", "8"], "numbers stay numbers, negative ones too"
    assert all(r["value"] == "" or float(r["value"]) == float(r["value"]) for r in rows)


@pytest.mark.parametrize("kind", ["report", "compare", "portfolio", "actions"])
def test_schema_of_each_json_output(run: Run, kind: str) -> None:
    schema = json.loads(ok(run("schema", kind)))
    assert schema["properties"]["format"]["const"] == f"maturity-{kind}"
    assert schema["additionalProperties"] is False, "an unlisted key is a change of contract"
