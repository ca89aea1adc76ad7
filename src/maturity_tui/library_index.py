"""The library's index: a row per session file of a folder, kept in SQLite in the user's cache.

Listing 5,000 sessions by reading every file takes tens of seconds; from the index, a
fraction of one. The index is only a cache: delete it and nothing is lost, and nothing
written to a session ever comes from it (opening a session always reads its file).

A row is trusted while its file keeps the size, times and identity (device, inode) it
had when read. Where a file's time lies within the file system's time granularity of
when it was read (FAT keeps 2 s), a change could hide behind an equal time, so its
bytes are hashed and compared again until that window has passed. Rows of files gone
are dropped. Two app instances and a sync tool may write the folder and the index at
once: each write is a short transaction (WAL, with a busy timeout), and each row is
written with the key of the very bytes it was made from, so a late writer's stale row
is simply read again next time. A corrupt index is rebuilt; one that cannot be used
(locked too long, cache not writable) gives way to reading the files, and says why.

Many files to read (a first scan) are read by worker processes ("spawn", as on every
system), which send back what the index stores; this process only writes the index. As
with any "spawn" pool, a script that scans must guard its start with
`if __name__ == "__main__":` (the app's entry points do).
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, suppress
from dataclasses import dataclass, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from maturity_tui import __version__
from maturity_tui.collector import collector_off
from maturity_tui.listing import Shown, team_key
from maturity_tui.tallies import DimensionLevel

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor
    from multiprocessing.sharedctypes import SynchronizedArray

    from maturity_tui.compare import Column, ComparedModel
    from maturity_tui.domain import Session
    from maturity_tui.scoring import BoardCounts, SessionScore
    from maturity_tui.storage import LoadError

    Claims = SynchronizedArray[int]

# The models, storage and scoring are imported where a file is read: a warm start, every row
# from the index, needs none of them (importing them was a quarter of its time).

CACHE_ENV = "MATURITY_TUI_CACHE_DIR"
"""A folder for the index instead of the user's cache folder (tests, portable installs)."""

SCHEMA_VERSION = 5
"""2: summaries of score and board models (scoring, score, standing, dimension scores);
3: dimension scores kept in the index (2 dropped them), board counts;
4: what the library lists in columns of their own, the rest of the summary decoded lazily;
5: each file's comparison column (kept by `compare`), and the models they name."""
ROW_VERSION = f"{SCHEMA_VERSION}/{__version__}"
"""Rows hold scores: a release that may score differently rebuilds them."""

RACY_NS = 2_000_000_000
"""The coarsest file time granularity we meet (FAT: 2 s)."""

BUSY_TIMEOUT_MS = 5_000

FIRST_BATCH_ROWS = 50
"""Rows read again that make a first batch at once, whatever its time: a screen of the list
(~25 ms of reading them here, one worker's chunk), so that a cold list shows rows soon."""

NO_PROBLEMS = "[]"
"""A row's problems when its file loaded: most rows, read as they are, without JSON."""


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """What the library, compare's overview and the portfolio show of a session."""

    id: str
    team: str
    period: str
    title: str | None
    facilitator: str | None
    started_at: datetime
    updated_at: datetime
    status: str
    model_id: str
    model_version: str
    scoring: str
    """The model's scoring mode: "staged", "score" or "board"."""
    level: int | None
    """None when the model has no overall level (score, board, overall_level = false)."""
    level_name: str | None
    progress: float | None
    """Towards the next level; None at the top, or with no overall level."""
    score: float | None
    """Score models: the overall score."""
    standing: str
    """Where the team stands in a few characters, as lists show it: `2 Managed`, `score 1.25`."""
    dimensions: tuple[DimensionLevel, ...]
    unrated: int
    """Applicable indicators without an agreed rating."""
    actions: dict[str, int]
    """Action counts per status."""
    board: BoardCounts | None = None
    """Board models: the cards of each colour."""


class Listing(NamedTuple):
    """What the library lists of a session (`listing.Shown`), as the index's own columns hold
    it: a warm library is listed from these alone, without decoding any summary."""

    id: str
    team: str
    period: str
    title: str | None
    facilitator: str | None
    started_at: datetime
    updated_at: datetime
    model_id: str
    standing: str
    status: str
    unrated: int


LISTED = Listing._fields
"""The summary's fields the index keeps in columns (the rest is JSON, in `summary`)."""


