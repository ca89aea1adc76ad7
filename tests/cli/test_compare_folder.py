"""`compare --format json` of a folder of sessions, as a process, writes what it always wrote.

The folder mixes every kind of session (named, anonymous, staged, score and board models,
two scales) and several sessions of one model: the later ones reuse the model section
parsed and validated for the first. The golden file was written before loading learnt to
do that, and before the JSON was indented in C.
"""

from __future__ import annotations

import json
import shutil
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
