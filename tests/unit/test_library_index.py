"""The library's index is a cache: whatever happens to the files, it lists what they hold."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from maturity_tui import library_index
from maturity_tui.library_index import FileKey, index_file, library, rows_from_files

NAMES = ["a.toml", "b.toml", "c.toml", "d.toml"]
OLD_NS = 1_600_000_000 * 10**9
"""A file time far from now: outside the window where equal times are not trusted."""


GOOD_SESSION = Path(__file__).parents[1] / "data" / "good" / "named-session.toml"


def session_text(team: str, vote: int) -> str:
    """A valid session file; teams of one length and a single-digit vote keep its size."""
    text = GOOD_SESSION.read_text(encoding="utf-8")
    return text.replace('team = "Apollo"', f'team = "{team}"').replace(
        "votes = { Ana = 4, Ben = 5", f"votes = {{ Ana = {vote}, Ben = 5"
    )


TEXTS = [session_text(team, votes) for team in ("Apollo", "Gemini") for votes in (2, 4)]


def write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


def assert_index_agrees(folder: Path, cache: Path) -> None:
    scanned = library(folder, cache)
    assert scanned.notice is None
    assert scanned.rows == rows_from_files(folder)


class FolderAndIndex(RuleBasedStateMachine):
    """Any sequence of writes, deletes, renames, touches and corruptions, checked each step."""

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="library-index-"))
        self.folder = self.root / "sessions"
        self.folder.mkdir()
        self.cache = self.root / "cache"

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    @rule(name=st.sampled_from(NAMES), text=st.sampled_from(TEXTS), old=st.booleans())
    def write_session(self, name: str, text: str, old: bool) -> None:
        write(self.folder / name, text, OLD_NS if old else None)

    @rule(name=st.sampled_from(NAMES), text=st.sampled_from(TEXTS))
    def change_within_the_same_time(self, name: str, text: str) -> None:
        """Same size, same mtime as before (a sync tool that keeps file times does this)."""
        path = self.folder / name
        if not path.exists():
            return
        before = path.stat()
        if before.st_size == len(text.encode()):
            write(path, text, before.st_mtime_ns)

    @rule(name=st.sampled_from(NAMES))
    def delete(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)

    @rule(source=st.sampled_from(NAMES), destination=st.sampled_from(NAMES))
    def rename(self, source: str, destination: str) -> None:
        if (self.folder / source).exists():
            (self.folder / source).replace(self.folder / destination)

    @rule(name=st.sampled_from(NAMES))
    def touch(self, name: str) -> None:
        if (self.folder / name).exists():
            (self.folder / name).touch()

    @rule(name=st.sampled_from(NAMES), garbage=st.sampled_from(["[[[", "", 'format = "x"']))
    def corrupt_file(self, name: str, garbage: str) -> None:
        write(self.folder / name, garbage)

    @rule()
    def corrupt_index(self) -> None:
        path = index_file(self.folder, self.cache)
        if path.exists():
            path.write_bytes(b"not a database at all" * 100)
            for suffix in ("-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

    @rule()
    def delete_index(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)

    @invariant()
    def index_lists_what_the_files_hold(self) -> None:
        scanned = library(self.folder, self.cache)
        assert scanned.rows == rows_from_files(self.folder)
        # A damaged index is rebuilt and said so; never any other complaint.
        assert scanned.notice is None or "damaged: rebuilt" in scanned.notice


STEPS = settings(
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""The state machines' runs: 25 sequences of up to 15 steps."""

TestFolderAndIndex = FolderAndIndex.TestCase
TestFolderAndIndex.settings = STEPS


def sessions_folder(tmp_path: Path) -> Path:
    """A folder of sessions, all old, and a broken file."""
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    for n, text in enumerate(TEXTS):
        write(sessions / f"s{n}.toml", text, OLD_NS)
    (sessions / "broken.toml").write_text("[[[", encoding="utf-8")
    return sessions


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return sessions_folder(tmp_path)


def test_rows_carry_what_the_library_needs(folder: Path, tmp_path: Path) -> None:
    rows = library(folder, tmp_path / "cache").rows
    broken = [row for row in rows if row.summary is None]
    assert [row.path.name for row in broken] == ["broken.toml"]
    assert "TOML syntax error" in broken[0].problems[0]
    summary = rows[1].summary
    assert summary is not None
    assert (summary.team, summary.period, summary.model_id) == ("Apollo", "2026-Q4", "small-model")
    assert summary.actions == {"open": 1, "done": 0, "dropped": 0}
    assert (summary.level, summary.level_name, summary.unrated) == (1, "Initial", 1)