class LibraryRow:
    """A session file of the folder: its summary, or (summary None) why it did not load.

    A row from the index decodes its summary when first asked for: listing the library needs
    only `listed`, which the index reads from its columns (a fifth of decoding everything).
    """

    __slots__ = ("_rest", "_summary", "listed", "path", "problems")

    def __init__(
        self, path: Path, summary: SessionSummary | None, problems: tuple[str, ...] = ()
    ) -> None:
        self.path = path
        self.problems = problems
        self.listed: Shown | None = summary
        """What the library lists of the session (None: it did not load)."""
        self._summary = summary
        self._rest: str | None = None

    @classmethod
    def indexed(
        cls, path: Path, listed: Listing, rest: str, problems: tuple[str, ...] = ()
    ) -> LibraryRow:
        row = cls(path, None, problems)
        row.listed, row._rest = listed, rest
        return row

    @property
    def summary(self) -> SessionSummary | None:
        rest = self._rest
        if rest is not None:
            # Two threads may both decode it: the same summary, set before the text goes.
            assert isinstance(self.listed, Listing)
            self._summary = _summary_from_json(self.listed, rest)
            self._rest = None
        return self._summary

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LibraryRow):
            return NotImplemented
        return (self.path, self.summary, self.problems) == (
            other.path,
            other.summary,
            other.problems,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LibraryRow({self.path!r}, {self.summary!r}, {self.problems!r})"


@dataclass(frozen=True, slots=True)
class Library:
    rows: list[LibraryRow]
    notice: str | None
    """Why the index could not be used, when it could not (the rows came from the files)."""


def summarize(session: Session, score: SessionScore | None = None) -> SessionSummary:
    """The session's summary (`score`: its score, when already worked out)."""
    from maturity_tui.compare import action_counts
    from maturity_tui.scoring import score_session
    from maturity_tui.standing import standing_text

    score = score or score_session(session)
    return SessionSummary(
        id=session.id,
        team=session.team,
        period=session.period,
        title=session.title,
        facilitator=session.facilitator,
        started_at=session.started_at,
        updated_at=session.updated_at,
        status=session.status,
        model_id=session.model.id,
        model_version=session.model.version,
        scoring=score.mode,
        level=score.level,
        level_name=None if score.level is None else session.model.level(score.level).name,
        progress=score.progress,
        score=score.score,
        standing=standing_text(session.model, score),
        dimensions=score.dimension_levels,
        unrated=len(score.unrated),
        actions=action_counts(session),
        board=score.board,
    )


def read_row(path: Path, data: bytes | None = None) -> LibraryRow:
    """A file's row, from its bytes when already read; a file that fails in any way is a
    row naming the problem, so that one bad file never hides the others."""
    from maturity_tui.storage import LoadError, parse_session, read_bytes

    try:
        raw = read_bytes(path) if data is None else data
        return LibraryRow(path, summarize(parse_session(raw, path)))
    except LoadError as error:
        return LibraryRow(path, None, tuple(error.problems))
    except Exception as error:  # a valid file that scoring or summing up cannot take: a bug
        return LibraryRow(path, None, (f"cannot be listed ({type(error).__name__}: {error})",))


def session_files(folder: Path) -> list[os.DirEntry[str]]:
    """The folder's session files, as the library lists them (none for a missing folder)."""
    try:
        with os.scandir(folder) as entries:
            return sorted((e for e in entries if e.name.endswith(".toml")), key=lambda e: e.name)
    except OSError:
        return []


def rows_from_files(folder: Path) -> list[LibraryRow]:
    """Every file read: what the index must always agree with."""
    return [read_row(folder / entry.name) for entry in session_files(folder)]


def library(folder: Path, cache_dir: Path | None = None) -> Library:
    """The folder's rows, from the index where it is up to date; the index brought up to date."""
    rows: list[LibraryRow] = []
    with LibraryScan(folder, cache_dir) as scan:
        for batch in scan.batches():
            rows.extend(batch)
    rows.sort(key=lambda row: row.path.name)
    return Library(rows, scan.notice)


def team_sessions(folder: Path, team: str, cache_dir: Path | None = None) -> list[Session]:
    """The team's sessions in the folder, read from their files (the index says which);
    files that fail to load are left out."""
    from maturity_tui.storage import load_entry

    wanted = team_key(team)
    paths = [
        row.path
        for row in library(folder, cache_dir).rows
        if row.listed is not None and team_key(row.listed.team) == wanted
    ]
    loaded = (load_entry(path).session for path in paths)
    return [session for session in loaded if session is not None]


def previous_in_folder(folder: Path, session: Session) -> Session | None:
    """The team's latest earlier session among the folder's files (unreadable ones skipped)."""
    from maturity_tui.history import previous_session

    if not folder.is_dir():
        return None
    return previous_session(team_sessions(folder, session.team), session)


def index_file(folder: Path, cache_dir: Path | None = None) -> Path:
    """Where the folder's index lives: one database per folder, named by its full path."""
    base = cache_dir or _cache_dir()
    name = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    return base / "library" / f"{name[:24]}.sqlite3"


def _cache_dir() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_path

    return user_cache_path("maturity-tui", appauthor=False)


# --- The scan -----------------------------------------------------------------------------


class FileKey(NamedTuple):
    """What says a file is unchanged: size, times and identity (a tuple: compared in C)."""

    size: int
    mtime_ns: int
    ctime_ns: int
    device: int
    inode: int

    @classmethod
    def of(cls, stat: os.stat_result) -> FileKey:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_dev, stat.st_ino)

    def racy(self, checked_ns: int) -> bool:
        """Whether a change after `checked_ns` could have left the same times behind."""
        return max(self.mtime_ns, self.ctime_ns) >= checked_ns - RACY_NS


