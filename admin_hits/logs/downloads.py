"""Downloads: requests for files (``ViewRules`` says which: the reason ``"download"``),
counted apart from views, once per visitor, file and day however many requests (range
requests, 206, fetch a file in parts; a 304 is the reader opening it again).

The aggregator counts people's download requests per (date, path, visitor key) in
``DOWNLOADS``; ``download_days`` makes each date's downloads per path of them, with the
robots.txt rule applied as for views (a client that read robots.txt is a bot for the day).
Bots' downloads are not counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from admin_hits.logs.counts import ROBOTS, Counts

DOWNLOADS = "downloads"  # (date, path, visitor key): a person's requests for the file
DOWNLOAD = "download"  # the reason of a download request (``ViewRules.reason``)


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
    for (day, path, visitor), n in counts.extra.get(DOWNLOADS, Counter()).items():
        if visitor in readers.get(day, ()):
            continue
        today = days[day]
        today.downloads[path] += 1
        today.requests[path] += n
    return dict(days)
