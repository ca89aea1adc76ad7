"""Bulk loads out of the cyclic garbage collector's way (the command line's, the library's)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[None]:
    """No cyclic garbage collection meanwhile, then what stays alive frozen out of its way.

    Loading makes many objects that all stay alive: the collector would scan them again
    and again for nothing (a quarter of the time of a 1,000-session compare, a sixth of a
    warm library's). Nested, only the outermost lets the collector run again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
