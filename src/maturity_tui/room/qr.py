"""The room's URL as a QR code drawn with half-block characters, two modules per cell."""

from __future__ import annotations

import segno

QUIET_ZONE = 2
"""Modules of light border; phones read 2 fine on a dark terminal, the standard says 4."""

_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def half_block_lines(rows: list[list[bool]]) -> list[str]:
    """Two rows of pixels (True: a block) per line of text, drawn with ▀ ▄ █; an even count."""
    return [
        "".join(_CELLS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]


def qr_lines(url: str, *, invert: bool = True) -> list[str]:
    """Text lines, each cell showing two rows of modules with ▀ ▄ █.

    `invert` draws light modules as blocks: on a dark terminal background, the blocks are
    the light paper of the code and the spaces its dark modules, which is what scanners want.
    """
    matrix = [[bool(m) for m in row] for row in segno.make(url, error="m").matrix]
    size = len(matrix) + 2 * QUIET_ZONE
    light = [[False] * size for _ in range(QUIET_ZONE)]
    rows = light + [[False] * QUIET_ZONE + row + [False] * QUIET_ZONE for row in matrix] + light
    if invert:
        rows = [[not dark for dark in row] for row in rows]
    if len(rows) % 2:
        rows.append([invert] * size)
    return half_block_lines(rows)