@dataclass(frozen=True, slots=True)
class _Stored:
    key: FileKey
    digest: bytes
    checked_ns: int
    row: LibraryRow


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    device INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    digest BLOB NOT NULL,
    checked_ns INTEGER NOT NULL,
    problems TEXT NOT NULL,
    team_key TEXT,
    summary TEXT,
    id TEXT,
    team TEXT,
    period TEXT,
    title TEXT,
    facilitator TEXT,
    started_at TEXT,
    updated_at TEXT,
    model_id TEXT,
    standing TEXT,
    status TEXT,
    unrated INTEGER,
    compared TEXT
);
CREATE TABLE IF NOT EXISTS models (key TEXT PRIMARY KEY, data TEXT NOT NULL);
"""
"""`compared`: the file's comparison column (`Column.data`), NULL until `compare` reads the
file; `models`: the models those columns name, each once, by the digest of its data."""


class LibraryScan:
    """One pass over a folder: rows that are up to date first, then the files read again.
    Closed (`close`, or a `with` block) when done with."""

    def __init__(
        self,
        folder: Path,
        cache_dir: Path | None = None,
        *,
        busy: Callable[[], bool] = lambda: False,
    ) -> None:
        self.folder = folder
        self.path = index_file(folder, cache_dir)
        self.notice: str | None = None
        self.busy = busy
        """Whether this process has better things to do now (an app's workshop covers its
        list): it then leaves the files to the worker processes, if any."""
        self._db: sqlite3.Connection | None = None
        self._pool: ProcessPoolExecutor | None = None

    def batches(self, batch_seconds: float = 0.1) -> Iterator[list[LibraryRow]]:
        """The rows in batches: every up-to-date row at once, then rows read again in batches
        of about `batch_seconds` (newest files first), so that a list can fill in."""
        listing = session_files(self.folder)
        stored = self._open_and_read()
        fresh: list[LibraryRow] = []
        stale: list[tuple[os.DirEntry[str], FileKey | None]] = []
        settled: list[str] = []
        now = time.time_ns()
        for entry in listing:
            key = _key_of(entry)
            known = stored.pop(entry.name, None)
            verdict = self._verdict(entry, key, known)
            if verdict == "fresh" and known is not None:
                fresh.append(known.row)
            elif verdict == "settled" and known is not None:
                fresh.append(known.row)
                settled.append(entry.name)
            else:
                stale.append((entry, key))
        self._write(lambda db: self._forget(db, list(stored), settled, now))
        if fresh:
            yield fresh
        stale.sort(key=lambda item: item[1].mtime_ns if item[1] else 0, reverse=True)
        yield from self._reread(stale, batch_seconds)

    def __enter__(self) -> LibraryScan:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """The index closed, and worker processes ended (a scan's last rows are given out
        before: a worker still starting takes a while to end)."""
        self._stop_pool()
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _verdict(self, entry: os.DirEntry[str], key: FileKey | None, known: _Stored | None) -> str:
        if key is None or known is None:
            return "stale"
        return _file_verdict(
            self.folder / entry.name, key, known.key, known.digest, known.checked_ns
        )

    def _reread(
        self, stale: list[tuple[os.DirEntry[str], FileKey | None]], batch_seconds: float
    ) -> Iterator[list[LibraryRow]]:
        """The stale files' rows in batches of about `batch_seconds` (the first as soon as it
        holds `FIRST_BATCH_ROWS`), each batch's records written to the index before it is
        given out."""
        if not stale:
            return
        reads = (
            self._read_in_processes(stale)
            if len(stale) >= PROCESSES_FROM and _processes_pay()
            else self._read_here(stale)
        )
        batch: list[LibraryRow] = []
        records: list[tuple[Any, ...]] = []
        first = True
        for row, record in reads:
            if not batch:  # from the batch's first row: worker processes take a while to start
                started = time.monotonic()
            batch.append(row)
            if record is not None:
                records.append(record)
            if (first and len(batch) >= FIRST_BATCH_ROWS) or (
                time.monotonic() - started > batch_seconds
            ):
                self._write(lambda db, records=records: _upsert(db, records))
                yield batch
                batch, records, first = [], [], False
        self._write(lambda db: _upsert(db, records))
        if batch:
            yield batch

    def _read_here(
        self, stale: list[tuple[os.DirEntry[str], FileKey | None]]
    ) -> Iterator[tuple[LibraryRow, tuple[Any, ...] | None]]:
        """Each file's row, and its index record (None: nothing to trust it by), read in
        this process."""
        for entry, key in stale:
            read = _read_file(self.folder, entry.name)
            row = LibraryRow(self.folder / entry.name, read.summary, read.problems)
            yield row, None if key is None else read.record(entry.name, key)

    def _read_in_processes(
        self, stale: list[tuple[os.DirEntry[str], FileKey | None]]
    ) -> Iterator[tuple[LibraryRow, tuple[Any, ...] | None]]:
        """The same as `_read_here`, shared with worker processes. A worker takes ~0.45 s to
        start (importing the models), so this process reads from the first moment, chunk by
        chunk from the newest files, while the workers read from the oldest; each chunk is
        claimed by whoever comes to it first, and this process claims none while `busy`.
        Only what the index stores comes back from a worker; a chunk a worker could not read
        (it died, the pool cannot start) is read here."""
        from concurrent.futures import FIRST_COMPLETED, wait

        chunks = [stale[start : start + CHUNK_FILES] for start in range(0, len(stale), CHUNK_FILES)]
        futures: dict[int, Future[list[_Read] | None]] = {}
        claimed: Claims | None = None
        try:
            claimed = _shared_claims(len(chunks))
            self._pool = _start_pool(_workers(), claimed)
            for number in reversed(range(len(chunks))):  # the oldest files first
                names = [entry.name for entry, _ in chunks[number]]
                futures[number] = self._pool.submit(_read_chunk, self.folder, names, number)
        except Exception:  # no processes here (a sandbox, an embedded interpreter): read here
            self._stop_pool()
            futures, claimed = {}, None
        try:
            number = 0
            while number < len(chunks):
                yield from self._read_by_workers(futures, chunks, claimed, done_only=True)
                if futures and self.busy():  # the workers go on; this process looks again soon
                    wait(futures.values(), timeout=BUSY_LOOKS_AGAIN, return_when=FIRST_COMPLETED)
                    continue
                if _claim(claimed, number):
                    if number in futures:
                        futures.pop(number).cancel()  # no worker need take it up
                    yield from self._read_here(chunks[number])
                number += 1
            yield from self._read_by_workers(futures, chunks, claimed, done_only=False)
        except BaseException:
            self._stop_pool()
            raise
        # The pool is stopped by `close`, after the last rows are given out.

    def _read_by_workers(
        self,
        futures: dict[int, Future[list[_Read] | None]],
        chunks: list[list[tuple[os.DirEntry[str], FileKey | None]]],
        claimed: Claims | None,
        *,
        done_only: bool,
    ) -> Iterator[tuple[LibraryRow, tuple[Any, ...] | None]]:
        """The rows of the chunks the workers read (with `done_only`, of those read so far);
        a chunk they could not read is read here."""
        for number, future in list(futures.items()):
            if done_only and not future.done():
                continue
            del futures[number]
            try:
                reads = future.result()
            except Exception:  # a worker died, or the pool broke: read here, and only here
                _claim(claimed, number)
                yield from self._read_here(chunks[number])
                continue
            assert reads is not None, "a chunk claimed here has no future left to wait for"
            for (entry, key), read in zip(chunks[number], reads, strict=True):
                row = _row_from_columns(self.folder / entry.name, *read.columns)
                yield row, None if key is None else read.record(entry.name, key)

    def _stop_pool(self) -> None:
        """The worker processes ended (and waited for: none is left behind); chunks not
        started yet are dropped."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    # --- The database ---------------------------------------------------------------------

    def _open_and_read(self) -> dict[str, _Stored]:
        for attempt in range(2):
            try:
                self._db = self._connect()
                with collector_off():  # every row lives on, as the list's
                    return self._read_all(self._db)
            except sqlite3.DatabaseError as error:
                self.close()
                if attempt == 0 and _corrupt(error):
                    self._remove_index()
                    self.notice = f"The library's index ({self.path}) was damaged: rebuilt."
                    continue
                self._give_up(error)
            except OSError as error:
                self._give_up(error)
            break
        return {}

    def _connect(self) -> sqlite3.Connection:
        return _connect(self.path)

    def _read_all(self, db: sqlite3.Connection) -> dict[str, _Stored]:
        stored = {}
        folder = self.folder
        query = f"SELECT {_COLUMNS} FROM files"
        for (
            name,
            size,
            mtime_ns,
            ctime_ns,
            device,
            inode,
            digest,
            checked_ns,
            *stored_row,
        ) in db.execute(query):
            row = _row_from_columns(folder / name, *stored_row)
            key = FileKey(size, mtime_ns, ctime_ns, device, inode)
            stored[name] = _Stored(key, digest, checked_ns, row)
        return stored

    def _write(self, change: Any) -> None:
        if self._db is None:
            return
        try:
            with _transaction(self._db):
                change(self._db)
        except sqlite3.Error as error:
            self.close()
            self._give_up(error)

    @staticmethod
    def _forget(db: sqlite3.Connection, gone: list[str], settled: list[str], now: int) -> None:
        db.executemany("DELETE FROM files WHERE name = ?", [(name,) for name in gone])
        db.executemany(
            "UPDATE files SET checked_ns = ? WHERE name = ?", [(now, name) for name in settled]
        )

    def _remove_index(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def _give_up(self, error: Exception) -> None:
        self.notice = (
            f"The library's index ({self.path}) cannot be used ({error}); "
            "reading every session file instead."
        )


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")  # a cache: a lost last commit is harmless
    with _transaction(db):
        _create_tables(db)
        found = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if found is None or found[0] != ROW_VERSION:
            # Another release's rows (or schema): rebuilt from the files.
            db.execute("DROP TABLE files")
            db.execute("DROP TABLE models")
            _create_tables(db)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (ROW_VERSION,))
    return db


