"""Reading and writing model and session files: strict parsing, clear errors, atomic saves."""

from __future__ import annotations

import errno
import getpass
import json
import marshal
import os
import re
import secrets
import shutil
import socket
import stat
import threading
import time
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import toml_rs
import tomli_w
from pydantic import BaseModel, ValidationError

from maturity_tui.domain import MaturityModel, Session
from maturity_tui.domain.base import NON_BLANK_PATTERN, SLUG_MAX_LENGTH, SLUG_PATTERN

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A 50-person, 60-indicator session is about 32 KB; anything this big is not ours."""


Loaded = TypeVar("Loaded", bound=BaseModel)


class LoadError(Exception):
    """A file that could not be read as the format it claims; names the file and each problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, naming the file. Never split the message itself into lines:
        a problem may quote the file (U+2028, NEL and CR split it where no file is named)."""
        return [f"{self.path}: {problem}" for problem in self.problems]


class SaveError(Exception):
    """A save that did not happen; the file on disk is untouched."""


TOML_RS_NESTING = 64
"""Arrays and inline tables that may nest deeper than this are parsed by `tomllib`.

toml-rs recurses on the C stack and crashes the whole process (a segfault, no exception)
past a few hundred levels in a thread with a small stack (macOS gives threads 512 KiB:
~380 levels). Our formats nest three levels; `tomllib` (the reference, pure Python) turns
any depth into a RecursionError instead.
"""

_OPENER = re.compile(r"[\[{]")
_OTHER_BYTES = bytes(b for b in range(256) if chr(b) not in "[]{}\"'#")
_PLAIN_PAIR = re.compile(r"\[[^\[\]{}\"'#]*\]|\{[^\[\]{}\"'#]*\}")
"""Brackets around no bracket, quote or comment: both real and a pair, or both inside the
same string or comment; either way removing them hides no nesting."""


def safe_for_toml_rs(text: str) -> bool:
    """Whether the file cannot nest deeper than TOML_RS_NESTING; errs only towards `tomllib`.

    Each pass takes the innermost plain pairs away, one level of every nest; an opener
    left over may be real, so the depth is at most the passes plus the openers left.
    Strings and comments are not parsed: a bracket in one can only count too much.
    """
    # Only brackets, quotes and `#` matter to the passes below: scanning just those (a few
    # hundred of a session's 10,000 or more characters) gives the same answer 30x sooner.
    # (UTF-8 never puts an ASCII byte inside another character, so deleting every other
    # byte leaves exactly those characters, in order.)
    text = text.encode("utf-8", "surrogatepass").translate(None, _OTHER_BYTES).decode("ascii")
    passes = 0
    while passes < TOML_RS_NESTING:
        text, removed = _PLAIN_PAIR.subn("", text)
        if not removed:
            break
        passes += 1
    return passes + len(_OPENER.findall(text)) <= TOML_RS_NESTING


FileIdentity = tuple[int, int, int]
"""Inode, size and modification time: what changes when anyone writes or replaces a file."""


def _identity_of(info: os.stat_result) -> FileIdentity:
    return info.st_ino, info.st_size, info.st_mtime_ns


def file_identity(path: Path) -> FileIdentity | None:
    """The file's identity now; None when there is no file."""
    try:
        return _identity_of(path.stat())
    except OSError:
        return None


def _too_large(size: int) -> str:
    return f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"


def read_bytes(path: Path) -> bytes:
    """A file's bytes, read no further than the size limit; failures become a LoadError."""
    return read_file(path)[0]


