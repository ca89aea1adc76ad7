"""Folders and settings: one library wherever the app starts; flag > environment > config >
default for every setting; the config file written by `config set` and read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from maturity_tui import places, storage
from maturity_tui.places import ConfigError, Settings, resolve, set_setting


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
