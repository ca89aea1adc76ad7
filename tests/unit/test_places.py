"""Folders and settings: one library wherever the app starts; flag > environment > config >
default for every setting; the config file written by `config set` and read back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import ValidationError

from maturity_tui import places, storage
from maturity_tui.places import ConfigError, resolve, set_setting
from maturity_tui.settings import Settings


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv(places.CONFIG_ENV, str(path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return path


def test_sessions_are_in_the_current_folder_when_it_has_them_else_in_the_data_folder(
    config: Path, tmp_path: Path
) -> None:
    settings = resolve().settings
    data = places.data_folder()
    assert data == tmp_path / "data" / "maturity-tui"
    assert places.sessions_folder(settings) == data / "sessions"
    assert places.models_folder() == data / "models"
    (tmp_path / "sessions").mkdir()
    (tmp_path / "models").mkdir()
    assert places.sessions_folder(settings) == Path("sessions")
    assert places.models_folder() == Path("models")


@pytest.mark.parametrize(
    ("flag", "environment", "in_file", "expected", "origin"),
    [
        (45, "60", 90, 45, "command line"),
        (None, "60", 90, 60, "$MATURITY_TUI_TIMEBOX"),
        (None, None, 90, 90, "config"),
        (None, None, None, 180, "default"),
    ],
)
def test_a_flag_beats_the_environment_beats_the_config_beats_the_default(
    config: Path,
    monkeypatch: pytest.MonkeyPatch,
    flag: int | None,
    environment: str | None,
    in_file: int | None,
    expected: int,
    origin: str,
) -> None:
    if environment is not None:
        monkeypatch.setenv("MATURITY_TUI_TIMEBOX", environment)
    if in_file is not None:
        set_setting("timebox_seconds", str(in_file))
    resolved = resolve({"timebox_seconds": flag})
    assert resolved.settings.timebox_seconds == expected
    assert resolved.origins["timebox_seconds"] == (str(config) if origin == "config" else origin)


def test_the_sessions_folder_follows_the_same_order(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_setting("sessions_dir", "~/workshops")
    assert places.sessions_folder(resolve().settings) == Path.home() / "workshops"
    monkeypatch.setenv("MATURITY_TUI_SESSIONS", "/from/env")
    assert places.sessions_folder(resolve().settings) == Path("/from/env")
    assert places.sessions_folder(resolve({"sessions_dir": "given"}).settings) == Path("given")


def test_config_set_writes_toml_that_reads_back_and_unset_removes(config: Path) -> None:
    set_setting("room.port", "9000")
    set_setting("keymap.voting.timer", "T")
    set_setting("theme", "nord")
    written = storage.read_toml(config)
    assert written == {"theme": "nord", "keymap": {"voting.timer": "T"}, "room": {"port": 9000}}
    set_setting("theme", None)
    set_setting("keymap.voting.timer", None)
    assert resolve().settings == Settings(room={"port": 9000})  # type: ignore[arg-type]
    assert b"\r\n" not in config.read_bytes()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("room.port", "70000", "room.port: Input should be less than or equal to 65535"),
        ("timebox_seconds", "soon", "timebox_seconds: Input should be a valid integer"),
        ("colour", "red", "colour: not a setting"),
    ],
)
def test_a_bad_setting_is_refused_and_the_file_stays(
    config: Path, key: str, value: str, message: str
) -> None:
    set_setting("theme", "nord")
    before = config.read_bytes()
    with pytest.raises(ConfigError, match=message):
        set_setting(key, value)
    assert config.read_bytes() == before


def test_a_broken_config_file_is_named_in_the_error(config: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text("timebox_seconds = 'x'\n")
    with pytest.raises(ConfigError, match=f"{config}: timebox_seconds"):
        resolve()
    config.write_text("theme = \n")
    with pytest.raises(storage.LoadError, match="line 1"):
        resolve()


def test_the_demo_is_copied_and_never_over_an_existing_file(tmp_path: Path) -> None:
    folder = tmp_path / "Zoë's demo"
    copied, kept = places.copy_demo(folder)
    assert [p.name for p in copied] == [
        *(f"apollo-2026-q{n}.toml" for n in range(1, 5)),
        *(f"vega-2026-q{n}.toml" for n in range(2, 5)),
    ]
    assert kept == []
    for path in copied:
        storage.load_session(path)
    copied[0].write_text("mine")
    copied[1].unlink()
    again, kept = places.copy_demo(folder)
    assert again == [copied[1]]
    assert kept == [copied[0], *copied[2:]]
    assert copied[0].read_text() == "mine"


# --- The plain look: settings checked without pydantic at the app's start ---------------------

_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=100_000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["90", " 90", "9_0", "65535", "nord"]),
    st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=5), st.integers()), max_size=3),
)
_keys = st.sampled_from([*places.PLAIN, "room.port", "colour", "host"])
_room = st.dictionaries(st.sampled_from(["host", "port", "colour"]), _values, max_size=3)
_text = st.one_of(st.text(max_size=8), st.none())
_valid = st.fixed_dictionaries(
    {},
    optional={
        "sessions_dir": _text,
        "facilitator": _text,
        "timebox_seconds": st.integers(min_value=10, max_value=24 * 3600),
        "default_model": st.text(max_size=8),
        "theme": _text,
        "keymap": st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
        "room": st.fixed_dictionaries(
            {}, optional={"host": _text, "port": st.none() | st.integers(0, 65535)}
        ),
    },
)
_settings_data = st.one_of(
    _valid,
    st.dictionaries(_keys, st.one_of(_values, _room), max_size=6),
    # Valid settings with one value of any kind in one place.
    st.tuples(_valid, _keys, st.one_of(_values, _room)).map(lambda v: {**v[0], v[1]: v[2]}),
)


@given(_settings_data)
@hypothesis_settings(max_examples=400, deadline=None)
def test_a_plain_look_agrees_with_the_model(data: dict[str, Any]) -> None:
    """Settings the plain look takes are valid, and valid as they are: the model keeps every
    value without converting it, and what the start reads equals what the model says."""
    try:
        model: Settings | None = Settings.model_validate(data)
    except ValidationError:
        model = None
    if not places.plain(data):
        return
    assert model is not None
    flat = dict(places._flat(data))
    dumped = dict(places._flat(model.model_dump()))
    for key, value in flat.items():
        assert dumped[key] == value and type(dumped[key]) is type(value)
    resolved = places.Resolved(flat, {})
    assert (resolved.sessions_dir, resolved.theme, resolved.keymap) == (
        model.sessions_dir,
        model.theme,
        model.keymap,
    )
    assert resolved.settings == model


def test_plain_names_every_field_of_the_model() -> None:
    room = places.PLAIN["room"]
    assert isinstance(room, dict)
    assert set(places.PLAIN) == set(Settings.model_fields)
    assert set(room) == set(Settings.model_fields["room"].annotation.model_fields)  # type: ignore[union-attr]


@given(_settings_data)
@hypothesis_settings(max_examples=150, deadline=None)
def test_the_config_file_read_plainly_equals_the_careful_read(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("config") / "config.toml"
    try:
        path.write_text(tomli_w.dumps({k: v for k, v in data.items() if v is not None}))
    except (TypeError, ValueError):
        return  # not TOML (a float key map value is fine; None is not)
    careful: dict[str, Any] | Exception
    try:
        written = storage.read_toml(path)
        Settings.model_validate(written)
        careful = dict(places._flat(written))
    except (storage.LoadError, ValidationError) as error:
        careful = error
    try:
        assert places.read_config(path) == careful
    except ConfigError:
        assert isinstance(careful, ValidationError)


def test_the_app_starts_without_pydantic_when_the_settings_are_plain(
    config: Path, tmp_path: Path
) -> None:
    """The home, started as `maturity-tui --sessions-dir FOLDER` starts it, with a plain
    config file (a theme remembered, a key map), loads no pydantic nor the storage before
    its first frame: ~130 ms of its start and more."""
    set_setting("theme", "nord")
    set_setting("keymap.home.new", "N")
    folder = tmp_path / "empty"
    folder.mkdir()
    script = f"""
import sys
import maturity_tui.tui.app as app_module
from maturity_tui.cli import main
class Once(app_module.MaturityApp):
    def on_mount(self):
        super().on_mount()
        self.call_after_refresh(self.painted)
    def painted(self):
        loaded = (m for m in sys.modules if m.startswith(("pydantic", "maturity_tui.storage")))
        print(self.theme, ",".join(loaded))
        self.exit()
    def run(self, **options):
        return super().run(headless=True, size=(80, 24))
app_module.MaturityApp = Once
main(["--sessions-dir", {str(folder)!r}])
"""
    env = {**os.environ, places.CONFIG_ENV: str(config), "MATURITY_TUI_CACHE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split() == ["nord"], result.stdout[-300:] + result.stderr[-500:]
