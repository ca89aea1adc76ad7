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
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import platformdirs

if TYPE_CHECKING:
    from maturity_tui.settings import Settings

# pydantic (the settings' model, `maturity_tui.settings`) is imported only where a setting
# needs more than a look to check: the app's start reads plain settings without it (~130 ms).

APP_NAME = "maturity-tui"
CONFIG_ENV = "MATURITY_TUI_CONFIG"
"""The config file's path, for a coach who keeps it elsewhere (and for tests)."""
MODELS_ENV = "MATURITY_TUI_MODELS"
LOCAL_SESSIONS = Path("sessions")
LOCAL_MODELS = Path("models")
DEFAULT_TIMEBOX_SECONDS = 180
TIMEBOX_RANGE = (10, 24 * 3600)
PORT_RANGE = (0, 65535)
DEFAULT_MODEL = "customer-engagement"
CONFIG_SIZE_LIMIT = 1 << 20
"""A config file larger than this is not read here but by the storage's careful reader."""


class ConfigError(Exception):
    """A setting that is not valid, naming where it came from."""


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


class _NamesSessionsDir(Protocol):
    @property
    def sessions_dir(self) -> str | None: ...


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


def sessions_folder(settings: _NamesSessionsDir) -> Path:
    """The sessions folder of the settings (a `Resolved` or the `Settings` model)."""
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


def _text(value: Any) -> bool:
    return type(value) is str


def _text_or_none(value: Any) -> bool:
    return value is None or type(value) is str


def _whole_or_none(low: int, high: int, none: bool) -> Callable[[Any], bool]:
    return lambda value: (none and value is None) or (type(value) is int and low <= value <= high)


def _key_map(value: Any) -> bool:
    return type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items())


Plain = Mapping[str, "Callable[[Any], bool] | Plain"]

PLAIN: Plain = {
    "sessions_dir": _text_or_none,
    "facilitator": _text_or_none,
    "timebox_seconds": _whole_or_none(*TIMEBOX_RANGE, none=False),
    "default_model": _text,
    "theme": _text_or_none,
    "keymap": _key_map,
    "room": {"host": _text_or_none, "port": _whole_or_none(*PORT_RANGE, none=True)},
}
"""Each field of the settings' model (`maturity_tui.settings`), and whether a value is one the
model takes exactly as it is, without a conversion: then no pydantic is needed to check it.
Any other value goes to the model, which converts it (`"90"` from an environment variable)
or says what is wrong. A test proves both agree."""


def plain(data: Mapping[str, Any], fields: Plain = PLAIN) -> bool:
    """Whether the settings (nested, as in the file) are valid as they are, by a look."""
    for key, value in data.items():
        check = fields.get(key)
        if check is None:
            return False
        if isinstance(check, Mapping):
            if type(value) is not dict or not plain(value, check):
                return False
        elif not check(value):
            return False
    return True


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
    from pydantic import ValidationError

    from maturity_tui.settings import Settings
    from maturity_tui.storage import describe_errors

    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise ConfigError("\n".join(f"{source}: {p}" for p in describe_errors(error))) from None


def _plain_config(path: Path) -> dict[str, Any] | None:
    """The config file's settings when a plain read takes them: a small regular file of
    UTF-8 TOML whose values are `plain`. None sends it to the careful read (`read_toml` and
    the model), which also says what is wrong with it."""
    import tomllib  # here: most starts find no config file

    try:
        with path.open("rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            text = file.read(CONFIG_SIZE_LIMIT + 1).decode("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return data if len(text) <= CONFIG_SIZE_LIMIT and "\x00" not in text and plain(data) else None


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The config file's settings as written (flat, dotted keys); none when it is missing."""
    path = path or config_file()
    if not path.is_file():
        if not path.exists():
            return {}
        data = None  # a folder or a FIFO: the careful read says so
    else:
        data = _plain_config(path)
    if data is None:
        from maturity_tui.storage import read_toml

        data = read_toml(path)
        _validate(data, str(path))
    return dict(_flat(data))


@dataclass(slots=True)
class Resolved:
    """The settings in force, and where each came from (flag, variable, config, default).

    The values are checked when resolved; the model (`settings`) is built when first asked
    for. The app's start needs only the folder, the theme and the key map, read here.
    """

    values: dict[str, Any]
    """Flat (dotted keys), each valid as the model takes it; a missing one is the default."""
    origins: dict[str, str]
    _model: Settings | None = field(default=None, repr=False)

    @classmethod
    def of(cls, settings: Settings) -> Resolved:
        """Settings made in code (tests, a caller that has them): no origins to tell."""
        values = dict(_flat(settings.model_dump()))
        return cls(values, dict.fromkeys(SETTING_KEYS, "given"), settings)

    @property
    def settings(self) -> Settings:
        if self._model is None:
            self._model = _validate(_nested(self.values), "settings")
        return self._model

    @property
    def sessions_dir(self) -> str | None:
        folder: str | None = self.values.get("sessions_dir")
        return folder

    @property
    def theme(self) -> str | None:
        theme: str | None = self.values.get("theme")
        return theme

    @property
    def keymap(self) -> dict[str, str]:
        keymap: dict[str, str] = self.values.get("keymap", {})
        return keymap


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
    if plain(_nested(chosen)):
        return Resolved(chosen, origins)
    sources = ", ".join(dict.fromkeys(o for o in origins.values() if o != "default"))
    model = _validate(_nested(chosen), sources or "default")
    return Resolved(dict(_flat(model.model_dump())), origins, model)


def set_setting(key: str, value: str | None, path: Path | None = None) -> Path:
    """Write one setting to the config file (None removes it); the file is validated first.

    Keys are dotted: `theme`, `room.port`, `keymap.timer`. Values are text; numbers are
    checked and stored as numbers.
    """
    import tomli_w

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
