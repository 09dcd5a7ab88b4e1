"""No cyclic garbage collection while lines are counted.

The counters allocate millions of small tuples (keys, rows) that are never part of a cycle;
each of the collector's passes walks every one still alive, and a day's counts hold many: the
passes cost a fifth to a third of a run. Reference counting still frees everything as usual,
and the collector runs again once the lines are counted (the pipe's reads between two takes,
``parse_log``'s whole day).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (it stays off if it was off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
