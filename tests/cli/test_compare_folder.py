"""`compare --format json` of a folder of sessions, as a process, writes what it always wrote.

The folder mixes every kind of session (named, anonymous, staged, score and board models,
two scales) and several sessions of one model: the later ones reuse the model section
parsed and validated for the first. The golden file was written before loading learnt to
do that, and before the JSON was indented in C.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from clikit import Run

from maturity_tui.compare import compare_sessions
from maturity_tui.domain import Session
from maturity_tui.export import compare_data

ROOT = Path(__file__).parents[2]
GOLDEN = ROOT / "tests" / "data" / "golden"
SOURCES = [
    *sorted((GOLDEN / "input").glob("*.toml")),
    *sorted((ROOT / "src" / "maturity_tui" / "demo").glob("*.toml")),
]
EXPECTED = GOLDEN / "folder" / "compare-json.json"


def _folder(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sessions"
    folder.mkdir()
    return [Path(shutil.copy(source, folder)) for source in SOURCES]


def test_compare_json_of_a_folder_is_unchanged(run: Run, tmp_path: Path) -> None:
    files = _folder(tmp_path)
    result = run("compare", "--format", "json", *files)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.read_bytes()


def test_compare_json_of_a_folder_is_what_tomllib_and_pydantic_make_of_it(
    run: Run, tmp_path: Path
) -> None:
    files = _folder(tmp_path)
    result = run("compare", "--format", "json", *files, "-o", tmp_path / "out.json")
    assert result.returncode == 0, result.stderr
    plain = [Session.model_validate(tomllib.loads(f.read_text(encoding="utf-8"))) for f in files]
    expected = json.dumps(compare_data(compare_sessions(plain)), indent=2, ensure_ascii=False)
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == expected + "\n"


def test_compare_runs_without_the_garbage_collector_and_gives_it_back(tmp_path: Path) -> None:
    """Loading, scoring and rendering make many objects and no garbage to speak of: a
    collection meanwhile would only walk them all again. Afterwards it runs again."""
    files = _folder(tmp_path)
    script = f"""
import gc, sys
from maturity_tui.cli import build_parser
import maturity_tui.compare, maturity_tui.export, maturity_tui.storage  # imports aside
args = build_parser().parse_args(["compare", "--format", "json", "-o",
    {str(tmp_path / "out.json")!r}, *{[str(f) for f in files]!r}])
collections = []
gc.callbacks.append(lambda phase, info: collections.append(phase))
code = args.handler(args)
print(code, len(collections), gc.isenabled())
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["0", "0", "True"], result.stdout + result.stderr
