"""Published maturity models brought in as format-2 model files (`maturity-tui import`).

Each importer reads the user's own copy of a published model and returns the plain data of
a format-2 model file; validating it and writing it are the caller's. Neither published
model ships with maturity-tui: their licences are not ours.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from maturity_tui.importers.dsomm import read_dsomm
from maturity_tui.importers.samm import read_samm
from maturity_tui.importers.source import ImportFailed

Importer = Callable[[Path], dict[str, Any]]

IMPORTERS: dict[str, Importer] = {"samm": read_samm, "dsomm": read_dsomm}
"""The published models `maturity-tui import` reads, by the name given on the command line."""

__all__ = ["IMPORTERS", "ImportFailed", "Importer"]