def _file_verdict(path: Path, key: FileKey, known: FileKey, digest: bytes, checked_ns: int) -> str:
    """Whether a row made from the file when it had the key `known`, its bytes hashed to
    `digest`, at `checked_ns`, still holds now that it has `key`: "fresh", "settled" (the
    same bytes, hashed again since its times lay within the time granularity of
    `checked_ns`) or "stale"."""
    if key != known:
        return "stale"
    if not key.racy(checked_ns):
        return "fresh"
    try:
        with path.open("rb") as file:  # the regular file of that identity and size
            same = _digest(file.read(key.size + 1)) == digest
    except OSError:
        return "stale"
    # Hashed again after the window: a later change would show in the times from now on.
    return "settled" if same else "stale"


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT: the write lock taken up front, waiting up to the timeout."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _create_tables(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _corrupt(error: sqlite3.DatabaseError) -> bool:
    """Not a database, or a damaged one (as opposed to one that is busy or not writable)."""
    if isinstance(error, sqlite3.OperationalError):
        return "malformed" in str(error) or "no such" in str(error)
    return True


def _key_of(entry: os.DirEntry[str]) -> FileKey | None:
    try:
        return FileKey.of(entry.stat())
    except OSError:
        return None


def _row_from_columns(path: Path, problems: str, *summarized: Any) -> LibraryRow:
    """A row from what the index stores of it (`_summary_columns`)."""
    said = tuple(json.loads(problems)) if problems != NO_PROBLEMS else ()
    _, rest, *listed = summarized
    if rest is None:
        return LibraryRow(path, None, said)
    iso = datetime.fromisoformat
    listed[5], listed[6] = iso(listed[5]), iso(listed[6])  # started_at, updated_at
    return LibraryRow.indexed(path, Listing(*listed), rest, said)


