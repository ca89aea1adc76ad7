"""The base of the screens that show the open workshop: voting, results, actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from maturity_tui.workshop import Workshop

if TYPE_CHECKING:
    from maturity_tui.tui.app import MaturityApp


class WorkshopScreen(Screen[None]):
    """A screen over the app's open workshop; it is only pushed while one is open."""

    app: MaturityApp

    @property
    def workshop(self) -> Workshop:
        assert self.app.workshop is not None
        return self.app.workshop