def read_file(path: Path) -> tuple[bytes, FileIdentity]:
    """A regular file's bytes (at most the size limit), and the identity of what was read.

    Only regular files: opening a FIFO for reading waits for a writer for ever, and a
    device never ends. The identity is taken before reading, so a write that lands while
    the bytes are read makes it differ from the file's, never match a newer file.
    """
    # A folder is told apart after opening (one system call less for every file listed):
    # POSIX opens it and fstat says so; Windows refuses to open it.
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
        handle = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        )
        try:
            info = os.fstat(handle)
            if stat.S_ISDIR(info.st_mode):
                raise _a_folder(path)
            if not stat.S_ISREG(info.st_mode):
                raise LoadError(path, ["not a regular file (a FIFO, socket or device)"])
            if info.st_size > MAX_FILE_BYTES:
                raise LoadError(path, [_too_large(info.st_size)])
            data = _read_to_end(handle, info.st_size)
        finally:
            os.close(handle)
    except OSError as error:
        if path.is_dir():
            raise _a_folder(path) from None
        raise LoadError(path, [error.strerror or str(error)]) from None
    if len(data) > MAX_FILE_BYTES:
        raise LoadError(path, [_too_large(len(data))])
    return data, _identity_of(info)


READ_CHUNK = 64 * 1024
"""What is read at a time past the size the file had when opened (it grew meanwhile)."""


