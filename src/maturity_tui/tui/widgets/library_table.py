"""The home screen's list of sessions: a table that keeps its rows as given and draws only
the lines on screen.

Textual's DataTable measures and stores every row added (~0.12 ms a row in 8.2.8): filling
it with 5,000 sessions held the UI thread for most of a second, on every fill and every
filter. This table holds a sorted list; filling, filtering and sorting cost a list
operation, and drawing costs the visible rows. It looks and answers keys like a DataTable
with a row cursor (same styles, same key bindings), so the screen reads the same.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CELL_PADDING = 1
"""Cells on each side of a column, as DataTable draws them."""
HEADER_ROW = -1
RENDER_CACHE_SIZE = 400


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row as the table shows it: its key, its cells, and where it sorts."""

    key: str
    cells: tuple[str, ...]
    """Plain text, safe to draw (no markup, no control characters)."""
    order: tuple[Any, ...]


_ORDER = attrgetter("order")


class _RowMessage(Message):
    def __init__(self, table: LibraryTable, row: TableRow | None) -> None:
        super().__init__()
        self.table = table
        self.row = row

    @property
    def control(self) -> LibraryTable:
        return self.table


class LibraryTable(ScrollView, can_focus=True):
    """Rows sorted by their `order`, one line each, under a header; a row cursor."""

    ALLOW_SELECT = False

    # DataTable's own styles (Textual 8.2.8), so that the library looks as it always did.
    DEFAULT_CSS = """
    LibraryTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .library-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .library-table--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .library-table--even-row {
            background: $surface-darken-1 40%;
        }
        & > .library-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .library-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .library-table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .library-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .library-table--hover {
            background: $block-hover-background;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home,home", "first", "Top", show=False),
        Binding("ctrl+end,end", "last", "Bottom", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "library-table--header",
        "library-table--cursor",
        "library-table--hover",
        "library-table--even-row",
        "library-table--odd-row",
    }

    # Not repainted whole when they change: their watchers redraw the two lines they move.
    cursor_row: reactive[int] = reactive(0, init=False, repaint=False)
    hover_row: reactive[int] = reactive(HEADER_ROW, init=False, repaint=False)

    class Highlighted(_RowMessage):
        """The cursor is on another row (row None: the table is empty)."""

    class Selected(_RowMessage):
        """Enter, or a click on the highlighted row."""

    def __init__(
        self, labels: Sequence[str], *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._labels = tuple(labels)
        self._rows: list[TableRow] = []
        self._widths = [cell_len(label) for label in self._labels]
        self._show_hover = False
        self._announced: str | None = None
        """The key of the row last announced as highlighted."""
        self._lines: dict[tuple[Any, ...], Strip] = {}
        """Lines drawn before, by everything that shapes them: moving the cursor or adding
        rows draws only the lines that changed."""
        self._pass: _Pass | None = None

    # --- Rows -------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[TableRow]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self._rows[index].cells

    @property
    def highlighted(self) -> TableRow | None:
        return self._rows[self.cursor_row] if self._rows else None

    def get_row_index(self, key: str) -> int:
        """Where the row of this key is shown; KeyError when it is not."""
        for n, row in enumerate(self._rows):
            if row.key == key:
                return n
        raise KeyError(key)

    def replace(self, rows: Iterable[TableRow]) -> None:
        """Show these rows (in their order) instead; the cursor stays on its row if shown."""
        kept = self.highlighted
        self._rows = sorted(rows, key=_ORDER)
        self._widths = [cell_len(label) for label in self._labels]
        self._widen(self._rows)
        self._changed(kept)

    def add(self, rows: Sequence[TableRow]) -> None:
        """More rows, each in its place; the cursor stays on its row."""
        if not rows:
            return
        kept = self.highlighted
        last_shown = self._last_shown()
        # Sorted as a whole: Timsort merges the sorted run already here with the new rows
        # (after the equal ones already here: the sort is stable).
        self._rows = sorted([*self._rows, *rows], key=_ORDER)
        widened = self._widen(rows)
        # Rows that all come after the screen's last line leave every line as it was: most
        # batches of a long fill, which then cost no frame of the table.
        unseen = last_shown is not None and all(row.order >= last_shown.order for row in rows)
        self._changed(kept, repaint=widened or not unseen)

    def remove_row(self, key: str) -> None:
        try:
            index = self.get_row_index(key)
        except KeyError:
            return
        del self._rows[index]
        self._changed(None, index)

    def move_cursor(self, row: int) -> None:
        self.cursor_row = row

    def _last_shown(self) -> TableRow | None:
        """The row on the screen's last line; None while the screen has room for more."""
        index = int(self.scroll_y) + self.size.height - 2  # line 0 is the header
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def _widen(self, rows: Iterable[TableRow]) -> bool:
        """The columns made wide enough for these rows' cells: whether any grew."""
        widths = self._widths
        grew = False
        for row in rows:
            for n, cell in enumerate(row.cells):
                cells = cell_len(cell)
                if cells > widths[n]:
                    widths[n] = cells
                    grew = True
        return grew

    def _changed(
        self, kept: TableRow | None, index: int | None = None, *, repaint: bool = True
    ) -> None:
        self._resize(Size(self._table_width(), len(self._rows) + 1))
        found = None if kept is None else self._find(kept)
        self.cursor_row = next(n for n in (found, index, self.cursor_row) if n is not None)
        self._announce()
        if repaint:
            self.refresh()

    def _resize(self, size: Size) -> None:
        """The table's new size, laid out again only when a scroll bar comes or goes: a
        layout of the whole screen for every batch of rows was most of a cold fill's frames.
        (`virtual_size` is a reactive with layout=True; the scroll bars' update is the rest of
        what setting it does in Textual 8.2.8.)"""
        if size == self.virtual_size:
            return
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(LibraryTable.virtual_size, size)
        self._scroll_update(size)
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self.refresh(layout=True)

    def _table_width(self) -> int:
        return sum(width + 2 * CELL_PADDING for width in self._widths)

    def _find(self, row: TableRow) -> int | None:
        """Where a row is now: by bisection on its order, then its key among equals."""
        start = bisect_left(self._rows, row.order, key=_ORDER)
        for n in range(start, len(self._rows)):
            if self._rows[n].order != row.order:
                break
            if self._rows[n].key == row.key:
                return n
        return None

    # --- The cursor -------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._rows) - 1))

    def watch_cursor_row(self, previous: int, row: int) -> None:
        self._refresh_rows(previous, row)
        self._scroll_cursor_into_view()
        self._announce()

    def _announce(self) -> None:
        """Says when the cursor is on another row than before (rows added above it move it
        down the list, not to another row)."""
        row = self.highlighted
        key = None if row is None else row.key
        if key != self._announced:
            self._announced = key
            self.post_message(self.Highlighted(self, row))

    def watch_hover_row(self, previous: int, row: int) -> None:
        self._refresh_rows(previous, row)

    def _refresh_rows(self, *indexes: int) -> None:
        """Only these rows' lines drawn again: a key that moves the cursor on screen costs two
        lines, not every line of the table (~1 ms of Textual's styling each; a frame of the
        whole table was most of what a key cost while the library filled). A scroll, when
        the cursor leaves the screen, redraws what it moves by itself."""
        top, height, width = int(self.scroll_y), self.size.height, self.size.width
        lines = (index + 1 - top for index in indexes)  # the header is line 0
        regions = [Region(0, y, width, 1) for y in lines if 0 < y < height]
        if regions:  # (none would mean the whole table)
            self.refresh(*regions)

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        region = Region(int(self.scroll_x), self.cursor_row + 1, self.size.width, 1)
        self.scroll_to_region(region, animate=animate, spacing=Spacing(top=1), force=True)

    def _keyed(self) -> None:
        if self._show_hover:  # the mouse's row loses its mark
            self._show_hover = False
            self._refresh_rows(self.hover_row)

    def action_cursor_up(self) -> None:
        self._keyed()
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self._keyed()
        self.cursor_row += 1

    def action_first(self) -> None:
        self._keyed()
        self.cursor_row = 0

    def action_last(self) -> None:
        self._keyed()
        self.cursor_row = len(self._rows) - 1

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_page_down(self) -> None:
        self._keyed()
        self.scroll_relative(y=self._page(), animate=False, force=True)
        self.cursor_row += self._page()

    def action_page_up(self) -> None:
        self._keyed()
        self.scroll_relative(y=-self._page(), animate=False, force=True)
        self.cursor_row -= self._page()

    def action_select_cursor(self) -> None:
        row = self.highlighted
        if row is not None:
            self.post_message(self.Selected(self, row))

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        row = event.style.meta.get("row", HEADER_ROW)
        if not self._show_hover:  # a key had taken the mark off: back on the mouse's row
            self._show_hover = True
            self._refresh_rows(row)
        self.hover_row = row

    def _on_leave(self, event: events.Leave) -> None:
        self._show_hover = False
        self.hover_row = HEADER_ROW

    async def _on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row", HEADER_ROW)
        if row == HEADER_ROW or row >= len(self._rows):
            return
        again = row == self.cursor_row
        self.cursor_row = row
        if again:
            self.action_select_cursor()
        event.stop()

    # --- Drawing: as DataTable draws a table with a row cursor and zebra stripes -------

    def render_lines(self, crop: Region) -> list[Strip]:
        component = self.get_component_styles
        self._pass = _Pass(
            self.get_pseudo_class_state(),
            tuple(self._widths),
            self.rich_style,
            component("library-table--header").rich_style,
            component("library-table--even-row").rich_style,
            component("library-table--odd-row").rich_style,
            self.get_component_rich_style("library-table--hover"),
            self.get_component_rich_style("library-table--cursor"),
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        index = HEADER_ROW if y == 0 else y - 1 + scroll_y
        assert self._pass is not None, "render_lines sets it up"
        base = self._pass.base
        if index >= len(self._rows):
            return Strip.blank(width, base)
        shown = None if index == HEADER_ROW else self._rows[index].key
        key = (shown, index, self._marks(index), scroll_x, width, self._pass)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > RENDER_CACHE_SIZE:
                self._lines.clear()
            line = Strip(self._row_segments(index, width)).crop(scroll_x, scroll_x + width)
            strip = self._lines[key] = line.adjust_cell_length(width, base).simplify()
        return strip

    def _marks(self, index: int) -> tuple[bool, bool]:
        """Whether the mouse and the cursor are on this row."""
        hovered = self._show_hover and index == self.hover_row and index != HEADER_ROW
        return hovered, index == self.cursor_row and index != HEADER_ROW

    def _row_segments(self, index: int, width: int) -> list[Segment]:
        styles = self._pass
        assert styles is not None, "render_lines sets it up"
        if index == HEADER_ROW:
            row_style, cells = styles.header, self._labels
        else:
            stripe = styles.odd if index % 2 else styles.even
            row_style, cells = stripe, self._rows[index].cells
        marked = Style()
        for on, style in zip(self._marks(index), (styles.hover, styles.cursor), strict=True):
            if on:
                marked += style
        post = Style.from_color(color=marked.color)
        segments: list[Segment] = []
        for column, (cell, cell_width) in enumerate(zip(cells, self._widths, strict=True)):
            style = row_style + Style.from_meta({"row": index, "column": column}) + marked
            # DataTable puts the row's style under the cell's, the cursor's colour over both.
            segments.append(_cell(cell, cell_width, style + post))
        # The row's style carried to the right edge, as DataTable does.
        beyond = Style.from_meta({"row": index, "column": 0, "out_of_bounds": True})
        segments.append(
            Segment(" " * max(0, width - self._table_width()), row_style + marked + beyond)
        )
        return segments


class _Pass(NamedTuple):
    """What every line of one drawing pass shares (and a cached line was drawn with)."""

    pseudo_classes: Any
    widths: tuple[int, ...]
    base: Style
    header: Style
    even: Style
    odd: Style
    hover: Style
    cursor: Style


def _cell(text: str, width: int, style: Style) -> Segment:
    """A cell padded to its column."""
    padding = " " * CELL_PADDING
    return Segment(padding + text + " " * (width - cell_len(text)) + padding, style)
