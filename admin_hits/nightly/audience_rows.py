"""A day's audience (``logs.audience_days.DayAudience``) as ``AudienceHits`` and ``HourHits``.

The site's rows keep every browser, system, device class and country up to
``SITE_NAMES`` names per dimension (browser versions ``SITE_VERSIONS``), the rest summed as
"Other"; an object's rows (its paths summed) keep its top ``OBJECT_NAMES`` per dimension, so
a day has at most a few dozen rows per object viewed, however many user agents it had. Hours
are 24 numbers at most, for the site and per object. Ties are broken by name, so the same
day always gives the same rows.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from admin_hits.logs.agents import OTHER
from admin_hits.logs.audience_days import DayAudience
from admin_hits.models import AICrawlerHits, AudienceHits, HourHits
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rows import Table

SITE_NAMES = 200
SITE_VERSIONS = 50
OBJECT_NAMES = 10
# The DayAudience counter of each dimension of AudienceHits.
_COUNTERS = {"browser": "browsers", "version": "versions", "os": "os", "device": "devices",
             "country": "countries"}  # fmt: skip
_SITE = (None, "")


def audience_tables(
    day: datetime.date, audience: DayAudience, refs: Mapping[str, ObjectRef]
) -> list[Table]:
    """The day's ``AudienceHits`` and ``HourHits`` rows, the site's and each object's."""
    names = Table(AudienceHits, ("date", "content_type", "object_id", "dimension", "name",
                                 "views"))  # fmt: skip
    for dimension, counter in _COUNTERS.items():
        site, objects = _split(getattr(audience, counter), refs)
        limit = SITE_VERSIONS if dimension == "version" else SITE_NAMES
        names.rows += _rows(day, _SITE, dimension, site, limit)
        if dimension == "version":  # the site's alone: an object's browsers say enough
            continue
        for key in sorted(objects):
            names.rows += _rows(day, key, dimension, objects[key], OBJECT_NAMES)
    hours = Table(HourHits, ("date", "content_type", "object_id", "hour", "views"))
    site, objects = _split(audience.hours, refs)
    hours.rows += [(day, *_SITE, hour, n) for hour, n in sorted(site.items())]
    for key in sorted(objects):
        hours.rows += [(day, *key, hour, n) for hour, n in sorted(objects[key].items())]
    return [names, hours, ai_rows(day, audience, refs)]


def ai_rows(day: datetime.date, audience: DayAudience, refs: Mapping[str, ObjectRef]) -> Table:
    """Each AI crawler's views of the site, and of every object it fetched: the one store of
    what AI crawlers read (the report's "Read by AI crawlers", the drill-down's "AI crawlers").
    A row per (object, AI crawler) of the day: bounded by the objects those few crawlers
    fetched, whatever the other bots do."""
    table = Table(AICrawlerHits, ("date", "content_type", "object_id", "bot", "views"))
    site, objects = _split(audience.ai_crawlers, refs)
    table.rows += [(day, *_SITE, bot, n) for bot, n in sorted(site.items())]
    for key in sorted(objects):
        table.rows += [(day, *key, bot, n) for bot, n in sorted(objects[key].items())]
    return table


def _split(
    counter: Counter[tuple[str, Any]], refs: Mapping[str, ObjectRef]
) -> tuple[Counter[Any], dict[tuple[int, str], Counter[Any]]]:
    """The site's views per name, and each object's (keyed by content type and id)."""
    site: Counter[Any] = Counter()
    objects: dict[tuple[int, str], Counter[Any]] = defaultdict(Counter)
    for (path, name), n in counter.items():
        site[name] += n
        ref = refs.get(path)
        if ref is not None:
            objects[ref.content_type_id, ref.object_id][name] += n
    return site, objects


def _rows(
    day: datetime.date, key: tuple[Any, str], dimension: str, views: Counter[Any], limit: int
) -> list[tuple[Any, ...]]:
    """The top ``limit`` names (most first, then by name), the rest as "Other"."""
    ranked = sorted(views.items(), key=lambda item: (-item[1], item[0]))
    kept: Counter[str] = Counter()
    for rank, (name, n) in enumerate(ranked):
        kept[name if rank < limit else OTHER] += n
    return [(day, *key, dimension, name, n) for name, n in sorted(kept.items())]
