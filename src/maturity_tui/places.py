"""Where maturity-tui keeps things, and what a coach told it once: folders and settings.

Headless (no Textual): the command line and the app both ask here. Every setting is
resolved the same way: its command-line flag, else its environment variable, else the
config file in the user's config folder, else the default. The sessions folder defaults to
`./sessions` when the current folder has one, else the user's data folder, so a tool
installed with pipx or uv shows one library wherever it is started; models likewise.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w
from pydantic import BaseModel, ConfigDict, Field, ValidationError

APP_NAME = "maturity-tui"
CONFIG_ENV = "MATURITY_TUI_CONFIG"
"""The config file's path, for a coach who keeps it elsewhere (and for tests)."""
MODELS_ENV = "MATURITY_TUI_MODELS"
LOCAL_SESSIONS = Path("sessions")
LOCAL_MODELS = Path("models")
DEFAULT_TIMEBOX_SECONDS = 180


class ConfigError(Exception):
    """A setting that is not valid, naming where it came from."""


class RoomSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str | None = None
    port: int | None = Field(None, ge=0, le=65535)


class Settings(BaseModel):
    """What `config.toml` may hold; every field has a default, so an empty file is valid."""

    model_config = ConfigDict(extra="forbid")

    sessions_dir: str | None = None
    facilitator: str | None = None
    timebox_seconds: int = Field(DEFAULT_TIMEBOX_SECONDS, ge=10, le=24 * 3600)
    default_model: str = "customer-engagement"
    theme: str | None = None
    keymap: dict[str, str] = Field(default_factory=dict)
    """Textual binding id → keys (comma-separated), as `App.set_keymap` takes them."""
    room: RoomSettings = Field(default_factory=RoomSettings)


ENVIRONMENT: dict[str, str] = {
    "sessions_dir": "MATURITY_TUI_SESSIONS",
    "facilitator": "MATURITY_TUI_FACILITATOR",
    "timebox_seconds": "MATURITY_TUI_TIMEBOX",
    "default_model": "MATURITY_TUI_MODEL",
    "theme": "MATURITY_TUI_THEME",
    "room.host": "MATURITY_TUI_ROOM_HOST",
    "room.port": "MATURITY_TUI_ROOM_PORT",
}
"""The environment variable of each setting (the key map is set in the file only)."""

SETTING_KEYS = (*ENVIRONMENT, "keymap")


# --- Folders --------------------------------------------------------------------------------


def data_folder() -> Path:
    """The user's data folder: ~/.local/share/maturity-tui, or the macOS and Windows places."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def _here_or_data(local: Path) -> Path:
    return local if local.is_dir() else data_folder() / local.name


def sessions_folder(settings: Settings) -> Path:
    if settings.sessions_dir:
        return Path(settings.sessions_dir).expanduser()
    return _here_or_data(LOCAL_SESSIONS)


def default_folder_origin(folder: Path) -> str:
    """Why a folder that no flag, variable or config chose is the one in use."""
    return "found in the current folder" if not folder.is_absolute() else "the user's data folder"


def models_folder() -> Path:
    explicit = os.environ.get(MODELS_ENV)
    return Path(explicit).expanduser() if explicit else _here_or_data(LOCAL_MODELS)


# --- Settings -------------------------------------------------------------------------------


def _flat(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, Mapping) and key != "keymap":
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _nested(flat: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, name = key.split(".")
        place = data
        for parent in parents:
            place = place.setdefault(parent, {})
        place[name] = value
    return data


def _validate(data: Mapping[str, Any], source: str) -> Settings:
    from maturity_tui.storage import describe_errors

    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError("\n".join(f"{source}: {p}" for p in describe_errors(error))) from None


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The config file's settings as written (flat, dotted keys); none when it is missing."""
    from maturity_tui.storage import read_toml

    path = path or config_file()
    if not path.exists():
        return {}
    data = read_toml(path)
    _validate(data, str(path))
    return dict(_flat(data))


@dataclass(frozen=True, slots=True)
class Resolved:
    """The settings in force, and where each came from (flag, variable, config, default)."""

    settings: Settings
    origins: dict[str, str]


def resolve(flags: Mapping[str, Any] | None = None) -> Resolved:
    """Each setting from its flag, else its environment variable, else the file, else default.

    `flags` maps setting keys (dotted: `room.port`) to what the command line gave (None: not
    given).
    """
    given = {key: value for key, value in (flags or {}).items() if value is not None}
    path = config_file()
    configured = read_config(path)
    chosen: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key in SETTING_KEYS:
        variable = ENVIRONMENT.get(key)
        if key in given:
            chosen[key], origins[key] = given[key], "command line"
        elif variable and os.environ.get(variable):
            chosen[key], origins[key] = os.environ[variable], f"${variable}"
        elif key in configured:
            chosen[key], origins[key] = configured[key], str(path)
        else:
            origins[key] = "default"
    sources = ", ".join(dict.fromkeys(o for o in origins.values() if o != "default"))
    return Resolved(_validate(_nested(chosen), sources or "default"), origins)


def set_setting(key: str, value: str | None, path: Path | None = None) -> Path:
    """Write one setting to the config file (None removes it); the file is validated first.

    Keys are dotted: `theme`, `room.port`, `keymap.timer`. Values are text; numbers are
    checked and stored as numbers.
    """
    from maturity_tui.storage import atomic_write

    path = path or config_file()
    if key not in SETTING_KEYS and not key.startswith("keymap."):
        known = ", ".join(SETTING_KEYS)
        raise ConfigError(f"{key}: not a setting (the settings: {known}, keymap.BINDING_ID)")
    current = read_config(path)
    if key.startswith("keymap."):
        keymap = dict(current.get("keymap", {}))
        binding = key.removeprefix("keymap.")
        if value is None:
            keymap.pop(binding, None)
        else:
            keymap[binding] = value
        current["keymap"] = keymap
    elif value is None:
        current.pop(key, None)
    else:
        current[key] = value
    settings = _validate(_nested(current), str(path))
    data = settings.model_dump(exclude_defaults=True, exclude_none=True)
    if not data.get("room"):
        data.pop("room", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, tomli_w.dumps(data))
    return path


def remember_theme(theme: str) -> None:
    """The theme chosen in the app, kept for its next start."""
    if read_config().get("theme") != theme:
        set_setting("theme", theme)


# --- The demo -------------------------------------------------------------------------------


def copy_demo(folder: Path) -> tuple[list[Path], list[Path]]:
    """Copy the demo history shipped with the package into `folder`: (copied, already there).

    A file already in the folder is never replaced.
    """
    folder.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    demo = resources.files("maturity_tui") / "demo"
    for entry in sorted(demo.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        target = folder / entry.name
        if target.exists():
            kept.append(target)
            continue
        with resources.as_file(entry) as source:
            shutil.copyfile(source, target)
        copied.append(target)
    return copied, kept