def _summary_columns(summary: SessionSummary | None) -> tuple[Any, ...]:
    """What the index stores of a summary: its team's key, the JSON of what is not listed,
    and what is (`LISTED`); all None for a file that did not load."""
    if summary is None:
        return (None, None, *(None for _ in LISTED))
    listed = [getattr(summary, field) for field in LISTED]
    listed[5], listed[6] = summary.started_at.isoformat(), summary.updated_at.isoformat()
    return (team_key(summary.team), _summary_to_json(summary), *listed)


@dataclass(frozen=True, slots=True)
class _Read:
    """A file read for the index: its row, and what the index stores of it."""

    digest: bytes | None
    """None: the file could not be read (its row says why), so nothing vouches for a record."""
    checked_ns: int
    problems_json: str
    summary_columns: tuple[Any, ...]
    """`_summary_columns`: what the index stores of the summary."""
    summary: SessionSummary | None = None
    """Read in this process: the summary itself (worker processes send its JSON only)."""
    problems: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[Any, ...]:
        """What `_row_from_columns` takes after the path."""
        return self.problems_json, *self.summary_columns

    def record(self, name: str, key: FileKey) -> tuple[Any, ...] | None:
        """The index's record, None when the file could not be read."""
        if self.digest is None:
            return None
        return (name, *key, self.digest, self.checked_ns, *self.columns)


