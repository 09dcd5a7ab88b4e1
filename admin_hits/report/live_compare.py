"""Today (live) next to yesterday up to the same hour, not next to the whole of yesterday.

Yesterday's hours come from ``HourHits`` (the site's rows the nightly import writes, each
site's with several); how far today has been counted from the live store's hour counters
(``live.hours``, of all the sites or of the one chosen): up to the last hour with views (the
pipe may lag behind the clock), and of that hour, the share past by the clock when it is the
clock's hour. Without yesterday's hours (days imported before they were counted, or before
the site was configured) there is no fair comparison: none is shown.
"""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.utils import timezone

from admin_hits.models import HourHits


def yesterday_so_far(
    today: datetime.date,
    live_hours: dict[int, int],
    now: datetime.datetime | None = None,
    site: int | None = None,
) -> int | None:
    """Yesterday's views up to the point of today that ``live_hours`` and ``now`` (default:
    the time in ``TIME_ZONE``) have reached, of every site or of one ``site`` (its
    ``live_hours`` then too); ``None`` without yesterday's hours."""
    now = now or datetime.datetime.now(timezone.get_default_timezone())
    yesterday = today - datetime.timedelta(days=1)
    rows = HourHits.objects.filter(date=yesterday, content_type__isnull=True)
    if site is not None:
        rows = rows.filter(site=site)
    # Every site's rows of an hour are summed (a single site has one row an hour).
    hours = dict(rows.order_by().values("hour").annotate(n=Sum("views")).values_list("hour", "n"))
    if not hours:
        return None
    hour = max(live_hours) if live_hours else now.hour
    hour = min(hour, now.hour) if now.date() == today else hour
    past = (now.minute * 60 + now.second) / 3600 if hour == now.hour else 1.0
    return sum(n for h, n in hours.items() if h < hour) + round(hours.get(hour, 0) * past)