@pytest.mark.parametrize("first_batch", [1, 2, 100])
def test_a_cold_scan_gives_a_first_batch_at_once_and_the_same_rows_however_batched(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first_batch: int
) -> None:
    """The first rows read come as soon as they make a screen, not after a batch's time (a
    cold list showed nothing for its first 0.2 s, then 0.4 s); the rest as their time comes."""
    monkeypatch.setattr(library_index, "FIRST_BATCH_ROWS", first_batch)
    with library_index.LibraryScan(folder, tmp_path / "cache") as scan:
        batches = list(scan.batches(batch_seconds=3600))
    files = rows_from_files(folder)
    assert [len(batch) for batch in batches] == (
        [first_batch, len(files) - first_batch] if first_batch < len(files) else [len(files)]
    )
    rows = sorted((row for batch in batches for row in batch), key=lambda row: row.path.name)
    assert rows == files
    assert library(folder, tmp_path / "cache").rows == files  # what the batches indexed


def test_a_warm_scan_reads_no_file_that_did_not_change(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    library(folder, cache)
    read: list[Path] = []
    real = library_index.read_row
    monkeypatch.setattr(
        library_index, "read_row", lambda path, data=None: read.append(path) or real(path, data)
    )
    write(folder / "s0.toml", TEXTS[3])
    scanned = library(folder, cache)
    assert read == [folder / "s0.toml"]
    monkeypatch.undo()
    assert scanned.rows == rows_from_files(folder)


def test_a_change_hidden_behind_equal_size_and_times_is_found_by_the_content_hash(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system that keeps neither change times nor inodes apart (FAT, some network
    shares): within the time granularity only the bytes can tell."""
    monkeypatch.setattr(
        FileKey, "of", classmethod(lambda cls, stat: cls(stat.st_size, stat.st_mtime_ns, 0, 0, 0))
    )
    cache = tmp_path / "cache"
    path = folder / "s0.toml"
    write(path, TEXTS[0])
    library(folder, cache)
    mtime = path.stat().st_mtime_ns
    write(path, TEXTS[1], mtime)  # Apollo 2 -> Apollo 4: same size
    assert_index_agrees(folder, cache)


def test_a_corrupt_index_is_rebuilt_and_said_once(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    library(folder, cache)
    index_file(folder, cache).write_bytes(b"\0garbage" * 512)
    first = library(folder, cache)
    assert first.notice is not None and "rebuilt" in first.notice
    assert first.rows == rows_from_files(folder)
    assert library(folder, cache).notice is None


def test_a_locked_index_gives_way_to_the_files_and_says_why(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    library(folder, cache)
    monkeypatch.setattr(library_index, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(index_file(folder, cache), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        write(folder / "s0.toml", TEXTS[2])
        scanned = library(folder, cache)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert scanned.notice is not None and "reading every session file" in scanned.notice
    assert scanned.rows == rows_from_files(folder)
    assert_index_agrees(folder, cache)


def test_an_index_of_another_release_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    library(folder, cache)
    with sqlite3.connect(index_file(folder, cache)) as db:
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'version'")
        db.execute("UPDATE files SET summary = NULL, problems = '[\"stale\"]'")
    assert_index_agrees(folder, cache)


SCANNER = """
import sys, time
from pathlib import Path
from maturity_tui.library_index import library
folder, cache, until = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
while time.time() < until:
    scanned = library(folder, cache)
    if scanned.notice:
        print(scanned.notice)
"""


def test_two_processes_updating_one_index_while_the_folder_changes(
    folder: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    until = time.time() + 3
    scanners = [
        subprocess.Popen(
            [sys.executable, "-c", SCANNER, str(folder), str(cache), str(until)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    n = 0
    while time.time() < until:
        n += 1
        write(folder / f"s{n % 6}.toml", TEXTS[n % len(TEXTS)])
        if n % 5 == 0:
            (folder / f"s{n % 6}.toml").unlink()
        time.sleep(0.01)
    for scanner in scanners:
        out, err = scanner.communicate(timeout=60)
        assert scanner.returncode == 0, err
        assert out == "", out
    assert_index_agrees(folder, cache)


def test_the_index_lives_in_the_cache_folder_one_per_sessions_folder(tmp_path: Path) -> None:
    one, other = index_file(tmp_path / "x", tmp_path), index_file(tmp_path / "y", tmp_path)
    assert one.parent == other.parent == tmp_path / "library"
    assert one != other


def test_score_and_board_summaries_come_back_from_the_index_whole(tmp_path: Path) -> None:
    """Dimension scores and board counts: a warm scan lists what a cold one did (the index
    of schema 2 dropped dimension scores, so the portfolio showed none after the first run)."""
    golden = Path(__file__).parents[1] / "data" / "golden" / "input"
    folder = tmp_path / "sessions"
    folder.mkdir()
    for name in ("orion-2026-q4.toml", "vega-2026-q4.toml"):
        shutil.copy(golden / name, folder / name)
    cache = tmp_path / "cache"
    cold = library(folder, cache).rows
    warm = library(folder, cache).rows
    assert warm == cold == rows_from_files(folder)
    orion, vega = (row.summary for row in warm)
    assert orion is not None and vega is not None
    assert [d.score for d in orion.dimensions] == [1.3, 1.0]
    assert vega.board is not None and (vega.board.red, vega.board.amber) == (1, 2)


@pytest.fixture
def varied_folder(folder: Path) -> Path:
    """Staged, score and board sessions, a broken file and one that cannot be read."""
    golden = Path(__file__).parents[1] / "data" / "golden" / "input"
    for name in ("orion-2026-q4.toml", "vega-2026-q4.toml"):
        shutil.copy(golden / name, folder / name)
    (folder / "folder.toml").mkdir()
    return folder


def test_worker_processes_list_what_reading_here_lists(
    varied_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files the workers claim first (here: all of them) are read by them alone: the same
    rows as reading them here, the same index after, and no process left behind."""
    import multiprocessing

    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "CHUNK_FILES", 3)  # several chunks, one cut short
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    monkeypatch.setattr(library_index, "_claim", lambda claimed, number: False)
    read_here = library_index.LibraryScan._read_here
    monkeypatch.setattr(library_index.LibraryScan, "_read_here", None)  # never used here
    cache = tmp_path / "cache"
    cold = library(varied_folder, cache)
    monkeypatch.setattr(library_index.LibraryScan, "_read_here", read_here)
    assert multiprocessing.active_children() == []
    assert cold.notice is None
    assert cold.rows == rows_from_files(varied_folder)
    assert library(varied_folder, cache).rows == cold.rows  # warm: from what workers indexed


def test_this_process_and_the_workers_share_a_cold_scan_each_file_read_once(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk a file each, read slowly here so that the workers, once started, claim some:
    however the claims fall, every file is listed once."""
    for n in range(12):
        write(folder / f"extra-{n:02}.toml", TEXTS[n % len(TEXTS)])
    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "CHUNK_FILES", 1)
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    read_here = library_index.LibraryScan._read_here

    def slowly(self: library_index.LibraryScan, stale: list[Any]) -> Iterator[Any]:
        time.sleep(0.05)
        return read_here(self, stale)

    monkeypatch.setattr(library_index.LibraryScan, "_read_here", slowly)
    cold = library(folder, tmp_path / "cache")
    assert cold.rows == rows_from_files(folder)
    assert len(cold.rows) == len({row.path for row in cold.rows}) > 12


def test_a_chunk_claimed_here_first_is_not_read_by_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claimed = library_index._shared_claims(2)
    assert library_index._claim(claimed, 1)  # this process takes chunk 1
    monkeypatch.setattr(library_index, "_CLAIMED", claimed)  # as a worker sees the flags
    write(tmp_path / "a.toml", TEXTS[0])
    assert library_index._read_chunk(tmp_path, ["a.toml"], 1) is None
    read = library_index._read_chunk(tmp_path, ["a.toml"], 0)
    assert read is not None and read[0].digest is not None
    assert not library_index._claim(claimed, 0)  # the worker has it now


def test_a_busy_scan_leaves_every_file_to_the_workers(
    varied_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the app has better things to do (a workshop covers the list), its own process
    reads nothing where workers can: they claim every chunk, the rows are the same."""
    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "CHUNK_FILES", 1)
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    monkeypatch.setattr(library_index.LibraryScan, "_read_here", None)  # never used here
    with library_index.LibraryScan(varied_folder, tmp_path / "cache", busy=lambda: True) as scan:
        rows = [row for batch in scan.batches() for row in batch]
    assert sorted(rows, key=lambda row: row.path.name) == rows_from_files(varied_folder)


def test_a_busy_scan_reads_here_where_no_worker_can(
    varied_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(workers: int, claimed: object) -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    monkeypatch.setattr(library_index, "_start_pool", no_pool)
    with library_index.LibraryScan(varied_folder, tmp_path / "cache", busy=lambda: True) as scan:
        rows = [row for batch in scan.batches() for row in batch]
    assert sorted(rows, key=lambda row: row.path.name) == rows_from_files(varied_folder)


class _StartingPool:
    """A pool whose workers never get to a task (still starting), and that says when it is
    stopped."""

    def __init__(self) -> None:
        self.stopped = False

    def submit(self, *args: object) -> object:
        from concurrent.futures import Future

        return Future()

    def shutdown(self, wait: bool, cancel_futures: bool) -> None:
        self.stopped = True


def test_the_last_rows_do_not_wait_for_workers_still_starting(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This process claimed every chunk before a worker started: the scan gives its last
    rows without waiting for the workers, which are stopped only when the scan closes."""
    pool = _StartingPool()
    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "CHUNK_FILES", 1)
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    monkeypatch.setattr(library_index, "_start_pool", lambda workers, claimed: pool)
    with library_index.LibraryScan(folder, tmp_path / "cache") as scan:
        rows = [row for batch in scan.batches() for row in batch]
        assert not pool.stopped
    assert pool.stopped
    assert sorted(rows, key=lambda row: row.path.name) == rows_from_files(folder)


WORKER_START = r"""
import os, sys
from maturity_tui import library_index
niced_with = []
os.nice = lambda increment: niced_with.append(sorted(m for m in sys.modules if "storage" in m))
os.dup2 = lambda fd, fd2: None  # keep this process's output
library_index._worker_ready(None)
assert "maturity_tui.storage" in sys.modules
print(niced_with)
"""


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities to lower here")
def test_a_worker_lowers_its_priority_before_importing_the_models() -> None:
    """Importing the models takes a worker ~0.45 s of a core: at the app's own priority,
    two of them held the keys of a workshop opened as the library started to fill."""
    done = subprocess.run(
        [sys.executable, "-c", WORKER_START], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[[]]"


class _Kernel32:
    """Windows' process calls, as `ctypes.windll.kernel32` gives them, recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def GetCurrentProcess(self) -> int:
        return -1  # Windows' pseudo-handle for the current process

    def SetPriorityClass(self, handle: int, priority: int) -> bool:
        self.calls.append(("SetPriorityClass", priority))
        return True


def test_on_windows_a_worker_asks_for_a_priority_below_normal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows has no `os.nice`: the workers' priority class is set below normal instead."""
    import ctypes

    kernel32 = _Kernel32()
    monkeypatch.delattr(os, "nice", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"kernel32": kernel32}), raising=False)
    library_index._lower_priority()
    assert kernel32.calls == [("SetPriorityClass", 0x4000)]


class _BrokenPool:
    """A pool whose every task fails as when a worker dies."""

    def submit(self, *args: object) -> object:
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait: bool, cancel_futures: bool) -> None:
        pass


