"""Sessions of the built-in model for the CLI tests, and the types of conftest's fixtures."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from maturity_tui.domain import Session, new_session
from maturity_tui.storage import builtin_models

Run = Callable[..., subprocess.CompletedProcess[bytes]]
Write = Callable[..., Path]

FORMULA_TITLES = ['=HYPERLINK("http://x")', "+1", "-1+2", "@x"]


def build_session(
    session_id: str, started: datetime, ratings: dict[str, int], **fields: Any
) -> Session:
    """A session of the built-in model, with one vote by Ana on each of `ratings`."""
    model = builtin_models()[0].model
    session = new_session(
        session_id, model, fields.pop("team", "Apollo"), participants=["Ana", "Ben"], now=started
    )
    data = session.model_dump(mode="python", exclude_none=True)
    data["ratings"] = [{"indicator": i, "votes": {"Ana": v}} for i, v in ratings.items()]
    return Session.model_validate(data | fields)
