"""Rows of a form, shared by the setup screen and the dialogs."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Label


def field(label: str, *, id: str | None = None) -> Horizontal:
    """One row of a form: its label on the left, the widget (composed inside) on the right."""
    row = Horizontal(classes="field", id=id)
    row.compose_add_child(Label(label))
    return row
