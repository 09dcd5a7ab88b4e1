"""Spike alerts: objects whose live views so far today reach ``ADMIN_HITS_ALERT_RATIO`` times
their usual views by this time of day, with at least ``ADMIN_HITS_ALERT_MIN_VIEWS`` views.

"Usual by now" is the object's average day over the trailing 28 days (from its first day in
them, so a week-old object is not diluted by days before it existed) times the share of a day's
views that has arrived by now. An object with less than a week of history has no usual day
yet: it alerts on the minimum alone. Live counts only: the nightly rows are yesterday's.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Min, Sum

from admin_hits.conf import settings
from admin_hits.models import Hits

HISTORY_DAYS = 28
#: Fewer days of history than this and the usual day is not known well enough to compare.
MIN_HISTORY_DAYS = 7

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


def day_share(now: datetime.datetime) -> float:
    """The share of a day's views that has usually arrived by ``now`` (local time).

    Traffic is taken as even over the day: a site's real curve (quiet nights, busy mornings)
    makes this cautious in the morning, when fewer views than even have usually arrived, and
    early alerts then need a stronger spike."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    elapsed = (now - midnight).total_seconds() / 86400
    return min(max(elapsed, 1 / 96), 1.0)  # at least a quarter of an hour's share


def find_spikes(live: Mapping[Ref, int], now: datetime.datetime) -> list[Spike]:
    """The objects of ``live`` (views so far today per object) that spike, most views first."""
    minimum, ratio = settings.ALERT_MIN_VIEWS, settings.ALERT_RATIO
    candidates = {ref: views for ref, views in live.items() if views >= minimum}
    if not candidates:
        return []
    today = now.date()
    history = _history(set(candidates), today)
    share = day_share(now)
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


def _history(refs: set[Ref], today: datetime.date) -> dict[Ref, tuple[int, datetime.date]]:
    """``{ref: (views, first day)}`` of the trailing days, in one query."""
    start = today - datetime.timedelta(days=HISTORY_DAYS)
    types = {type_id for type_id, _ in refs}
    ids = {object_id for _, object_id in refs}
    rows = (
        Hits.objects.filter(date__gte=start, date__lt=today)
        .filter(content_type_id__in=types, object_id__in=ids)
        .values_list("content_type_id", "object_id")
        .annotate(views=Sum("views"), first=Min("date"))
    )
    return {(t, o): (v, f) for t, o, v, f in rows if (t, o) in refs}
