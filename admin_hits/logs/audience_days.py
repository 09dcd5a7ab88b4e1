"""A day's audience from ``Counts``: human views per path and browser, system, device class,
country and hour, the robots.txt rule applied as to the views (``days.py``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from admin_hits.logs.ai_crawlers import AI_VIEWS
from admin_hits.logs.audience import AUDIENCE
from admin_hits.logs.visitor_views import VisitorViews

# What each figure is called in the rows and in ``parse_log --json``, in its place in the
# visitor's class (browser, version, system, device, country).
DIMENSIONS = ("browsers", "versions", "os", "devices", "countries")


@dataclass
class DayAudience:
    """Human views of one day per (path, name) for each of ``DIMENSIONS`` and per (path,
    hour) in ``hours``."""

    browsers: Counter[tuple[str, str]] = field(default_factory=Counter)
    versions: Counter[tuple[str, str]] = field(default_factory=Counter)
    os: Counter[tuple[str, str]] = field(default_factory=Counter)
    devices: Counter[tuple[str, str]] = field(default_factory=Counter)
    countries: Counter[tuple[str, str]] = field(default_factory=Counter)
    hours: Counter[tuple[str, int]] = field(default_factory=Counter)
    ai_crawlers: Counter[tuple[str, str]] = field(default_factory=Counter)  # (path, bot name)

    def merge(self, other: DayAudience) -> None:
        for name in (*DIMENSIONS, "hours", "ai_crawlers"):
            getattr(self, name).update(getattr(other, name))

    def site(self, name: str) -> Counter[Any]:
        """The site's views per name of one dimension (or per hour), every path summed."""
        total: Counter[Any] = Counter()
        for (_, key), n in getattr(self, name).items():
            total[key] += n
        return total

    def as_dict(self) -> dict[str, Any]:
        """``parse_log --json``'s figures of the day: {name: views} each, most first, and
        ``hours`` the 24 hours' views."""
        data: dict[str, Any] = {}
        for name in ("browsers", "os", "devices", "countries"):
            data[name] = dict(sorted(self.site(name).items(), key=lambda kv: (-kv[1], kv[0])))
        hours = self.site("hours")
        data["hours"] = [hours.get(hour, 0) for hour in range(24)]
        return data


def add_audience(days: Mapping[date, Any], extra: Mapping[str, Counter[Any]],
                 robots: Mapping[date, AbstractSet[int]]) -> None:  # fmt: skip
    """Count each date's audience of ``extra`` into ``days[date].audience`` (a
    ``defaultdict`` of ``DayTraffic``), leaving out the views of robots.txt readers."""
    for (day, path, name), n in extra.get(AI_VIEWS, Counter()).items():
        days[day].audience.ai_crawlers[path, name] += n
    # Every person's views are summed per (date, path, hour, class, country) already; the
    # robots.txt readers' are taken off (``VisitorViews`` knows who made each view).
    per_day: dict[date, Counter[Any]] = defaultdict(Counter)
    views = cast(VisitorViews | None, extra.get(AUDIENCE))
    if not views:
        return
    taken = views.readers_views(robots)
    for (day, path, hour, agent, country), n in views.items():
        n -= taken.get((day, path, hour, agent, country), 0)
        if n > 0:
            per_day[day][path, hour, agent, country] = n
    for day, summed in per_day.items():
        audience = days[day].audience
        browsers, versions, systems = audience.browsers, audience.versions, audience.os
        devices, countries, hours = audience.devices, audience.countries, audience.hours
        for (path, hour, agent, country), n in summed.items():
            browser, version, system, device, _ = agent
            browsers[path, browser] += n
            versions[path, version] += n
            systems[path, system] += n
            devices[path, device] += n
            countries[path, country] += n
            hours[path, hour] += n
