"""Each day's delivery from ``Counts`` (``delivery.py``): response-time bins and bytes sent,
for the site (every request) and per page (its views)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from admin_hits.logs.counts import Counts
from admin_hits.logs.delivery import (
    PAGE_BYTES,
    PAGE_REQUESTS,
    PAGE_TIMES,
    SITE_BYTES,
    SITE_TIMES,
)
from admin_hits.logs.sketches import percentiles


@dataclass
class PageDelivery:
    """One page's views of one day with their response-time bins and bytes sent (``None``:
    the format does not log them)."""

    requests: int = 0
    bins: dict[int, int] = field(default_factory=dict)
    bytes: int | None = None


@dataclass
class DayDelivery:
    """One day's delivery: ``bins`` and ``bytes`` of every request, ``pages`` per path.
    ``timed`` and ``sized``: whether the format logs the time taken and the bytes sent."""

    timed: bool = False
    sized: bool = False
    bins: dict[int, int] = field(default_factory=dict)
    bytes: int | None = None
    pages: dict[str, PageDelivery] = field(default_factory=dict)

    def page(self, path: str) -> PageDelivery:
        found = self.pages.get(path)
        if found is None:
            found = self.pages[path] = PageDelivery()
        return found

    def as_dict(self) -> dict[str, Any]:
        """``parse_log --json``'s figures of the day: ``bytes`` sent and ``response_ms``
        (p50, p95, p99 of every request), each only when the format logs it."""
        data: dict[str, Any] = {}
        if self.sized:
            data["bytes"] = self.bytes or 0
        if self.timed:
            data["response_ms"] = percentiles(self.bins)
        return data


def delivery_days(counts: Counts) -> dict[date, DayDelivery]:
    """Each date's delivery in ``counts`` (no date: the format logs neither figure)."""
    extra = counts.extra
    timed = SITE_TIMES in extra or PAGE_TIMES in extra
    sized = SITE_BYTES in extra or PAGE_BYTES in extra
    days: dict[date, DayDelivery] = {}

    def day_of(day: date) -> DayDelivery:
        found = days.get(day)
        if found is None:
            found = days[day] = DayDelivery(timed=timed, sized=sized, bytes=0 if sized else None)
        return found

    for (day, key), n in extra.get(SITE_TIMES, Counter()).items():
        bins = day_of(day).bins
        bins[key] = bins.get(key, 0) + n
    for day, n in extra.get(SITE_BYTES, Counter()).items():
        day_of(day).bytes = n
    for (day, path), n in extra.get(PAGE_REQUESTS, Counter()).items():
        day_of(day).page(path).requests += n
    for (day, path, key), n in extra.get(PAGE_TIMES, Counter()).items():
        bins = day_of(day).page(path).bins
        bins[key] = bins.get(key, 0) + n
    for (day, path), n in extra.get(PAGE_BYTES, Counter()).items():
        day_of(day).page(path).bytes = n
    if sized:
        for today in days.values():
            for page in today.pages.values():
                page.bytes = page.bytes or 0
    return days
