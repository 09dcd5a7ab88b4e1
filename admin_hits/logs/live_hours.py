"""The realtime pipe's human views per hour of the day (``LIVE_HOURS``: (date, local hour) ->
views), so that today's live figure can be compared with yesterday up to the same hour.

Counted per chunk: the lines of a chunk nearly always fall in one hour (the pipe reads them
as they are written): the aggregator says so (``chunk_hour``, from the chunk's few distinct
minutes it reads anyway), and the chunk's human views are added at once; a chunk across an
hour's end is counted line by line (the hour of each minute cached).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, tzinfo
from itertools import compress, repeat
from typing import Any

from admin_hits.logs.audience import Hours
from admin_hits.logs.counts import Counts

LIVE_HOURS = "live_hours"


class LiveHours:
    def __init__(self, tz: tzinfo, minute_of: Callable[[Any], Any], zone_of: Callable[[Any], Any]):
        self.hours = Hours(tz)
        self.minute_of, self.zone_of = minute_of, zone_of
        self.counter: Counter[tuple[date, int]] = Counter()
        self.chunk_hour: int | None = None  # the hour of every line of the chunk counted
        self._minute_hours: dict[Any, int] | None = None  # the chunk's minutes' (one zone)

    def chunk(self, minutes: set[Any], zones: set[Any]) -> None:
        """Learn the chunk's hour from its distinct minutes and zones (``None``: several)."""
        self.chunk_hour, self._minute_hours = self.hours.of_chunk(minutes, zones)

    def count(self, day: date, rows: list[Any], mask: list[bool]) -> None:
        """Count the ``rows`` of ``day`` that ``mask`` says are people's views."""
        if self.chunk_hour is not None:
            self.counter[day, self.chunk_hour] += sum(mask)
        else:
            self.count_rows(day, list(compress(rows, mask)))

    def count_rows(self, day: date, rows: list[Any]) -> None:
        """Count ``rows``, human views of ``day``."""
        if not rows:
            return
        minutes = map(self.minute_of, rows)
        if self._minute_hours is not None and self.chunk_hour is None:  # one zone
            hours = map(self._minute_hours.__getitem__, minutes)
        else:
            hours = map(self.hours.of, minutes, map(self.zone_of, rows))
        self.counter.update(zip(repeat(day), hours))

    def flush(self, counts: Counts) -> None:
        if self.counter:
            counts.counter(LIVE_HOURS).update(self.counter)
            self.counter = Counter()
