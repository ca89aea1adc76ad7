"""Comparing from the library's index: each file's column kept there, and given back only
while the file is unchanged; everything else read from the files, as before."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis.stateful import invariant
from test_library_index import (
    NAMES,
    OLD_NS,
    STEPS,
    TEXTS,
    FolderAndIndex,
    sessions_folder,
    write,
)
from test_properties import PROPERTIES, sessions

from maturity_tui import library_index
from maturity_tui.compare import Column, ComparedModel, column_of, compare_columns
from maturity_tui.domain import Session
from maturity_tui.export import compare_json
from maturity_tui.library_index import index_file, library, rows_from_files, session_columns
from maturity_tui.storage import LoadError, load_session

GOLDEN = Path(__file__).parents[1] / "data" / "golden" / "input"


def as_json(value: object) -> Any:
    return json.loads(json.dumps(value))


def round_trip(column: Column) -> Column:
    """The column as the index keeps it and gives it back."""
    model = ComparedModel.from_data(as_json(column.model.data()))
    return Column.from_data(as_json(column.data("key")), model)


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.toml")), ids=lambda p: p.stem)
def test_every_kind_of_column_comes_back_from_the_index_whole(path: Path) -> None:
    """Staged, score and board models, named and anonymous, trends, readings, two scales."""
    column = column_of(load_session(path))
    assert round_trip(column) == column


@PROPERTIES
@given(session=sessions())
def test_any_column_comes_back_from_the_index_whole(session: Session) -> None:
    column = column_of(session)
    assert round_trip(column) == column


def expected(paths: list[Path]) -> tuple[list[Column], list[list[str]]]:
    """What reading every file gives: the columns of those that load, the others' problems."""
    columns, problems = [], []
    for path in paths:
        try:
            columns.append(column_of(load_session(path)))
        except LoadError as error:
            problems.append(error.lines())
    return columns, problems


def compared(paths: list[Path], cache: Path) -> tuple[list[Column], list[list[str]]]:
    columns, problems = session_columns(paths, cache)
    return columns, [error.lines() for error in problems]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The library tests' folder (sessions, and a broken file), with every golden session."""
    folder = sessions_folder(tmp_path)
    for path in GOLDEN.glob("*.toml"):
        shutil.copy(path, folder / path.name)
    return folder


def reads_counted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    read: list[Path] = []
    real = library_index._ColumnReader.read
    monkeypatch.setattr(
        library_index._ColumnReader,
        "read",
        lambda self, path: read.append(path) or real(self, path),
    )
    return read


