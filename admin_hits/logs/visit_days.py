"""A day's visits as ``parse_log`` stores them, from the visit counters in ``Counts``
(``visits.py`` counts them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from admin_hits.logs.counts import Counts
from admin_hits.logs.visits import (
    BOUNCES,
    EXITS,
    LANDING_REFERRERS,
    LANDINGS,
    VISIT_LENGTHS,
    VISIT_VIEWS,
)


@dataclass
class DayVisits:
    """One day's visits: ``landings``, ``bounces`` and ``exits`` per path, the visits from
    other sites per (landing path, referrer URL), the visits per length in minutes, the
    human views in visits."""

    landings: Counter[str] = field(default_factory=Counter)
    bounces: Counter[str] = field(default_factory=Counter)
    exits: Counter[str] = field(default_factory=Counter)
    referrers: Counter[tuple[str, str]] = field(default_factory=Counter)
    lengths: Counter[int] = field(default_factory=Counter)
    views: int = 0

    @property
    def visits(self) -> int:
        return self.landings.total()

    @property
    def bounce_total(self) -> int:
        return self.bounces.total()

    @property
    def median_length(self) -> float:
        """The median visit's length in minutes (0 without visits)."""
        return median_of(self.lengths)

    def summary(self) -> dict[str, Any]:
        """What ``parse_log --json`` says of the day's visits."""
        return {
            "visits": self.visits,
            "bounces": self.bounce_total,
            "views_per_visit": round(self.views / self.visits, 2) if self.visits else 0,
            "median_visit_minutes": self.median_length,
            "landing": self.top_landings(100),
        }

    def top_landings(self, limit: int = 100) -> dict[str, int]:
        """The ``limit`` paths with the most landings, most first (ties by path)."""
        ranked = sorted(self.landings.items(), key=lambda item: (-item[1], item[0]))
        return dict(ranked[:limit])


def median_of(histogram: Mapping[int, int]) -> float:
    """The median of values given as ``{value: how many}`` (0 when empty): the middle value,
    or the mean of the two middle ones."""
    total = sum(histogram.values())
    if not total:
        return 0.0
    ranks, seen = ((total - 1) // 2, total // 2), 0
    found: list[int] = []
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > ranks[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def visit_days(counts: Counts) -> dict[date, DayVisits]:
    """Each date's visits in ``counts`` (open visits joined first: ``join_open_visits``)."""
    days: dict[date, DayVisits] = defaultdict(DayVisits)
    extra = counts.extra
    for name, attribute in ((LANDINGS, "landings"), (BOUNCES, "bounces"), (EXITS, "exits")):
        for (day, path), n in extra.get(name, Counter()).items():
            getattr(days[day], attribute)[path] += n
    for (day, path, url), n in extra.get(LANDING_REFERRERS, Counter()).items():
        days[day].referrers[path, str(url)] += n
    for (day, minutes), n in extra.get(VISIT_LENGTHS, Counter()).items():
        days[day].lengths[minutes] += n
    for (day,), n in extra.get(VISIT_VIEWS, Counter()).items():
        days[day].views += n
    return dict(days)
