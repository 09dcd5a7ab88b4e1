"""A day's audience (``logs.audience_days.DayAudience``) as ``AudienceHits`` and ``HourHits``
(the site's) and ``ObjectAudience`` (each object's).

The site's rows keep every browser, system, device class and country up to
``SITE_NAMES`` names per dimension (browser versions ``SITE_VERSIONS``), the rest summed as
"Other", and its 24 hours: a few hundred rows a day whatever the traffic. An object viewed on
a day (its paths summed) costs one ``ObjectAudience`` row: its 24 hours and its top
``OBJECT_NAMES`` per dimension, the rest as "Other", however many user agents it had. Ties
are broken by name, so the same day always gives the same rows.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

from admin_hits.logs.agents import OTHER
from admin_hits.logs.audience_days import DayAudience
from admin_hits.models import AICrawlerHits, AudienceHits, HourHits, ObjectAudience
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
    """The day's rows: the site's ``AudienceHits`` and ``HourHits``, each object's
    ``ObjectAudience``, and the AI crawlers' ``AICrawlerHits``."""
    names = Table(AudienceHits, ("date", "content_type", "object_id", "dimension", "name",
                                 "views"))  # fmt: skip
    own: dict[tuple[int, str], dict[str, dict[str, int]]] = defaultdict(dict)
    for dimension, counter in _COUNTERS.items():
        site, objects = _split(getattr(audience, counter), refs)
        limit = SITE_VERSIONS if dimension == "version" else SITE_NAMES
        names.rows += [(day, *_SITE, dimension, name, n) for name, n in _top(site, limit)]
        if dimension == "version":  # the site's alone: an object's browsers say enough
            continue
        for key, views in objects.items():
            own[key][dimension] = dict(_top(views, OBJECT_NAMES))
    hours = Table(HourHits, ("date", "content_type", "object_id", "hour", "views"))
    site, objects = _split(audience.hours, refs)
    hours.rows += [(day, *_SITE, hour, n) for hour, n in sorted(site.items())]
    return [names, hours, object_rows(day, own, objects), ai_rows(day, audience, refs)]


def object_rows(
    day: datetime.date,
    names: Mapping[tuple[int, str], Mapping[str, Mapping[str, int]]],
    hours: Mapping[tuple[int, str], Counter[int]],
) -> Table:
    """A row per object viewed by people on the day: its hours and its names per dimension."""
    table = Table(ObjectAudience, ("date", "content_type", "object_id", "views", "hours",
                                   "names"))  # fmt: skip
    for key in sorted(set(names) | set(hours)):
        own_hours = hours.get(key, Counter())
        table.rows.append((day, *key, own_hours.total(), ObjectAudience.encode_hours(own_hours),
                           ObjectAudience.encode_names(names.get(key, {}))))  # fmt: skip
    return table


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


def _top(views: Counter[Any], limit: int) -> list[tuple[str, int]]:
    """The top ``limit`` names (most first, then by name), the rest as "Other"; by name."""
    ranked = sorted(views.items(), key=lambda item: (-item[1], item[0]))
    kept: Counter[str] = Counter()
    for rank, (name, n) in enumerate(ranked):
        kept[name if rank < limit else OTHER] += n
    return sorted(kept.items())
