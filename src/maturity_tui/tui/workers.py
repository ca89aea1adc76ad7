"""Blocking work off the UI thread, started so that no failure goes unseen.

A worker's StateChanged message goes only to the node that started it: every thread worker
is started on the app, whose one `on_worker_state_changed` shows any failure on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import Worker


def run_in_thread(
    app: App[Any], work: Callable[[], None], *, name: str, group: str = "io", exclusive: bool = True
) -> Worker[None]:
    """A one-shot thread worker on the app; `name` says what failed, if it does."""
    return app.run_worker(
        work, name=name, group=group, thread=True, exclusive=exclusive, exit_on_error=False
    )