def _read_file(folder: Path, name: str) -> _Read:
    from maturity_tui.storage import LoadError, read_bytes

    path = folder / name
    checked_ns = time.time_ns()
    try:
        data: bytes | None = read_bytes(path)
    except LoadError:
        data = None
    row = read_row(path, data)
    summary = row.summary
    return _Read(
        None if data is None else _digest(data),
        checked_ns,
        json.dumps(list(row.problems)) if row.problems else NO_PROBLEMS,
        _summary_columns(summary),
        summary,
        row.problems,
    )


# --- Worker processes for a cold scan -------------------------------------------------------

PROCESSES_FROM = 500
"""Stale files from which worker processes share the reading. A worker (a fresh interpreter
importing pydantic and the models) takes ~0.45 s of another core to start, in which this
process reads some 500 realistic files itself: below that, it is done before a worker is."""
CHUNK_FILES = 50
"""Files read per task: enough to make a task's overhead small, few enough that the first
rows come soon and the cores share the work evenly."""


BUSY_LOOKS_AGAIN = 0.1
"""Seconds a busy scan waits for the workers before it looks whether it is still busy."""


def _workers() -> int:
    """A worker for each core but the one this process reads on. (On 2 cores, a second
    worker slowed 1,000 files from 0.83-1.07 s to 1.14-1.46 s: two workers starting at once
    share one core.)"""
    return max(1, (os.cpu_count() or 1) - 1)


def _processes_pay() -> bool:
    """Several cores, and an interpreter that can start another of itself: a frozen app's
    executable would start the app again, not a worker."""
    return (os.cpu_count() or 1) > 1 and not getattr(sys, "frozen", False) and bool(sys.executable)


def _shared_claims(chunks: int) -> Claims:
    """A flag per chunk, shared with the workers: set by whoever takes the chunk up first."""
    import multiprocessing

    _start_resource_tracker()  # the flags' lock is a semaphore
    return multiprocessing.get_context("spawn").Array("b", chunks)


def _claim(claimed: Claims | None, number: int) -> bool:
    """Chunk `number` claimed for the caller; False when someone else has it. With no flags
    (no workers), everything is the caller's."""
    if claimed is None:
        return True
    with claimed.get_lock():
        if claimed[number]:
            return False
        claimed[number] = 1
        return True


def _start_pool(workers: int, claimed: Claims) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _start_resource_tracker()
    # "spawn" everywhere: the start method of Windows and macOS, and no fork of a process
    # running threads (an app's UI) on Linux.
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_ready,
        initargs=(claimed,),
    )


def _start_resource_tracker() -> None:
    """POSIX: the process that cleans up after the pool's semaphores, started with a real
    stderr to hand it. A Textual app's stderr, a capture, has no file number (-1), and
    starting the tracker from there fails."""
    if os.name != "posix":
        return
    from multiprocessing import resource_tracker

    with redirect_stderr(sys.__stderr__):
        resource_tracker.ensure_running()


_CLAIMED: Claims | None = None
"""In a worker: the scan's chunk flags (`_shared_claims`)."""


def _worker_ready(claimed: Claims) -> None:
    """The chunks' flags kept; a worker's priority lowered, then its imports done once and
    kept out of the collector's way: a chunk's sessions are freed by reference counting, the
    collector would only walk the modules again. The app's keys come first on a busy machine
    (at a load of 6 on 2 cores, keys while 5,000 files were read: p95 106 ms as equals, 30 ms
    niced, the list as quick), from the start: importing the models takes each worker ~0.45 s
    of a core."""
    global _CLAIMED
    _CLAIMED = claimed
    _lower_priority()
    from maturity_tui import storage  # noqa: F401 (imported for its models, built once)

    gc.freeze()
    # The terminal is the app's screen: nothing a worker might print goes there.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)


BELOW_NORMAL_PRIORITY_CLASS = 0x4000
"""Windows' priority class a little below a normal program's (`nice 10` elsewhere)."""


