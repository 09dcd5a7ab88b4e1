"""A day's views by AI crawlers per object (``models.CrawlerHits``): the day's AI crawler views
per path (``DayTraffic.ai_crawlers``) summed per object the path shows; paths of no object
are left out (the site-wide bots table has them)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping

from admin_hits.logs.days import DayTraffic
from admin_hits.models import CrawlerHits
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rows import Table


def crawler_rows(day: datetime.date, traffic: DayTraffic, refs: Mapping[str, ObjectRef]) -> Table:
    per_object: Counter[tuple[int, str, str]] = Counter()
    for (path, crawler), n in traffic.ai_crawlers.items():
        ref = refs.get(path)
        if ref is not None:
            per_object[ref.content_type_id, ref.object_id, crawler] += n
    return Table(
        CrawlerHits,
        ("date", "content_type", "object_id", "bot", "views"),
        [(day, *key, n) for key, n in sorted(per_object.items())],
    )
