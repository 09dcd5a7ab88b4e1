"""A chunk of lines to the rows of one ``findall``: what the aggregator counts in C.

The lines of a chunk are joined and matched by one ``findall`` of the format's chunk regex
(``compiler.py``), which gives a small tuple per line and no match object. That holds only
when the rows line up with the lines: each line but the last ends with its line break and
none has one inside (a list of lines may be fed, not only a file's). A chunk with a control
byte in it goes to the escape-aware regex, which does not take such a line ("binary"), where
the fast one would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import compress, repeat
from operator import eq
from typing import Any

from admin_hits.logs.compiler import CompiledFormat
from admin_hits.logs.parser import to_bytes

Row = tuple[bytes, ...]
# Every byte but the control bytes Apache escapes (tab, LF and CR may be in a line).
_NOT_BINARY = bytes(b for b in range(256) if not (b < 32 and b not in b"\t\n\r" or b == 127))


def usable(
    chunk: list[Any], max_line_length: int, reject: Callable[[Any], None]
) -> tuple[list[bytes], bytes]:
    """The lines of ``chunk`` that are bytes within ``max_line_length``, and those lines
    joined; ``reject`` is called with each of the others (too long, or no text at all)."""
    try:
        if max(map(len, chunk)) <= max_line_length:
            return chunk, b"".join(chunk)  # TypeError unless every line is bytes-like
    except TypeError:
        pass
    kept = []
    for line in chunk:
        data = to_bytes(line)
        if data is None or len(data) > max_line_length:
            reject(line)
        else:
            kept.append(data)
    return kept, b"".join(kept)


def chunk_rows(
    compiled: CompiledFormat, chunk: list[bytes], data: bytes
) -> tuple[list[Row] | None, bool]:
    """A row per line of ``chunk`` (``data``: those lines joined), or ``None`` when its lines
    must go one by one (a line break inside a line); and whether the chunk is free of control
    bytes (its rows then come from the fast regex, whose misses the strict one may take)."""
    last = data.endswith(b"\n")
    clean = not data.translate(None, _NOT_BINARY)
    try:
        ends = sum(map(bytes.endswith, chunk, repeat(b"\n")))
    except TypeError:  # bytearray or memoryview lines: one by one
        return None, clean
    if ends != len(chunk) - (not last):
        return None, clean
    matcher = compiled.fast if clean else compiled.strict
    rows = matcher.chunk.findall(data, 0, len(data) - last)
    return (rows if len(rows) == len(chunk) else None), clean


def by_date(
    rows: list[Row], minute_of: Callable[[Row], bytes], zone_of: Callable[[Row], bytes],
    day_of: Callable[[bytes, bytes], date | None],
) -> list[tuple[date, list[Row], set[bytes], set[bytes]]] | None:  # fmt: skip
    """The matched ``rows`` of a chunk across midnight (or a change of zone) split by their
    date, in their order, each date with its distinct minutes and zones; ``None`` when a row
    has no possible date. So a chunk of two dates is counted as two chunks, in C, rather than
    line by line; rows that did not match (no minute) are in no part."""
    times = list(zip(map(minute_of, rows), map(zone_of, rows), strict=True))
    dated = {pair: day_of(*pair) for pair in set(times) if pair[0]}
    parts = []
    for day in sorted(set(dated.values()), key=lambda day: (day is None, day)):
        if day is None:
            return None
        own = {pair for pair, date_of in dated.items() if date_of == day}
        part = list(compress(rows, map(eq, map(dated.get, times), repeat(day))))
        parts.append((day, part, {minute for minute, _ in own}, {zone for _, zone in own}))
    return parts