def _lower_priority() -> None:
    """This process's priority lowered: nice 10 on POSIX systems, "below normal" on Windows."""
    if hasattr(os, "nice"):
        os.nice(10)
    elif sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)


def _read_chunk(folder: Path, names: list[str], number: int) -> list[_Read] | None:
    """In a worker: chunk `number`'s files read, without their summaries (their JSON is
    enough, and smaller to send); None when the scanning process claimed it first."""
    if not _claim(_CLAIMED, number):
        return None
    return [replace(_read_file(folder, name), summary=None, problems=()) for name in names]


_COLUMNS = (
    "name, size, mtime_ns, ctime_ns, device, inode, digest, checked_ns, problems, team_key, "
    f"summary, {', '.join(LISTED)}"
)
"""A record's columns, in order (`_Read.record`)."""


def _upsert(
    db: sqlite3.Connection, records: list[tuple[Any, ...]], columns: str = _COLUMNS
) -> None:
    """The records written, each replacing the file's row (its comparison column too, unless
    `columns` has `compared` and the records end with it)."""
    marks = ", ".join("?" for _ in columns.split(","))
    db.executemany(f"INSERT OR REPLACE INTO files ({columns}) VALUES ({marks})", records)


def _summary_to_json(summary: SessionSummary) -> str:
    """The summary's fields that are not in columns of their own (`LISTED`)."""
    # By hand: dataclasses.asdict deep-copies every value, a third of a cold scan's time.
    values = {name: getattr(summary, name) for name in _REST_FIELDS}
    board = summary.board
    values["board"] = (
        None if board is None else [board.red, board.amber, board.green, board.unrated]
    )
    return json.dumps(values)


def _summary_from_json(listed: Listing, text: str) -> SessionSummary:
    values = json.loads(text)
    values["dimensions"] = tuple(DimensionLevel(*d) for d in values["dimensions"])
    if values["board"] is not None:  # board models only: the others never import scoring
        from maturity_tui.scoring import BoardCounts

        values["board"] = BoardCounts(*values["board"])
    return SessionSummary(**listed._asdict(), **values)


_REST_FIELDS = [field.name for field in fields(SessionSummary) if field.name not in LISTED]


# --- Comparison columns -----------------------------------------------------------------------


def session_columns(
    paths: list[Path], cache_dir: Path | None = None
) -> tuple[list[Column], list[LoadError]]:
    """Each file's comparison column, in the order given, and the files that failed to load
    (as `storage.load_session` words it), in that order too.

    A column comes from its folder's index while the file keeps the size, times and identity
    it had when the column was made, and was not written within the time granularity of that
    moment; any other file is read, and its row (the library's too) kept in the index for the
    next comparison. An index that cannot be used leaves every file to be read.
    """
    columns: dict[int, Column] = {}
    problems: dict[int, LoadError] = {}
    reader: _ColumnReader | None = None
    folders: dict[Path, list[tuple[int, Path]]] = {}
    for number, path in enumerate(paths):
        folders.setdefault(path.parent, []).append((number, path))
    for folder, numbered in folders.items():
        index = _ColumnIndex.open(folder, cache_dir)
        known = index.columns([path.name for _, path in numbered]) if index else {}
        read: list[_ReadColumn] = []
        for number, path in numbered:
            column = known.get(path.name)
            if column is None:
                reader = reader or _ColumnReader()
                try:
                    read.append(reader.read(path))
                except reader.load_error as error:
                    problems[number] = error
                    continue
                column = read[-1].column
            columns[number] = column
        if index:
            index.keep(read)
    return [columns[n] for n in sorted(columns)], [problems[n] for n in sorted(problems)]


@dataclass(frozen=True, slots=True)
class _StoredColumn:
    key: FileKey
    digest: bytes
    checked_ns: int
    data: dict[str, Any]
    """The column's data (`Column.data`)."""


@dataclass(frozen=True, slots=True)
class _ReadColumn:
    """A file read for its comparison column, and what the index keeps of it."""

    column: Column
    record: tuple[Any, ...] | None
    """The library's record of the file (`_Read.record`); None: not a file it lists."""


