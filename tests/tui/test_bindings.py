"""Every key binding has an id `<screen>.<action>`, unique in the app, so a user's keymap
(`App.set_keymap`) can move any one key without moving another."""

from __future__ import annotations

import importlib
import pkgutil
import re

from textual.binding import Binding
from textual.screen import Screen

import maturity_tui.tui.screens
from maturity_tui.tui.app import MaturityApp

ID = re.compile(r"^[a-z]+(-[a-z]+)*\.[a-z0-9]+(-[a-z0-9]+)*$")


def owners() -> list[type[object]]:
    """The app and every screen class the package defines."""
    for module in pkgutil.iter_modules(maturity_tui.tui.screens.__path__):
        importlib.import_module(f"maturity_tui.tui.screens.{module.name}")
    screens: list[type[object]] = []
    pending: list[type[object]] = [Screen]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("maturity_tui."):
                screens.append(subclass)
    return [MaturityApp, *screens]


def prefix(owner: type[object]) -> str:
    """`CarryOverScreen` -> `carry-over`, `ExportDialog` -> `export`, the app -> `app`."""
    if owner is MaturityApp:
        return "app"
    name = re.sub(r"(Screen|Dialog)$", "", owner.__name__)
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def own_bindings(owner: type[object]) -> list[Binding]:
    declared = vars(owner).get("BINDINGS", [])
    assert all(isinstance(b, Binding) for b in declared), owner.__name__
    return list(declared)


def test_every_binding_id_names_its_screen_and_action() -> None:
    for owner in owners():
        for binding in own_bindings(owner):
            assert binding.id is not None, (owner.__name__, binding.key)
            assert ID.match(binding.id), binding.id
            assert binding.id.startswith(prefix(owner) + "."), (owner.__name__, binding.id)


def test_binding_ids_are_unique_in_the_app() -> None:
    ids = [b.id for owner in owners() for b in own_bindings(owner)]
    assert len(ids) == len(set(ids)), {i for i in ids if ids.count(i) > 1}
