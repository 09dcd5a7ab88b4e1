"""Downloads: requests for files (``ViewRules`` says which: the reason ``"download"``),
counted apart from views, once per visitor, file and day however many requests (range
requests, 206, fetch a file in parts; a 304 is the reader opening it again).

The aggregator counts people's download requests per (date, path) and visitor key in
``DOWNLOADS`` (a ``Downloads``); ``download_days`` makes each date's downloads per path of
them, with the robots.txt rule applied as for views (a client that read robots.txt is a bot
for the day). Bots' downloads are not counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from admin_hits.logs.counts import ROBOTS, Counts

DOWNLOADS = "downloads"  # (date, path): visitor key: a person's requests for the file
DOWNLOAD = "download"  # the reason of a download request (``ViewRules.reason``)


class Downloads(dict[tuple[date, str], dict[int, int]]):
    """People's requests for files: per (date, path), per visitor key, how many. A visitor's
    key and count in the file's dict cost some 80 bytes; a counter key of (date, path,
    visitor) for each, 150: when every client is new, a day's downloads are many."""

    def add(self, day: date, path: str, visitor: int, n: int = 1) -> None:
        mine = self.get((day, path))
        if mine is None:
            mine = self[day, path] = {}
        mine[visitor] = mine.get(visitor, 0) + n

    def add_many(self, day: date, paths: Iterable[str], visitors: Iterable[int]) -> None:
        """A request of ``paths[i]`` by ``visitors[i]`` each."""
        for path, visitor in zip(paths, visitors, strict=True):
            self.add(day, path, visitor)

    def merge_into(self, target: Mapping[tuple[date, str], dict[int, int]] | None) -> Downloads:
        """``target`` (``None``, empty, or ``Downloads``) with these requests added; a copy
        of these when there is none (``Counts.merge`` keeps what it is given apart)."""
        if not isinstance(target, Downloads):
            if target:
                raise TypeError(f"cannot add downloads to {type(target).__name__}")
            target = Downloads()
        if target is self:
            return target
        for key, visitors in self.items():
            mine = target.get(key)
            if mine is None:
                target[key] = dict(visitors)
                continue
            for visitor, n in visitors.items():
                mine[visitor] = mine.get(visitor, 0) + n
        return target


def downloads_of(counts: Counts) -> Downloads:
    """The ``Downloads`` of ``counts``, made when missing. Kept in ``Counts.extra`` beside the
    counters (which ``merge_into`` lets ``Counts.merge`` add with its own method)."""
    found: Any = counts.extra.get(DOWNLOADS)
    if not isinstance(found, Downloads):
        found = Downloads()
        counts.extra[DOWNLOADS] = found
    return cast(Downloads, found)


def add_downloads(counts: Counts, downloads: Downloads) -> None:
    """Add ``downloads`` to those of ``counts`` (taken over when it has none)."""
    held: Any = counts.extra.get(DOWNLOADS)
    merged: Any = downloads.merge_into(held) if held else downloads
    counts.extra[DOWNLOADS] = merged


@dataclass
class DayDownloads:
    """One day's downloads per path (distinct visitors) and requests per path."""

    downloads: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.downloads.total()


def download_days(
    counts: Counts, readers: Mapping[date, AbstractSet[int]] | None = None
) -> dict[date, DayDownloads]:
    """Each date's downloads in ``counts``; ``readers``: the visitor keys per date that asked
    for robots.txt (default: those in ``counts``)."""
    if readers is None:
        found: dict[date, set[int]] = defaultdict(set)
        for day, visitor in counts.extra.get(ROBOTS, ()):
            found[day].add(visitor)
        readers = found
    days: dict[date, DayDownloads] = defaultdict(DayDownloads)
    requested: Any = counts.extra.get(DOWNLOADS) or Downloads()
    for (day, path), visitors in cast(Downloads, requested).items():
        read = readers.get(day, ())
        for visitor, n in visitors.items():
            if visitor not in read:
                today = days[day]
                today.downloads[path] += 1
                today.requests[path] += n
    return dict(days)
