"""Reading and writing model and session files: strict parsing, clear errors, atomic saves."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import toml_rs
import tomli_w
from pydantic import BaseModel, ValidationError

from maturity_tui.domain import MaturityModel, Session

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A 50-person, 60-indicator session is about 32 KB; anything this big is not ours."""

SESSIONS_ENV = "MATURITY_TUI_SESSIONS"
DEFAULT_SESSIONS_DIR = Path("sessions")
LOCAL_MODELS_DIR = Path("models")

Loaded = TypeVar("Loaded", bound=BaseModel)


class LoadError(Exception):
    """A file that could not be read as the format it claims; names the file and each problem."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {problem}" for problem in problems))


class SaveError(Exception):
    """A save that did not happen; the file on disk is untouched."""


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML 1.0 file with the Rust parser; every failure becomes a LoadError."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(
                path, [f"file is too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"]
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise LoadError(path, [f"not UTF-8 text (byte {error.start})"]) from None
    except OSError as error:
        raise LoadError(path, [error.strerror or str(error)]) from None
    if "\x00" in text:
        raise LoadError(path, ["not a text file (it holds NUL bytes)"])
    try:
        return toml_rs.loads(text, toml_version="1.0.0")
    except toml_rs.TOMLDecodeError as error:
        reason = str(error).strip().splitlines()[-1]
        raise LoadError(
            path, [f"line {error.lineno}, column {error.colno}: TOML syntax error: {reason}"]
        ) from None
    except RecursionError:
        raise LoadError(path, ["TOML nested too deeply"]) from None


def describe_errors(error: ValidationError) -> list[str]:
    """One readable line per problem: where in the file, then what is wrong."""
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        where = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in problem["loc"]
        ).lstrip(".")
        message = problem["msg"].removeprefix("Value error, ")
        line = f"{where}: {message}" if where else message
        if line not in lines:
            lines.append(line)
    return lines


def validate_as(kind: type[Loaded], data: object, path: Path) -> Loaded:
    try:
        return kind.model_validate(data)
    except ValidationError as error:
        raise LoadError(path, describe_errors(error)) from None


def load_model(path: Path) -> MaturityModel:
    return validate_as(MaturityModel, read_toml(path), path)


def load_session(path: Path) -> Session:
    return validate_as(Session, read_toml(path), path)


def load_any(path: Path) -> MaturityModel | Session:
    """A model or a session, told apart by its `format` key."""
    data = read_toml(path)
    kind: type[MaturityModel | Session] = (
        MaturityModel if data.get("format") == "maturity-model" else Session
    )
    return validate_as(kind, data, path)


def dumps_session(session: Session) -> str:
    """The session as TOML, validated again first: edits in memory skip validation."""
    data = session.model_dump(mode="python", exclude_none=True)
    Session.model_validate(data)
    return tomli_w.dumps(data)


def atomic_write(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, rename, fsync the folder: old or new, never half."""
    folder = path.parent
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def save_session(session: Session, path: Path) -> None:
    try:
        text = dumps_session(session)
    except ValidationError as error:
        raise SaveError("; ".join(describe_errors(error))) from None
    try:
        atomic_write(path, text)
    except OSError as error:
        raise SaveError(f"{path}: {error.strerror or error}") from None


# --- Names and places -------------------------------------------------------------------


def slugify(text: str, fallback: str = "session") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def session_path(folder: Path, session_id: str) -> Path:
    """The file of a session id inside the folder; ids that could escape it are refused."""
    if slugify(session_id, fallback="") != session_id:
        raise ValueError(f"not a valid session id: {session_id!r}")
    return folder / f"{session_id}.toml"


def free_session_id(folder: Path, team: str, period: str) -> str:
    """A slug of team and period, with -2, -3… when the file is taken."""
    stem = slugify(f"{team} {period}")
    candidate, number = stem, 1
    while session_path(folder, candidate).exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def sessions_dir(explicit: str | None = None) -> Path:
    return Path(explicit or os.environ.get(SESSIONS_ENV) or DEFAULT_SESSIONS_DIR)


@dataclass(frozen=True, slots=True)
class SessionEntry:
    """A file in the sessions folder: the session, or why it could not be loaded."""

    path: Path
    session: Session | None
    error: LoadError | None


def scan_sessions(folder: Path) -> Iterator[SessionEntry]:
    for path in sorted(folder.glob("*.toml")):
        try:
            yield SessionEntry(path, load_session(path), None)
        except LoadError as error:
            yield SessionEntry(path, None, error)


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


def local_models(folder: Path = LOCAL_MODELS_DIR) -> tuple[list[ModelSource], list[LoadError]]:
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
