"""The site's views per hour of today in the live store, beside the paths' counters.

Every store keeps (day, path) counters; the hours are kept as counters of their own under
names no request path can have (a path always starts with "/"): ``*hours/07`` holds the
views of 07:00-07:59 in ``TIME_ZONE``. ``without_hours`` takes them out of what a store's
``day()`` gives, ``hours_of`` reads them. With several sites, each site's hours are kept too,
beside the hours of all the sites: ``*hours/2/07`` (``hours_of(paths, 2)`` reads them).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from admin_hits.logs.live_hours import LIVE_HOURS

PREFIX = "*hours/"
# With several sites (ADMIN_HITS_SITES) the pipe also counts each site's paths apart, under
# ``*site/2/articles/a/``: beside, not instead of, the path's own counter (every site's).
SITE_PREFIX = "*site/"


def hour_key(hour: int) -> str:
    return f"{PREFIX}{hour:02d}"


def site_hour_key(site: int, hour: int) -> str:
    """The counter of ``hour`` on one ``site`` of several."""
    return f"{PREFIX}{site}/{hour:02d}"


def hour_deltas(
    extra: Mapping[str, Any], site: int | None = None
) -> dict[tuple[datetime.date, str], int]:
    """The ``LIVE_HOURS`` counts of an aggregator's ``Counts.extra`` as store deltas: the
    counters of all the sites' hours, or of one ``site``'s."""
    hours = extra.get(LIVE_HOURS, {})
    if site is None:
        return {(day, hour_key(hour)): n for (day, hour), n in hours.items()}
    return {(day, site_hour_key(site, hour)): n for (day, hour), n in hours.items()}


def without_hours(paths: Mapping[str, int]) -> dict[str, int]:
    """A store's ``day()`` without the hour counters (and the sites' own counters)."""
    return {path: n for path, n in paths.items() if not path.startswith((PREFIX, SITE_PREFIX))}


def site_key(site: int, path: str) -> str:
    """The counter of ``path`` on one ``site`` of several."""
    return f"{SITE_PREFIX}{site}{path}"


def site_paths(paths: Mapping[str, int], site: int) -> dict[str, int]:
    """``{path: views}`` of one ``site`` in a store's ``day()``."""
    prefix = f"{SITE_PREFIX}{site}/"
    return {"/" + key[len(prefix) :]: n for key, n in paths.items() if key.startswith(prefix)}


def hours_of(paths: Mapping[str, int], site: int | None = None) -> dict[int, int]:
    """``{hour: views}`` of the hour counters in a store's ``day()``: of all the sites, or of
    one ``site``."""
    prefix = PREFIX if site is None else f"{PREFIX}{site}/"
    hours = {}
    for path, n in paths.items():
        # Of all the sites, "2/07" (site 2's hour 7) is no hour: only digits are.
        if path.startswith(prefix) and path[len(prefix) :].isdigit():
            hours[int(path[len(prefix) :])] = n
    return hours
