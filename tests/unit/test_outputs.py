"""The output registry: every subject in every format byte for byte against its golden file, and
the command line, the app and the README all offering exactly what is registered.

A changed renderer changes its golden files: look at the diff, then rewrite them with
`pytest tests/unit/test_outputs.py --snapshot-update`. HTML is compared by its structure (the
outline of its elements and text, `html_outline`), not its bytes: Jinja2's or a browser's
view of whitespace and attribute order is not what a reader sees.
"""

from __future__ import annotations

import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from outline import html_outline

from maturity_tui import outputs
from maturity_tui.cli import build_parser
from maturity_tui.compare import compare_sessions
from maturity_tui.outputs import ACTIONS, COMPARE, HTML, OUTPUTS, PORTFOLIO, REPORT, Output, Subject
from maturity_tui.portfolio import build_portfolio
from maturity_tui.storage import load_session

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
INPUT = GOLDEN / "input"
CASES = {
    # A named session on the built-in model, compared with the quarter before.
    "apollo": ("apollo-2026-q4.toml", ["apollo-2026-q3.toml", "apollo-2026-q4.toml"]),
    # An anonymous session on a small model, compared with itself alone.
    "zephyr": ("anonymous-session.toml", ["anonymous-session.toml"]),
    # A score model in SAMM's shape (answer sets, streams, groups, a target).
    "orion": ("orion-2026-q4.toml", ["orion-2026-q4.toml"]),
    # A board model with trends: the squad health check, two quarters.
    "vega": ("vega-2026-q4.toml", ["vega-2026-q3.toml", "vega-2026-q4.toml"]),
}


def subject_data(case: str) -> dict[Subject[Any], object]:
    """What each subject renders from, for one case."""
    session_file, compared = CASES[case]
    session = load_session(INPUT / session_file)
    return {
        REPORT: session,
        ACTIONS: session,
        COMPARE: compare_sessions([load_session(INPUT / name) for name in compared]),
        # The portfolio of the whole input folder: the same for both cases.
        PORTFOLIO: build_portfolio(INPUT),
    }


def golden_path(case: str, output: Output[Any]) -> Path:
    suffix = ".outline.txt" if output.format == HTML else output.format.suffix
    return GOLDEN / f"{case}-{output.subject.name}-{output.format.name}{suffix}"


def comparable(output: Output[Any], rendered: str) -> bytes:
    return (html_outline(rendered) if output.format == HTML else rendered).encode("utf-8")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("output", OUTPUTS, ids=lambda o: f"{o.subject.name}-{o.format.name}")
def test_every_output_matches_its_golden_file(
    case: str, output: Output[Any], request: pytest.FixtureRequest
) -> None:
    rendered = comparable(output, output.render(subject_data(case)[output.subject]))
    golden = golden_path(case, output)
    if request.config.getoption("--snapshot-update", default=False):
        golden.write_bytes(rendered)
    assert golden.exists(), f"no golden file {golden.name}: run with --snapshot-update"
    assert rendered == golden.read_bytes(), f"{golden.name} differs (see its diff)"


def test_no_golden_file_is_left_without_its_output() -> None:
    expected = {golden_path(case, output).name for case in CASES for output in OUTPUTS}
    assert {path.name for path in GOLDEN.glob("*.*")} == expected


def test_every_renderer_resolves_and_takes_its_subjects_data() -> None:
    for output in OUTPUTS:
        module, _, name = output.renderer.partition(":")
        renderer = getattr(__import__(module, fromlist=[name]), name)
        (parameter,) = inspect.signature(renderer).parameters.values()
        expected = {COMPARE: "Comparison", PORTFOLIO: "Portfolio"}.get(output.subject, "Session")
        assert parameter.annotation == expected, output.renderer


def test_each_subject_has_its_default_format_and_no_format_twice() -> None:
    for subject in {output.subject for output in OUTPUTS}:
        names = outputs.format_names(subject)
        assert subject.default in names, subject.name
        assert len(names) == len(set(names)), subject.name


def test_an_unknown_format_is_a_lookup_error_naming_the_command() -> None:
    with pytest.raises(LookupError, match="export has no --format html"):
        outputs.output(ACTIONS, "html")


def format_choices(command: str) -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.choices and command in a.choices)
    subparser = commands.choices[command]  # type: ignore[index]
    option = next(a for a in subparser._actions if "--format" in a.option_strings)
    return list(option.choices or [])


def test_the_command_line_offers_exactly_the_registered_formats() -> None:
    for subject in {output.subject for output in OUTPUTS}:
        assert format_choices(subject.command) == outputs.format_names(subject)


def readme_table() -> str:
    """The README's table of outputs, as the registry says it should read."""
    subjects = list(dict.fromkeys(output.subject for output in OUTPUTS))
    formats = list(dict.fromkeys(output.format for output in OUTPUTS))
    lines = [
        "| `--format` | File | " + " | ".join(f"`{s.command}`" for s in subjects) + " |",
        "| --- | --- |" + " --- |" * len(subjects),
    ]
    for fmt in formats:
        cells = []
        for subject in subjects:
            registered = [o for o in outputs.outputs_of(subject) if o.format == fmt]
            mark = "default" if subject.default == fmt.name else "yes"
            in_app = any(o.in_app for o in registered)
            cells.append(f"{mark}{', app' if in_app else ''}" if registered else "")
        lines.append(f"| `{fmt.name}` | `{fmt.suffix}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def test_the_readmes_table_of_outputs_is_the_registrys() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "README's outputs table should read:\n" + readme_table()


def test_the_readmes_synopsis_lists_each_commands_formats() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for subject in {output.subject for output in OUTPUTS}:
        line = rf"^maturity-tui {subject.command} .*--format ([a-z|-]+)"
        synopsis = re.search(line, readme, re.MULTILINE)
        assert synopsis is not None, subject.command
        assert synopsis[1].split("|") == outputs.format_names(subject), subject.command


def test_the_registry_loads_no_renderer_so_the_command_line_starts_fast() -> None:
    """The CLI builds --format choices from the registry on every start, --help included."""
    script = (
        "import sys, maturity_tui.cli\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'maturity_tui.'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "['maturity_tui.cli', 'maturity_tui.outputs']"


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("output", [o for o in OUTPUTS if o.format.name == "json"], ids=str)
def test_every_json_output_has_the_shape_its_schema_says(case: str, output: Output[Any]) -> None:
    """output_schemas is the contract: a key added, dropped or retyped without it fails."""
    from maturity_tui.output_schemas import OUTPUT_SCHEMAS

    rendered = output.render(subject_data(case)[output.subject])
    shape = OUTPUT_SCHEMAS[output.subject.name].model_validate_json(rendered)
    assert shape.format == f"maturity-{output.subject.name}" and shape.format_version == 1
    assert list(json.loads(rendered))[:2] == ["format", "format_version"]
