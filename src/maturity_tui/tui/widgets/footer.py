"""The footer of every screen that has one of its own: Textual's compact Footer, with its keys
rebuilt once per frame, and, when keys come or go, only those mounted or removed.

Textual's Footer rebuilds all its keys every time the screen's bindings change. A screen's
first frame changes them several times (the screen mounts, focus lands, the stack settles):
three rebuilds before the home's first paint in 8.2.8, and each key it builds then restyles
itself once more on mount, as its `compact` follows the footer's. Together that was a fifth
of the home's start. Later, a key that comes or goes made it make, mount and style every key
again: ~20 ms, and on the voting screen the first vote on each indicator makes undo appear,
so that vote missed its frame by that much.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeySpec(NamedTuple):
    """A footer key's arguments: two keys made from equal specs draw the same."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str
    classes: str

    @property
    def place(self) -> tuple[str, str, str, str, str]:
        """What a key takes of the footer's width: a key whose place stays is changed where it
        is (enabled, disabled, its tooltip), never mounted again, so nothing moves."""
        return self.key, self.key_display, self.description, self.action, self.classes

    def make(self, compact: bool) -> FooterKey:
        """The key, styled as it will be once mounted in a footer that is `compact` or not."""
        key = FooterKey(*self)
        # As `Footer.compose` does: the command palette's key keeps its own compact style.
        if self.classes == PALETTE:
            return key
        # What its `compact` watcher would add on mount, with a restyle and a relayout.
        key.set_class(compact, "-compact", update=False)
        return key.data_bind(compact=Footer.compact)


PALETTE = "-command-palette"


class KeysFooter(Footer):
    """Textual's compact footer, built once per frame, that keeps the keys that stay.

    Its keys are the ones `Footer.compose` makes, from the same arguments; with key groups
    (the app has none) it rebuilds them all, as Textual does.
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._rebuild_due = False
        self._shown: list[KeySpec] | None = None
        """The keys as last composed here, in order; None: not known (rebuild them)."""

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

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:
            return
        wanted = self._wanted()
        keys = list(self.query_children(FooterKey))
        if wanted is None or self._shown is None or len(keys) != len(self._shown):
            await super().recompose()
            self._shown = wanted if self._bindings_ready else None
            return
        shown = [spec.place for spec in self._shown]
        changes = SequenceMatcher(a=shown, b=[spec.place for spec in wanted], autojunk=False)
        async with self.batch():
            for tag, old_start, old_end, new_start, new_end in changes.get_opcodes():
                if tag == "equal":
                    kept = zip(keys[old_start:old_end], wanted[new_start:new_end], strict=True)
                    for key, spec in kept:
                        self._update(key, spec)
                    continue
                added = [spec.make(self.compact) for spec in wanted[new_start:new_end]]
                if added and old_end < len(keys):
                    await self.mount_all(added, before=keys[old_end])
                elif added:
                    await self.mount_all(added)
                await self.remove_children(keys[old_start:old_end])
        self._shown = wanted

    @staticmethod
    def _update(key: FooterKey, spec: KeySpec) -> None:
        """The key enabled or disabled, and its tooltip, as `spec` says, where it stands: as
        `FooterKey.__init__` makes it (its own flag, which a click reads, and the `-disabled`
        class, which dims it; not the widget's `disabled`, which Textual's footer never sets)."""
        key.tooltip = spec.tooltip or None
        key._disabled = spec.disabled
        key.set_class(spec.disabled, "-disabled")

    def _wanted(self) -> list[KeySpec] | None:
        """The keys `Footer.compose` would make now, in its order; None with key groups."""
        active = self.screen.active_bindings
        first: dict[str, tuple[Binding, bool, str]] = {}
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                first.setdefault(binding.action, (binding, enabled, tooltip))
        if any(binding.group is not None for binding, _, _ in first.values()):
            return None
        display = self.app.get_key_display
        wanted = [
            KeySpec(b.key, display(b), b.description, b.action, not enabled, tooltip, "")
            for b, enabled, tooltip in first.values()
        ]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            _, b, enabled, _ = palette
            tooltip = b.tooltip or b.description
            wanted.append(
                KeySpec(b.key, display(b), b.description, b.action, not enabled, tooltip, PALETTE)
            )
        return wanted