def test_a_second_comparison_reads_only_what_changed_and_agrees_with_the_files(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    paths = sorted(folder.glob("*.toml"))
    assert compared(paths, cache) == expected(paths)
    read = reads_counted(monkeypatch)
    assert compared(paths, cache) == expected(paths)
    assert read == [folder / "broken.toml"], "a file that did not load has no column"
    read.clear()
    write(folder / "s0.toml", TEXTS[3])
    (folder / "s1.toml").unlink()
    assert compared(paths, cache) == expected(paths)
    assert read == [folder / "broken.toml", folder / "s0.toml", folder / "s1.toml"]


def test_problems_are_named_in_the_order_given(folder: Path, tmp_path: Path) -> None:
    paths = [folder / "broken.toml", folder / "s0.toml", folder / "missing.toml"]
    columns, problems = compared(paths, tmp_path / "cache")
    assert [c.id for c in columns] == [load_session(folder / "s0.toml").id]
    assert [lines[0].split(":")[0] for lines in problems] == [
        str(folder / "broken.toml"),
        str(folder / "missing.toml"),
    ]


def test_files_in_several_folders_and_files_the_library_does_not_list(tmp_path: Path) -> None:
    """Columns of files elsewhere come from their own folder's index; a file not named
    .toml is read every time (the library would drop its row)."""
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    write(one / "a.toml", TEXTS[0], OLD_NS)
    write(two / "b.session", TEXTS[2], OLD_NS)
    write(two / "c.toml", TEXTS[3], OLD_NS)
    paths = [two / "c.toml", one / "a.toml", two / "b.session"]
    cache = tmp_path / "cache"
    compared(paths, cache)
    assert compared(paths, cache) == expected(paths)
    kept = sqlite3.connect(index_file(two, cache)).execute("SELECT name FROM files").fetchall()
    assert kept == [("c.toml",)]


def test_the_library_trusts_the_rows_a_comparison_kept(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    paths = sorted(folder.glob("*.toml"))
    compared(paths, cache)
    from_files = rows_from_files(folder)
    read: list[Path] = []
    real = library_index.read_row
    monkeypatch.setattr(
        library_index, "read_row", lambda path, data=None: read.append(path) or real(path, data)
    )
    assert library(folder, cache).rows == from_files
    assert read == [folder / "broken.toml"], "a file that did not load has no row yet"


def test_a_file_the_library_read_again_loses_its_column(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    paths = [folder / "s0.toml"]
    compared(paths, cache)
    write(folder / "s0.toml", TEXTS[3], OLD_NS + 10**9)
    library(folder, cache)
    read = reads_counted(monkeypatch)
    assert compared(paths, cache) == expected(paths)
    assert read == paths


@pytest.mark.parametrize("damage", ["garbage", "locked", "no cache folder"])
def test_an_index_that_cannot_be_used_leaves_the_files_to_be_read(
    folder: Path, tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    paths = sorted(folder.glob("*.toml"))
    compared(paths, cache)
    index = index_file(folder, cache)
    if damage == "garbage":
        index.write_bytes(b"not a database at all" * 100)
    elif damage == "no cache folder":
        shutil.rmtree(cache)
        cache.write_text("a file where the cache folder should be", encoding="utf-8")
    holder = sqlite3.connect(index, timeout=0) if damage == "locked" else None
    if holder is not None:
        holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(library_index, "BUSY_TIMEOUT_MS", 50)
    try:
        assert compared(paths, cache) == expected(paths)
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()


def test_a_comparison_from_the_index_is_the_comparison_from_the_files(
    folder: Path, tmp_path: Path
) -> None:
    paths = sorted(folder.glob("*.toml"))
    cache = tmp_path / "cache"
    compared(paths, cache)
    from_index, _ = session_columns(paths, cache)
    from_files, _ = expected(paths)
    assert compare_json(compare_columns(from_index)) == compare_json(compare_columns(from_files))


WARM_COMPARE = """
import sys
from maturity_tui.cli import main
code = main(["compare", "--format", "json", *sys.argv[1:]])
heavy = sorted(m for m in sys.modules if m.split(".")[0] == "pydantic" or m in (
    "maturity_tui.domain", "maturity_tui.storage", "maturity_tui.scoring"))
print("LOADED", heavy, file=sys.stderr)
sys.exit(code)
"""


def test_a_warm_comparison_loads_no_model_no_storage_and_no_scoring(
    folder: Path, tmp_path: Path
) -> None:
    paths = [str(path) for path in sorted(folder.glob("s*.toml"))]
    env = {"MATURITY_TUI_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", WARM_COMPARE, *paths],
            capture_output=True,
            text=True,
            env={**os.environ, **env},
            check=True,
        )
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    assert "maturity_tui.storage" in runs[0].stderr, "the first comparison reads the files"
    assert "LOADED []" in runs[1].stderr


class ComparedFolder(FolderAndIndex):
    """The library's state machine (any sequence of writes, deletes, renames, touches and
    corruptions, the library listed after each step), with a comparison after each step
    too: it always equals reading the files."""

    @invariant()
    def a_comparison_is_what_the_files_hold(self) -> None:
        paths = [self.folder / name for name in NAMES]
        assert compared(paths, self.cache) == expected(paths)


TestComparedFolder = ComparedFolder.TestCase
TestComparedFolder.settings = STEPS


COLUMNS_KEPT = {5: "05390a2c94b291b3"}
"""By index schema: a digest of the golden sessions' columns as the index keeps them."""


def test_a_change_of_what_the_index_keeps_of_a_column_is_a_new_index_schema() -> None:
    """An index of the old schema would be read with the new code: its columns must go."""
    kept = [column_of(load_session(path)) for path in sorted(GOLDEN.glob("*.toml"))]
    shape = json.dumps([[c.data("key"), c.model.data()] for c in kept], sort_keys=True)
    digest = hashlib.sha256(shape.encode()).hexdigest()[:16]
    assert digest == COLUMNS_KEPT.get(library_index.SCHEMA_VERSION), (
        "Column.data or ComparedModel.data changed: raise library_index.SCHEMA_VERSION "
        f"and record {digest} for it here"
    )