class _ColumnReader:
    """Files read one after the other for their columns, sharing what their sessions share
    (`compare.ColumnMaker`): the storage, the models and the scoring are imported only when
    a file must be read."""

    def __init__(self) -> None:
        from maturity_tui import storage
        from maturity_tui.compare import ColumnMaker

        self.load_error = storage.LoadError
        self._storage = storage
        self._made = ColumnMaker()

    def read(self, path: Path) -> _ReadColumn:
        from maturity_tui.scoring import score_session

        checked_ns = time.time_ns()
        try:
            key = FileKey.of(path.stat())  # before reading: a later write shows as a change
        except OSError:
            key = None
        data = self._storage.read_bytes(path)
        session = self._storage.parse_session(data, path)
        score = score_session(session)
        column = self._made.column(session, score)
        if key is None or not path.name.endswith(".toml"):
            return _ReadColumn(column, None)
        summary_columns = _summary_columns(summarize(session, score))
        read = _Read(_digest(data), checked_ns, NO_PROBLEMS, summary_columns)
        return _ReadColumn(column, read.record(path.name, key))


class _ColumnIndex:
    """A folder's index, as `session_columns` uses it. Any trouble with it (busy, damaged,
    not writable) ends its use quietly: the files are read instead, and the library, which
    rebuilds a damaged index, says so."""

    def __init__(self, folder: Path, db: sqlite3.Connection) -> None:
        self._folder = folder
        self._db = db
        self._settled: list[str] = []
        """Files hashed again after the time window: their times are trusted from now on."""
        self._opened_ns = time.time_ns()

    @classmethod
    def open(cls, folder: Path, cache_dir: Path | None) -> _ColumnIndex | None:
        try:
            return cls(folder, _connect(index_file(folder, cache_dir)))
        except (sqlite3.Error, OSError):
            return None

    def columns(self, names: list[str]) -> dict[str, Column]:
        """The columns of the named files, for those unchanged since their column was made."""
        from maturity_tui.compare import Column

        try:
            stored = self._stored(names)
            models = self._models({row.data["model"] for row in stored.values()})
        except sqlite3.Error:
            return {}
        return {
            name: Column.from_data(row.data, models[row.data["model"]])
            for name, row in stored.items()
            if row.data["model"] in models and self._unchanged(name, row)
        }

    def keep(self, read: list[_ReadColumn]) -> None:
        """The rows of the files read, their columns with them, and the files settled; then
        the index closed."""
        kept = [(item.column, item.record) for item in read if item.record is not None]
        try:
            if kept or self._settled:
                with _transaction(self._db):
                    LibraryScan._forget(self._db, [], self._settled, self._opened_ns)
                    self._keep(kept)
        except sqlite3.Error:
            pass  # a cache: the next comparison reads these files again
        finally:
            with suppress(sqlite3.Error):
                self._db.close()

    def _stored(self, names: list[str]) -> dict[str, _StoredColumn]:
        stored = {}
        for start in range(0, len(names), NAMES_PER_QUERY):
            chunk = names[start : start + NAMES_PER_QUERY]
            query = (
                "SELECT name, size, mtime_ns, ctime_ns, device, inode, digest, checked_ns, "
                "compared FROM files "
                f"WHERE compared IS NOT NULL AND name IN ({', '.join('?' * len(chunk))})"
            )
            for name, *key, digest, checked_ns, compared in self._db.execute(query, chunk):
                stored[name] = _StoredColumn(
                    FileKey(*key), digest, checked_ns, json.loads(compared)
                )
        return stored

    def _models(self, keys: set[str]) -> dict[str, ComparedModel]:
        from maturity_tui.compare import ComparedModel

        wanted = sorted(keys)
        query = f"SELECT key, data FROM models WHERE key IN ({', '.join('?' * len(wanted))})"
        return {
            key: ComparedModel.from_data(json.loads(data))
            for key, data in self._db.execute(query, wanted)
        }

    def _unchanged(self, name: str, stored: _StoredColumn) -> bool:
        """The file as it was when its column was made (the library's rule, `_file_verdict`)."""
        path = self._folder / name
        try:
            key = FileKey.of(path.stat())
        except OSError:
            return False
        verdict = _file_verdict(path, key, stored.key, stored.digest, stored.checked_ns)
        if verdict == "settled":
            self._settled.append(name)
        return verdict != "stale"

    def _keep(self, kept: list[tuple[Column, tuple[Any, ...]]]) -> None:
        """Each file's record (the library's), its column, and the models they name."""
        models: dict[int, str] = {}
        for column, _ in kept:
            if id(column.model) not in models:
                data = json.dumps(column.model.data())
                models[id(column.model)] = key = _digest(data.encode()).hex()
                self._db.execute("INSERT OR IGNORE INTO models VALUES (?, ?)", (key, data))
        records = [
            (*record, json.dumps(column.data(models[id(column.model)]))) for column, record in kept
        ]
        _upsert(self._db, records, f"{_COLUMNS}, compared")


NAMES_PER_QUERY = 500
"""Files asked for in one query: well within SQLite's limit on bound values."""