def _read_to_end(handle: int, size: int) -> bytes:
    """The file's bytes to its end, but no more than one byte past the size limit.

    `os.read` of exactly what the file holds: a buffered `read(MAX_FILE_BYTES + 1)` sets
    4 MiB aside for every file (45 of the 55 ms that reading 1,000 sessions took).
    """
    chunks, total, wanted = [], 0, size + 1
    while total <= MAX_FILE_BYTES:
        chunk = os.read(handle, min(wanted, MAX_FILE_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        wanted = READ_CHUNK
    return b"".join(chunks)


def _a_folder(path: Path) -> LoadError:
    return LoadError(path, ["is a folder, not a file"])


def parse_toml(data: bytes, path: Path) -> dict[str, Any]:
    """TOML 1.0 by the Rust parser, or by `tomllib` when nesting makes the Rust one unsafe;
    every failure becomes a LoadError naming the file."""
    return _parse_text(_text_of(data, path), path)


def _text_of(data: bytes, path: Path) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(path, [f"not UTF-8 text (byte {error.start})"]) from None
    if "\x00" in text:
        raise LoadError(path, ["not a text file (it holds NUL bytes)"])
    return text


def _parse_text(text: str, path: Path) -> dict[str, Any]:
    if not safe_for_toml_rs(text):
        return _parse_with_tomllib(text, path)
    try:
        return toml_rs.loads(text, toml_version="1.0.0")
    except toml_rs.TOMLDecodeError as error:
        reason = str(error).strip().splitlines()[-1]
        raise LoadError(
            path, [f"line {error.lineno}, column {error.colno}: TOML syntax error: {reason}"]
        ) from None
    except ValueError as error:
        # Valid TOML that Python's datetime cannot hold (a leap second, year 0): the parser
        # raises a bare ValueError with no line, where tomllib gives a TOMLDecodeError.
        raise LoadError(path, [f"TOML date or time out of range: {error}"]) from None


def _parse_with_tomllib(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LoadError(path, [f"TOML syntax error: {error}"]) from None
    except RecursionError:
        raise LoadError(path, ["TOML nested too deeply"]) from None


@dataclass(frozen=True, slots=True)
class _ModelCopy:
    """A session's `[model]` section as parsed once, with its `_model_key`."""

    parsed: dict[str, Any]
    key: bytes | None


_MODEL_SECTIONS: dict[str, _ModelCopy] = {}
"""Model sections already parsed, by their text, oldest first."""

_MODEL_SECTION_START = "\n[model]\n"
_HEADER_AFTER_MODEL = re.compile(r"\n\[(?!\[?model[.\]])")
"""The line break before a table header that is not the model's nor one of its sub-tables
(`[model.scale]`). Not `^` with MULTILINE: a pattern led by a literal is searched for 7x
sooner."""


def _model_section(text: str) -> tuple[str, str, str] | None:
    """The text before the model's section, the section, and the text after it, split at
    header lines as a saved session has them; None when there is no such section.

    The split is only a guess (a header-like line may sit inside a string): a section is
    trusted only once `_remember_model_section` has seen it parse alone to the model.
    """
    start = text.find(_MODEL_SECTION_START) + 1
    if not start:
        return None
    after = _HEADER_AFTER_MODEL.search(text, start + len(_MODEL_SECTION_START) - 2)
    end = after.start() + 1 if after else len(text)
    return text[:start], text[start:end], text[end:]


def _parse_session_text(text: str, path: Path) -> tuple[dict[str, Any], bytes | None]:
    """A session file's TOML, and its model copy's `_model_key` when already known.

    Sessions of one model carry the same copy, often most of each file: a section seen
    before is not parsed again, only the rest of the file is. Anything unusual about the
    rest (it fails to parse, or speaks of the model too) parses the whole file as ever, so
    the result and every error are exactly those of `parse_toml`.
    """
    split = _model_section(text)
    if split is None:
        return _parse_text(text, path), None
    before, section, after = split
    known = _MODEL_SECTIONS.get(section)
    if known is not None:
        rest = _parse_rest(before, after)
        if rest is not None:
            return {**rest, "model": known.parsed}, known.key
    parsed = _parse_text(text, path)
    if known is None:
        _remember_model_section(before, section, parsed)
    return parsed, None


def _parse_rest(before: str, after: str) -> dict[str, Any] | None:
    """The file without its model section, or None to parse the whole file instead.

    `before` parsing alone proves it ends outside any string, array or table value, so the
    model's header really opens the model's table (and the known section parses as it did
    alone), and `after`, which starts with a header, parses alone as it does in the file.
    A key of both parts, or the model's, may be a clash or a table continued: the whole
    file's parse judges those.
    """
    if not (safe_for_toml_rs(before) and safe_for_toml_rs(after)):
        return None
    try:
        head: dict[str, Any] = toml_rs.loads(before, toml_version="1.0.0")
        tail: dict[str, Any] = toml_rs.loads(after, toml_version="1.0.0")
    except ValueError:
        return None
    if "model" in head or "model" in tail or not head.keys().isdisjoint(tail):
        return None
    return {**head, **tail}


def _remember_model_section(before: str, section: str, parsed: dict[str, Any]) -> None:
    """Keep the section for the next file, if it alone parses to the model the whole file
    gave (and the text before it parses alone: it ends outside any value)."""
    if "model" not in parsed or not safe_for_toml_rs(section):
        return
    try:
        toml_rs.loads(before, toml_version="1.0.0")
        alone = toml_rs.loads(section, toml_version="1.0.0")
    except ValueError:
        return
    if alone != {"model": parsed["model"]}:
        return
    with _VALIDATED_MODELS_LOCK:
        while len(_MODEL_SECTIONS) >= _VALIDATED_MODELS_KEPT:
            del _MODEL_SECTIONS[next(iter(_MODEL_SECTIONS))]
        _MODEL_SECTIONS[section] = _ModelCopy(alone["model"], _model_key(alone["model"]))


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML 1.0 file; every failure becomes a LoadError."""
    return parse_toml(read_bytes(path), path)


_UNION_MEMBER = re.compile(r"int|float|str|bool|dict\[.+\]|list\[.+\]")
"""How pydantic names a union's member (`votes`, a reading's `value`) in an error's place."""

_FRIENDLY_PATTERN = {
    SLUG_PATTERN: "should be lowercase letters, digits and single dashes, like apollo-2026-q4",
    NON_BLANK_PATTERN: "should not be blank",
}


def _place(loc: Sequence[int | str]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def describe_errors(error: ValidationError) -> list[str]:
    """One readable line per problem: where in the file, then what is wrong.

    A value that fits no member of a union reads as one line, not one per member; when it
    has the shape of one member (a table of votes) only that member's complaints are kept.
    """
    plain: dict[str, list[str]] = {}
    unions: dict[str, list[tuple[str, str]]] = {}
    for problem in error.errors(include_url=False, include_input=False):
        loc = list(problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        pattern = (problem.get("ctx") or {}).get("pattern")
        if problem["type"] == "string_pattern_mismatch" and pattern in _FRIENDLY_PATTERN:
            message = _FRIENDLY_PATTERN[pattern]
        union_parts = [
            n
            for n, part in enumerate(loc)
            if isinstance(part, str) and _UNION_MEMBER.fullmatch(part)
        ]
        if not union_parts:
            plain.setdefault(_place(loc), []).append(message)
        else:
            # Unions nest (votes: a table or a list, of integers or decimals): drop every member.
            inner = [part for n, part in enumerate(loc) if n not in union_parts]
            unions.setdefault(_place(loc[: union_parts[0]]), []).append((_place(inner), message))
    for where, members in unions.items():
        inside = [(place, message) for place, message in members if place != where]
        for place, message in inside or members:
            plain.setdefault(place, []).append(message)
    lines = []
    for where, messages in plain.items():
        first, *others = dict.fromkeys(messages)
        text = " or ".join([first, *(m.removeprefix("Input should be ") for m in others)])
        lines.append(f"{where}: {text}" if where else text)
    return lines


def validate_as(kind: type[Loaded], data: object, path: Path) -> Loaded:
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        raise LoadError(path, describe_errors(error)) from None


def load_model(path: Path) -> MaturityModel:
    return validate_as(MaturityModel, read_toml(path), path)


def load_session(path: Path) -> Session:
    return load_session_as_read(path)[0]


SAVE_CHECK_FROM = MAX_FILE_BYTES // 8
"""Saved, a session takes at most ~3.5 times its bytes in the most compact TOML (tomli-w
puts each array item on its own indented line): files below this always fit when saved."""


def load_session_as_read(path: Path) -> tuple[Session, FileIdentity]:
    """The session, and the identity of the very bytes it came from: a save that finds
    another identity on disk knows another program wrote the file since this read.

    A session is refused when saving it would make a file over the size limit: the app
    must never write a file it then refuses to read, nor open one it cannot save.
    """
    data, identity = read_file(path)
    return parse_session(data, path), identity


def parse_session(data: bytes, path: Path) -> Session:
    """The bytes read from `path` as a session, refused when it would be too large to save."""
    parsed, model_key = _parse_session_text(_text_of(data, path), path)
    return _session_of(parsed, len(data), path, model_key)


def _session_of(
    parsed: dict[str, Any], size: int, path: Path, model_key: bytes | None = None
) -> Session:
    session = validate_session(parsed, path, model_key)
    if size > SAVE_CHECK_FROM:
        saved = len(dumps_session(session).encode("utf-8"))
        if saved > MAX_FILE_BYTES:
            raise LoadError(path, [_too_large_to_save(saved)])
    return session


def _too_large_to_save(size: int) -> str:
    return (
        f"session too large to save ({size:,} bytes once saved; the limit is "
        f"{MAX_FILE_BYTES:,}): split it, or shorten its notes and lists"
    )


_VALIDATED_MODELS: dict[bytes, MaturityModel] = {}
"""Model copies already validated, by `_model_key`, oldest first."""
_VALIDATED_MODELS_KEPT = 64
_VALIDATED_MODELS_LOCK = threading.Lock()


def _model_key(copy: object) -> bytes | None:
    """A session's parsed model copy as bytes that tell every value's type apart (True is not
    1, 1.0 is not 1: strict validation would tell them apart too); None for a copy holding a
    type marshal cannot write (a date), which is then simply validated every time."""
    if not isinstance(copy, dict):
        return None
    try:
        return marshal.dumps(copy)
    except ValueError:
        return None


def validate_session(data: dict[str, Any], path: Path, model_key: bytes | None = None) -> Session:
    """A parsed session, validated; the model copy only once for all the sessions carrying it.

    Sessions of one model carry the same copy, often most of each file: a copy seen before
    is reused validated, so the per-session work is its ratings, readings and actions. Its
    first sighting is validated as part of the session, so errors read exactly as ever.
    `model_key` is the copy's `_model_key`, when the caller knows it already.
    """
    try:
        return _validate_session(data, model_key)
    except ValidationError as error:
        raise LoadError(path, describe_errors(error)) from None


def _validate_session(data: dict[str, Any], model_key: bytes | None = None) -> Session:
    key = model_key if model_key is not None else _model_key(data.get("model"))
    known = _VALIDATED_MODELS.get(key) if key is not None else None
    session = Session.model_validate(data if known is None else {**data, "model": known})
    if key is not None and known is None:
        with _VALIDATED_MODELS_LOCK:
            while len(_VALIDATED_MODELS) >= _VALIDATED_MODELS_KEPT:
                del _VALIDATED_MODELS[next(iter(_VALIDATED_MODELS))]
            _VALIDATED_MODELS[key] = session.model
    return session


def load_any(path: Path) -> MaturityModel | Session:
    """A model or a session, told apart by its `format` key."""
    return parse_any(read_bytes(path), path)


def parse_any(data: bytes, path: Path) -> MaturityModel | Session:
    """The bytes read from `path` as a model or a session, told apart by its `format` key."""
    parsed, model_key = _parse_session_text(_text_of(data, path), path)
    if parsed.get("format") == "maturity-model":
        return validate_as(MaturityModel, parsed, path)
    return _session_of(parsed, len(data), path, model_key)


def write_model(model: MaturityModel, path: Path, *, replace: bool = False) -> None:
    """The model as a TOML file, written atomically; FileExistsError over a file unless
    `replace` (a model a coach edited by hand is never lost to a second import)."""
    if path.exists() and not replace:
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomli_w.dumps(model.model_dump(mode="python", exclude_none=True)))


def dumps_session(session: Session) -> str:
    """The session as TOML, validated again first: edits in memory skip validation."""
    return dumps_session_data(session.model_dump(mode="python", exclude_none=True))


TomlDumps = Callable[[dict[str, Any]], str]


def dumps_session_data(data: dict[str, Any], dumps: TomlDumps = tomli_w.dumps) -> str:
    """A session's `model_dump(mode="python", exclude_none=True)` as TOML, validated first
    (its model copy once per distinct copy, as on load); raises ValidationError. `dumps`
    must give `tomli_w.dumps`'s text (autosave's reuses the text of unchanged parts)."""
    _validate_session(data)
    return dumps(data)


def remove_temp_files(path: Path) -> None:
    """The temp files that saves of `path` interrupted by a crash or `kill -9` left behind.

    Only for a caller that knows no save of `path` is running (it holds its SessionLock).
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[0-9a-f]{{8}}\.tmp")
    for temp in path.parent.glob(".*.tmp"):
        if pattern.fullmatch(temp.name):
            temp.unlink(missing_ok=True)


REPLACE_RETRY_DELAYS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.4)
"""Seconds between tries of a rename that Windows refused: under a second in all."""


def _replace(source: Path, target: Path) -> None:
    """`os.replace`, tried again briefly on Windows when another program holds the target.

    An antivirus scanner or a sync tool opening the session for a moment makes the rename
    fail with a sharing violation (PermissionError) there; elsewhere it means what it says.
    """
    for delay in REPLACE_RETRY_DELAYS if os.name == "nt" else ():
        try:
            os.replace(source, target)
            return
        except PermissionError:
            time.sleep(delay)
    os.replace(source, target)


def _fsync_folder(folder: Path) -> None:
    """Make a rename inside `folder` durable, where the OS lets a folder be synced.

    Windows has no such call (opening a folder raises PermissionError) and commits the
    rename with the file; on POSIX a folder we may not read, or a file system that cannot
    sync folders, loses only durability, and the rename has already happened.
    """
    if os.name == "nt":
        return
    try:
        directory = os.open(folder, os.O_RDONLY)
    except PermissionError:
        return
    try:
        os.fsync(directory)
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(directory)


def atomic_write(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: old or new, never half.

    Lines end in "\n" on every platform. The file keeps its permissions (a new one gets the
    umask's); a mkstemp temp file would quietly make every saved session private (0600).
    """
    folder = path.parent
    temp_name = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
    handle = os.open(temp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        if path.exists():
            # By name, not os.fchmod: Windows before Python 3.13 has no fchmod.
            shutil.copymode(path, temp_name)
        _replace(temp_name, path)
    except BaseException:
        temp_name.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def save_session(session: Session, path: Path) -> None:
    """Write the session, unless the file would be one the reader refuses (over the limit)."""
    save_session_data(session.model_dump(mode="python", exclude_none=True), path)


def save_session_data(data: dict[str, Any], path: Path, dumps: TomlDumps = tomli_w.dumps) -> None:
    """Write a session's `model_dump(mode="python", exclude_none=True)` (an autosave's
    snapshot), validated once on the way."""
    try:
        text = dumps_session_data(data, dumps)
    except ValidationError as error:
        raise SaveError("; ".join(describe_errors(error))) from None
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise SaveError(f"{path}: {_too_large_to_save(size)}")
    try:
        atomic_write(path, text)
    except OSError as error:
        raise SaveError(f"{path}: {error.strerror or error}") from None


# --- One writer per session ---------------------------------------------------------------

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a session, as its lock file says: for the message only, never to decide."""

    pid: int
    host: str
    since: str
    user: str = ""

    def describe(self) -> str:
        who = f"{self.user}, pid {self.pid}" if self.user else f"pid {self.pid}"
        return f"held by {who} on host {self.host} since {self.since}"


class SessionLocked(Exception):
    """Another live process is writing this session: opening it here would lose votes."""

    def __init__(self, lock_path: Path, holder: LockHolder | None) -> None:
        self.lock_path = lock_path
        self.holder = holder
        held = holder.describe() if holder else "held by a process that is still starting"
        remedy = "close it there"
        if holder is not None and holder.host != socket.gethostname():
            remedy += f", or delete {lock_path} if it is no longer open on {holder.host}"
        super().__init__(
            f"{lock_path.with_suffix('')}: open in another maturity-tui ({held}); {remedy}"
        )


def read_lock_holder(lock_path: Path) -> LockHolder | None:
    """The holder a lock file names; None when there is none or it is unreadable."""
    try:
        data = json.loads(lock_path.read_text(encoding="utf-8"))
        return LockHolder(
            int(data["pid"]), str(data["host"]), str(data["since"]), str(data.get("user", ""))
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""  # no login name (a container, a service account): the pid still tells


class SessionLock:
    """One writer per session: an OS-level lock that the OS releases when its holder dies.

    The lock itself is `filelock`'s (flock on macOS and Linux, LockFileEx on Windows) on the
    hidden `.<session>.toml.oslock`, so a killed holder, even one not yet reaped, never blocks
    anyone and no stale-lock guessing is needed. `<session>.toml.lock` beside the session
    holds the holder's pid, user, host and start time, only for the message a second
    instance shows; it is written once the OS lock is held and removed before it is let go.
    """

    def __init__(self, session_file: Path) -> None:
        self.session_file = session_file
        self.path = session_file.with_name(session_file.name + LOCK_SUFFIX)
        self.os_lock_path = session_file.with_name(f".{session_file.name}.oslock")
        self.holder = LockHolder(
            os.getpid(),
            socket.gethostname(),
            datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            _user_name(),
        )
        # Imported here: filelock brings asyncio along, a tenth of a second that reading
        # and comparing sessions (the command line's compare, export, report) never needs.
        from filelock import FileLock

        # Not thread-local: the app takes the lock on one thread and may let it go on another.
        self._os_lock = FileLock(self.os_lock_path, blocking=False, thread_local=False)
        self._held = False

    def acquire(self) -> None:
        """Take the lock, or raise SessionLocked naming the process that has it.

        An OSError (a full disk, a read-only folder) names the session and leaves no file.
        """
        if self._held:
            return
        from filelock import Timeout

        try:
            self._os_lock.acquire()
        except Timeout:
            raise SessionLocked(self.path, read_lock_holder(self.path)) from None
        except OSError as error:
            raise OSError(error.errno, error.strerror, str(self.session_file)) from None
        other = read_lock_holder(self.path)
        if other is not None and other.host != self.holder.host:
            # A sync tool brought another machine's lock: its OS lock cannot be seen from here.
            self._let_go(self.os_lock_path)
            raise SessionLocked(self.path, other)
        try:
            self._write_holder()
        except BaseException:
            self._let_go(self.path, self.os_lock_path)
            raise
        self._held = True
        # No other writer of this session runs now: a temp file is a dead one's leftover.
        remove_temp_files(self.session_file)

    def _write_holder(self) -> None:
        data = {
            "pid": self.holder.pid,
            "host": self.holder.host,
            "since": self.holder.since,
            "user": self.holder.user,
        }
        try:
            self.path.write_text(json.dumps(data), encoding="utf-8", newline="\n")
        except OSError as error:
            raise OSError(error.errno, error.strerror, str(self.session_file)) from None

    def _let_go(self, *leftovers: Path) -> None:
        """Remove files while the OS lock is still ours, then release it.

        A waiter that opened the lock file before it was removed finds it unlinked once it
        gets the lock and tries again (filelock checks); on Windows, where an open file
        cannot be removed, filelock removes it after unlocking.
        """
        for leftover in leftovers:
            with suppress(OSError):
                leftover.unlink(missing_ok=True)
        self._os_lock.release()

    def release(self) -> None:
        if self._held:
            self._held = False
            self._let_go(self.path, self.os_lock_path)

    @property
    def held(self) -> bool:
        return self._held

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()


# --- Names and places -------------------------------------------------------------------


def slugify(text: str, fallback: str = "session") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def session_path(folder: Path, session_id: str) -> Path:
    """The file of a session id inside the folder; ids that could escape it are refused.

    Any id a session file may hold is accepted (slugify makes shorter ones), the empty one not.
    """
    if len(session_id) > SLUG_MAX_LENGTH or not re.fullmatch(SLUG_PATTERN, session_id):
        raise ValueError(f"not a valid session id: {session_id!r}")
    return folder / f"{session_id}.toml"


WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))]
)
"""Names that are devices, not files, on Windows, whatever the extension: `con.toml` too."""


def free_session_id(folder: Path, team: str, period: str) -> str:
    """A slug of team and period, with -2, -3… when the file is taken (or a device name)."""
    stem = slugify(f"{team} {period}")
    if stem in WINDOWS_DEVICE_NAMES:
        stem = f"{stem}-session"
    candidate, number = stem, 1
    while session_path(folder, candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


@dataclass(frozen=True, slots=True)
class SessionEntry:
    """A file in the sessions folder: the session, or why it could not be loaded."""

    path: Path
    session: Session | None
    error: LoadError | None


def load_entry(path: Path) -> SessionEntry:
    try:
        return SessionEntry(path, load_session(path), None)
    except LoadError as error:
        return SessionEntry(path, None, error)


# --- Models -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelSource:
    """Where a model comes from: shipped with the package, or a local file."""

    model: MaturityModel
    origin: str


def builtin_models() -> list[ModelSource]:
    folder = resources.files("maturity_tui") / "models"
    sources = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            with resources.as_file(entry) as path:
                sources.append(ModelSource(load_model(path), "built-in"))
    return sources


def local_models(folder: Path | None = None) -> tuple[list[ModelSource], list[LoadError]]:
    """The models in `folder`, by default the models folder in use (places.models_folder)."""
    from maturity_tui.places import models_folder

    folder = folder or models_folder()
    sources, errors = [], []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            sources.append(ModelSource(load_model(path), str(path)))
        except LoadError as error:
            errors.append(error)
    return sources, errors


def find_model(id_or_path: str) -> MaturityModel:
    """A model by built-in or local id, or from a file path."""
    candidate = Path(id_or_path)
    if id_or_path.endswith(".toml") or candidate.is_file():
        return load_model(candidate)
    local, _ = local_models()
    for source in builtin_models() + local:
        if source.model.id == id_or_path:
            return source.model
    raise LookupError(f"no model with id {id_or_path!r} (see `maturity-tui models`)")


# --- Trash ----------------------------------------------------------------------------------

TRASH_DIR = ".trash"


def move_to_trash(path: Path, folder: Path) -> Path:
    """Move a session file into `<folder>/.trash/`, never erasing anything; returns where."""
    trash = folder / TRASH_DIR
    trash.mkdir(exist_ok=True)
    target, number = trash / path.name, 1
    while target.exists():
        number += 1
        target = trash / f"{path.stem}-{number}{path.suffix}"
    path.rename(target)
    return target


def trash_session(path: Path, folder: Path) -> Path:
    """Move a session file to the trash, unless a live workshop has it open: that one's next
    autosave would bring it back (storage.SessionLocked names the process)."""
    with SessionLock(path):
        return move_to_trash(path, folder)
