"""Spike alerts: objects whose live views so far today reach ``ADMIN_HITS_ALERT_RATIO`` times
their usual views by this time of day, with at least ``ADMIN_HITS_ALERT_MIN_VIEWS`` views.

"Usual by now" is the object's average day over the trailing 28 days (from its first day in
them, so a week-old object is not diluted by days before it existed) times the share of a day's
views the site has had by this time of day over those days (its views per hour). An object
with less than a week of history has no usual day yet: it alerts on the minimum alone. Live
counts only: the nightly rows are yesterday's. Of one site of several (``site``), the
object's views on that site, against its usual day there and that site's hours.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Min, Q, Sum

from admin_hits.conf import settings
from admin_hits.models import Hits, HourHits

HISTORY_DAYS = 28
#: Fewer days of history than this and the usual day is not known well enough to compare.
MIN_HISTORY_DAYS = 7
#: Fewer site views per hour than this over the trailing days: the day is taken as even.
MIN_HOUR_VIEWS = 240

Ref = tuple[int, str]


@dataclass(frozen=True)
class Spike:
    ref: Ref
    views: int
    usual: float | None  # expected views by now; None: too little history

    @property
    def ratio(self) -> float | None:
        if self.usual is None:
            return None
        return float("inf") if self.usual == 0 else self.views / self.usual


def _of_site(site: int | None) -> Q:
    return Q() if site is None else Q(site=site)


def day_share(now: datetime.datetime, site: int | None = None) -> float:
    """The share of a day's views that has usually arrived by ``now`` (local time): the
    site's views per hour of the trailing 28 days (``HourHits``), the current hour counted
    in part; with too few of them (a new site, or no nightly run yet), an even day."""
    minute = now.hour * 60 + now.minute + now.second / 60
    by_hour = _site_hours(now.date(), site)
    total = sum(by_hour)
    if total >= MIN_HOUR_VIEWS:
        arrived = sum(by_hour[: now.hour]) + by_hour[now.hour] * (minute % 60) / 60
        share = arrived / total
    else:
        share = minute / 1440
    return min(max(share, 1 / 96), 1.0)  # at least a quarter of an hour's share


def _site_hours(today: datetime.date, site: int | None) -> list[int]:
    """The site's human views per hour of the day over the trailing days (one query)."""
    start = today - datetime.timedelta(days=HISTORY_DAYS)
    rows = (
        HourHits.objects.filter(
            _of_site(site), date__gte=start, date__lt=today, content_type__isnull=True
        )
        .values_list("hour")
        .annotate(views=Sum("views"))
    )
    by_hour = [0] * 24
    for hour, views in rows:
        if 0 <= hour < 24:
            by_hour[hour] += views
    return by_hour


def find_spikes(
    live: Mapping[Ref, int], now: datetime.datetime, site: int | None = None
) -> list[Spike]:
    """The objects of ``live`` (views so far today per object, on ``site`` when given) that
    spike, most views first."""
    minimum, ratio = settings.ALERT_MIN_VIEWS, settings.ALERT_RATIO
    candidates = {ref: views for ref, views in live.items() if views >= minimum}
    if not candidates:
        return []
    today = now.date()
    history = _history(set(candidates), today, site)
    share = day_share(now, site)
    spikes = []
    for ref, views in candidates.items():
        total, first = history.get(ref, (0, today))
        days = (today - first).days
        if days < MIN_HISTORY_DAYS:  # new, or no view in weeks: the minimum decides
            spikes.append(Spike(ref, views, None))
            continue
        usual = total / min(days, HISTORY_DAYS) * share
        spike = Spike(ref, views, usual)
        if spike.ratio is not None and spike.ratio >= ratio:
            spikes.append(spike)
    return sorted(spikes, key=lambda s: (-s.views, s.ref))


def _history(
    refs: set[Ref], today: datetime.date, site: int | None
) -> dict[Ref, tuple[int, datetime.date]]:
    """``{ref: (views, first day)}`` of the trailing days (on ``site``), in one query."""
    start = today - datetime.timedelta(days=HISTORY_DAYS)
    types = {type_id for type_id, _ in refs}
    ids = {object_id for _, object_id in refs}
    rows = (
        Hits.objects.filter(_of_site(site), date__gte=start, date__lt=today)
        .filter(content_type_id__in=types, object_id__in=ids)
        .values_list("content_type_id", "object_id")
        .annotate(views=Sum("views"), first=Min("date"))
    )
    return {(t, o): (v, f) for t, o, v, f in rows if (t, o) in refs}
