"""The robots.txt readers of a run's days, found before the run counts them.

A client that asks for ``/robots.txt`` is a bot for the whole day (``logs/days.py``). Known only
once the day is read, the rule makes the run remember every person's view with its visitor
until the end; known first, it lets the counting set a reader's views apart as they come
(``logs/reader_views.py``), so that a day's memory grows with the site's paths, not with its
visitors.

The files are searched for the bytes ``/robots.txt`` (in C, a block at a time) and only the
lines that hold them are counted, by an aggregator made as the run's, so the readers are those
the run itself finds. A neighbour's chunks (``parsing.py``: read until one holds no line of
the wanted days) are counted whole, to stop where the run stops. Standard input and FIFOs can
not be read twice: a run of those finds its readers at the end of the day, as it always did.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any

from admin_hits.logs import Counts
from admin_hits.logs.days import robots_readers
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.nightly.logfiles import read_blocks
from admin_hits.nightly.parsing import Source, collect
from admin_hits.nightly.sites import make_aggregator

_NEEDLE = b"/robots.txt"
_BLOCK = 8 << 20


def can_scan(sources: Sequence[Source]) -> bool:
    """Whether every source can be read once more: a file, not standard input or a FIFO."""
    return all(source.name != "-" and Path(source.name).is_file() for source in sources)


def scan_readers(
    sources: Sequence[Source], days: Collection[datetime.date], **core: Any
) -> dict[datetime.date, set[int]]:
    """The visitor keys, per date of ``days``, that asked for robots.txt in ``sources``
    (``core``: the run's ``collect`` options)."""
    aggregator = make_aggregator(**core, days=frozenset(days))
    total = Counts()
    with paused_gc():
        for source in sources:
            if source.neighbour:
                continue
            aggregator.feed(robots_lines(source.name))  # (it takes them a chunk at a time)
            total.absorb(aggregator.take())
    neighbours = [source for source in sources if source.neighbour]
    if neighbours:
        total.absorb(collect(neighbours, days, **core))
    return robots_readers(total)


def robots_lines(name: str) -> Iterator[bytes]:
    """The lines of a log that hold ``/robots.txt`` (with their line breaks)."""
    for block in read_blocks(name, _BLOCK):  # whole lines, as the run's chunks have them
        yield from _lines_with(block, len(block))


def _lines_with(block: bytes, end: int) -> Iterator[bytes]:
    """The lines of ``block[:end]`` (whole lines) that hold the needle."""
    at = block.find(_NEEDLE, 0, end)
    while at >= 0:
        start = block.rfind(b"\n", 0, at) + 1
        stop = block.find(b"\n", at, end)
        stop = end if stop < 0 else stop + 1
        yield block[start:stop]
        at = block.find(_NEEDLE, stop, end)
