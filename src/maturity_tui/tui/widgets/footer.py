"""The footer of every screen: Textual's compact Footer, built once per frame.

Textual's Footer rebuilds its keys every time the screen's bindings change, and a screen's
first frame changes them several times (the screen mounts, focus lands, the stack settles):
three rebuilds before the home's first paint in 8.2.8. Each key it builds then restyles
itself once more on mount, as its `compact` follows the footer's. Together that was a
fifth of the home's start. Here the bindings may change any number of times before the next
refresh; the keys are rebuilt once, after it, and come already styled as compact.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)
        self._rebuild_due = False

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # What the key's own `compact` watcher would add on mount, with a restyle.
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        # As Footer.bindings_changed, with one rebuild however many changes come first.
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_due:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_due = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        await self.recompose()
