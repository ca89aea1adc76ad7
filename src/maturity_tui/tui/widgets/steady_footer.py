"""A footer that, when keys come or go, mounts and removes only those keys."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import NamedTuple

from textual.binding import Binding
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

    def make(self) -> FooterKey:
        key = FooterKey(*self)
        # As `Footer.compose` does: the command palette's key keeps its own compact style.
        return key if self.classes == PALETTE else key.data_bind(compact=Footer.compact)


PALETTE = "-command-palette"


class SteadyFooter(Footer):
    """Textual's footer, minus its rebuild of every key whenever one comes or goes.

    Textual's `Footer` makes, mounts and styles all its keys again when the screen's keys
    change: ~20 ms, and on the voting screen the first vote on each indicator makes undo
    appear, so that vote missed its frame by that much. This one keeps the keys that stay
    and mounts or removes only those that changed. Its keys are the ones `Footer.compose`
    makes, from the same arguments; with key groups (the app has none) it rebuilds them
    all, as Textual does.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: list[KeySpec] | None = None
        """The keys as last composed here, in order; None: not known (rebuild them)."""

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:
            return
        wanted = self._wanted()
        keys = list(self.query_children(FooterKey))
        if wanted is None or self._shown is None or len(keys) != len(self._shown):
            await super().recompose()
            self._shown = wanted if self._bindings_ready else None
            return
        changes = SequenceMatcher(a=self._shown, b=wanted, autojunk=False).get_opcodes()
        async with self.batch():
            for tag, old_start, old_end, new_start, new_end in changes:
                if tag == "equal":
                    continue
                added = [spec.make() for spec in wanted[new_start:new_end]]
                if added and old_end < len(keys):
                    await self.mount_all(added, before=keys[old_end])
                elif added:
                    await self.mount_all(added)
                await self.remove_children(keys[old_start:old_end])
        self._shown = wanted

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
