"""The join code in letters three lines tall, to be read off a projector from the back."""

from __future__ import annotations

from maturity_tui.room.qr import half_block_lines

# Each glyph is 5x5 pixels (row by row, "#" lit); two pixel rows share a line of half blocks.
# Only the join code's alphabet (no 0/O, 1/I/L), so every glyph differs clearly from the rest.
_FONT = {
    "A": ".###. #...# ##### #...# #...#",
    "B": "####. #...# ####. #...# ####.",
    "C": ".#### #.... #.... #.... .####",
    "D": "####. #...# #...# #...# ####.",
    "E": "##### #.... ####. #.... #####",
    "F": "##### #.... ####. #.... #....",
    "G": ".#### #.... #..## #...# .####",
    "H": "#...# #...# ##### #...# #...#",
    "J": "..### ...#. ...#. #..#. .##..",
    "K": "#...# #..#. ###.. #..#. #...#",
    "M": "#...# ##.## #.#.# #...# #...#",
    "N": "#...# ##..# #.#.# #..## #...#",
    "P": "####. #...# ####. #.... #....",
    "Q": ".###. #...# #.#.# #..#. .##.#",
    "R": "####. #...# ####. #..#. #...#",
    "S": ".#### #.... .###. ....# ####.",
    "T": "##### ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# .###.",
    "V": "#...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #.#.# ##.## #...#",
    "X": "#...# .#.#. ..#.. .#.#. #...#",
    "Y": "#...# .#.#. ..#.. ..#.. ..#..",
    "Z": "##### ...#. ..#.. .#... #####",
    "2": ".###. #...# ..##. .#... #####",
    "3": "####. ....# .###. ....# ####.",
    "4": "#..#. #..#. ##### ...#. ...#.",
    "5": "##### #.... ####. ....# ####.",
    "6": ".###. #.... ####. #...# .###.",
    "7": "##### ....# ...#. ..#.. ..#..",
    "8": ".###. #...# .###. #...# .###.",
    "9": ".###. #...# .#### ....# .###.",
}
GLYPH_WIDTH = 5
GAP = " "
_CLOCK_FONT = {
    **{digit: rows for digit, rows in _FONT.items() if digit.isdigit()},
    "0": ".###. #...# #...# #...# .###.",
    "1": "..#.. .##.. ..#.. ..#.. .###.",
    ":": ". # . # .",
    "-": "... ... ### ... ...",
}
"""The timebox's clock: every digit (0 and 1 too), the colon and a minus for overtime."""


def big_code_lines(code: str) -> list[str] | None:
    """Three lines drawing `code` in big letters; None if a character has no glyph."""
    return _big_lines(code.upper(), _FONT)


def big_clock_lines(clock: str) -> list[str] | None:
    """Three lines drawing a clock such as "2:30" or "-0:15" in big digits."""
    return _big_lines(clock, _CLOCK_FONT)


def _big_lines(text: str, font: dict[str, str]) -> list[str] | None:
    glyphs = []
    for char in text:
        rows = font.get(char)
        if rows is None:
            return None
        pixels = [[c == "#" for c in row] for row in rows.split()]
        pixels.append([False] * len(pixels[0]))
        glyphs.append(half_block_lines(pixels))
    return [GAP.join(glyph[line] for glyph in glyphs) for line in range(3)]


def big_code_width(code: str) -> int:
    return len(code) * GLYPH_WIDTH + (len(code) - 1) * len(GAP)