@pytest.mark.parametrize("failure", ["cannot start", "breaks"])
def test_worker_processes_that_fail_give_way_to_reading_here(
    failure: str, varied_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def start_pool(workers: int, claimed: object) -> object:
        if failure == "cannot start":
            raise OSError("no processes here")
        return _BrokenPool()

    monkeypatch.setattr(library_index, "PROCESSES_FROM", 1)
    monkeypatch.setattr(library_index, "_processes_pay", lambda: True)
    monkeypatch.setattr(library_index, "_start_pool", start_pool)
    cache = tmp_path / "cache"
    cold = library(varied_folder, cache)
    assert cold.notice is None  # nothing to tell: the files are simply read here
    assert cold.rows == rows_from_files(varied_folder)
    assert library(varied_folder, cache).rows == cold.rows


def test_a_warm_library_lists_from_the_columns_and_decodes_a_summary_only_when_asked(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the list shows, orders and filters by comes from the index's own columns: a warm
    listing decodes no summary (a fifth of its time), and gives what the files say."""
    cache = tmp_path / "cache"
    cold = library(folder, cache).rows
    decoded: list[str] = []
    real = library_index._summary_from_json
    monkeypatch.setattr(
        library_index,
        "_summary_from_json",
        lambda listed, text: decoded.append(listed.id) or real(listed, text),
    )
    warm = library(folder, cache).rows
    shown = [row.listed for row in warm]
    assert decoded == []
    from_files = rows_from_files(folder)
    for row, listed, truth in zip(warm, shown, from_files, strict=True):
        assert (listed is None) == (truth.summary is None)
        if truth.summary is not None:
            assert listed == library_index.Listing(
                *(getattr(truth.summary, field) for field in library_index.LISTED)
            )
        assert row.problems == truth.problems
    assert warm == cold == from_files  # every summary decoded, whole
    assert len(decoded) == len([row for row in warm if row.listed is not None])
