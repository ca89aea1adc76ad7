"""What `config.toml` may hold: the settings' pydantic model, the format's single source of
truth. `places` resolves the settings in force and checks plain ones without it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from maturity_tui.places import DEFAULT_MODEL, DEFAULT_TIMEBOX_SECONDS, PORT_RANGE, TIMEBOX_RANGE


class RoomSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str | None = None
    port: int | None = Field(None, ge=PORT_RANGE[0], le=PORT_RANGE[1])


class Settings(BaseModel):
    """Every field has a default, so an empty file is valid."""

    model_config = ConfigDict(extra="forbid")

    sessions_dir: str | None = None
    facilitator: str | None = None
    timebox_seconds: int = Field(DEFAULT_TIMEBOX_SECONDS, ge=TIMEBOX_RANGE[0], le=TIMEBOX_RANGE[1])
    default_model: str = DEFAULT_MODEL
    theme: str | None = None
    keymap: dict[str, str] = Field(default_factory=dict)
    """Textual binding id → keys (comma-separated), as `App.set_keymap` takes them."""
    room: RoomSettings = Field(default_factory=RoomSettings)
