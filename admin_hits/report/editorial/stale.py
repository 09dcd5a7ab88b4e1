"""Stale content: published objects nobody viewed in ``ADMIN_HITS_STALE_DAYS`` days, the
oldest first; with the day each was last viewed, when it ever was (as of today, whatever the
period shown). Of one site of several: those nobody viewed on that site."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, QuerySet

from admin_hits.conf import settings
from admin_hits.models import Hits, ObjectPeriodTotals, PeriodTotals
from admin_hits.models.publication import published_between
from admin_hits.models.site_time import site_today
from admin_hits.models.totals import SITE_MARK, site_preset
from admin_hits.report.editorial.recent_launches import launch_models
from admin_hits.report.scope import Scope

MAX_ROWS = 1000  # per model: the oldest ones
_CHUNK = 500


def _viewed_since(
    scope: Scope, type_id: int, since: datetime.date, today: datetime.date
) -> QuerySet:
    """The ``object_id`` of the objects viewed from ``since`` to yesterday (on the scope's
    site), as a subquery: the rows of a precomputed period of exactly those days (the report's
    "Last 30 days" for 30 days, say) when there is one, else the daily rows."""
    last = today - datetime.timedelta(days=1)
    presets = PeriodTotals.objects.filter(start=since, end=last)
    if scope.site is None:
        presets = presets.exclude(preset__contains=SITE_MARK)  # every site's rows
    else:  # the site's own rows ("30d@2")
        presets = presets.filter(preset__contains=SITE_MARK)
    preset = next((p for p in presets.values_list("preset", flat=True)
                   if p == site_preset(p.partition(SITE_MARK)[0], scope.site)), None)  # fmt: skip
    if preset is not None:
        stored = ObjectPeriodTotals.objects.filter(
            preset=preset, content_type_id=type_id, current__gt=0
        )
        return stored.values("object_id")
    rows = Hits.objects.filter(
        scope.site_filter(), content_type_id=type_id, date__gte=since, date__lte=last,
        views__gt=0,
    )  # fmt: skip
    return rows.order_by().values("object_id").distinct()


def _last_viewed(scope: Scope, type_id: int, ids: list[str]) -> dict[str, datetime.date]:
    found: dict[str, datetime.date] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = (
            Hits.objects.filter(
                scope.site_filter(),
                content_type_id=type_id,
                object_id__in=ids[start : start + _CHUNK],
                views__gt=0,
            )  # fmt: skip
            .order_by()
            .values("object_id")
            .annotate(last=Max("date"))
            .values_list("object_id", "last")
        )
        found.update(rows)
    return found


def stale_rows(scope: Scope) -> list[dict[str, Any]]:
    """A row per stale object: ``published``, ``last_viewed`` (None: never), oldest first."""
    today = site_today()
    since = today - datetime.timedelta(days=max(settings.STALE_DAYS, 1))
    rows: list[dict[str, Any]] = []
    for model in launch_models(scope):
        type_id = ContentType.objects.get_for_model(model).pk
        # Those not viewed, left out by the database: most objects were viewed.
        viewed = _viewed_since(scope, type_id, since, today)
        published = published_between(model, None, since, excluding=viewed)
        stale = sorted((day, pk) for pk, day in published.items())
        stale = stale[:MAX_ROWS]
        if scope.owner is not None:
            allowed = {pk for _, pk in scope.owner.allowed((type_id, pk) for _, pk in stale)}
            stale = [(day, pk) for day, pk in stale if pk in allowed]
        last = _last_viewed(scope, type_id, [pk for _, pk in stale])
        rows += [
            {"object_type": type_id, "object_pk": pk, "published": day,
             "last_viewed": last.get(pk), "current": 0}
            for day, pk in stale
        ]  # fmt: skip
    rows.sort(key=lambda r: (r["published"], r["object_type"], r["object_pk"]))
    return rows
