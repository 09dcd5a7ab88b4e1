"""A log of two sites whose views are spread over the hours of a day, and the views each site
should get per hour and per path, counted here from the lines as written."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from tests.helpers import combined
from tests.nightly.test_parse_log_sites import HOST_SITES, PATHS

#: The last hour of the day each site gets lines in (the log ends there).
LAST_HOURS = {1: 14, 2: 9}


@dataclass
class HourlyLog:
    lines: list[str] = field(default_factory=list)
    hours: Counter[tuple[int, int]] = field(default_factory=Counter)  # (site, hour) -> views
    paths: Counter[tuple[int, str]] = field(default_factory=Counter)  # (site, path) -> views

    def site_hours(self, site: int | None) -> dict[int, int]:
        """``{hour: views}`` of one site, or of every site for None."""
        hours: Counter[int] = Counter()
        for (of_site, hour), n in self.hours.items():
            if site in (None, of_site):
                hours[hour] += n
        return dict(hours)

    def views(self, site: int | None) -> int:
        return sum(self.site_hours(site).values())


def hourly_log(
    day: datetime.date, seed: int, last_hours: dict[int, int] | None = None, size: int = 600
) -> HourlyLog:
    """``size`` lines of ``day`` (``vhost_combined``, times in +0100 as Berlin's in winter), of
    the hosts of both sites and of one of no site, each site's up to its hour of
    ``last_hours`` (and within its first half)."""
    rng = random.Random(seed)
    last = last_hours or LAST_HOURS
    log = HourlyLog()
    timed = []
    for n in range(size):
        host = rng.choice([*HOST_SITES, "elsewhere.example.net"])
        site = HOST_SITES.get(host)
        hour = rng.randint(0, last.get(site or 1, 23))
        minute = rng.randrange(30)
        path = rng.choice(PATHS)
        when = f"{day:%d/%b/%Y}:{hour:02d}:{minute:02d}:{n % 60:02d} +0100"
        ip = f"198.51.{n % 7}.{n % 200 + 1}"
        timed.append(((hour, minute), f"{host}:443 " + combined(path, when, ip=ip)))
        if site is not None:
            log.hours[site, hour] += 1
            log.paths[site, path] += 1
    log.lines = [line for _, line in sorted(timed, key=lambda t: t[0])]
    return log
