"""Changelist filters of the models whose admins show hits: "Trending" and "No views in 30
days", computed in the changelist's own query (no query per row).

"Trending": views in the last 7 days (the report's "Last 7 days", before today) at least
twice the object's average week over the 4 weeks before them, and at least
``ADMIN_HITS_TRENDING_MIN_VIEWS`` of them, so that a page going from 1 view to 3 is no trend.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from admin_hits.admin.owner import request_owner
from admin_hits.conf import settings
from admin_hits.models import Hits, ObjectPeriodTotals, PeriodTotals, periods
from admin_hits.models.expressions import pk_as_text
from admin_hits.models.site_time import site_today
from admin_hits.nightly.period_windows import TREND, TREND_WEEKS, trend_window

TRENDING, NO_VIEWS = "trending", "none-30-days"
WEEK, BASELINE_WEEKS = 7, TREND_WEEKS


def _ids(rows: models.QuerySet) -> models.QuerySet:
    return rows.order_by().values("object_id")


def trending_ids(
    model: type[models.Model], today: datetime.date, minimum: int | None = None
) -> models.QuerySet:
    """The ``object_id`` of the trending objects of ``model``, as a subquery: the night's
    precomputed trend totals when they are today's, else one grouped pass over the last 5
    weeks of rows (the (date, content type, object, views) index)."""
    minimum = max(settings.TRENDING_MIN_VIEWS if minimum is None else minimum, 1)
    ct = ContentType.objects.get_for_model(model)
    window = trend_window(today)
    stamp = PeriodTotals.objects.filter(
        preset=TREND, start=window.period.start, end=window.period.end,
        previous_start=window.previous.start, previous_end=window.previous.end,
    )  # fmt: skip
    if stamp.exists():  # computed by the night's import for today: a row per object viewed
        # ``trending``: previous <= current * 4 / 2, as below, stored (and indexed) with them.
        stored = ObjectPeriodTotals.objects.filter(
            preset=TREND, content_type=ct, trending=True, current__gte=minimum
        )
        return stored.order_by().values("object_id")
    week_start = today - datetime.timedelta(days=WEEK)
    base_start = week_start - datetime.timedelta(days=WEEK * BASELINE_WEEKS)
    rows = Hits.objects.filter(
        content_type=ct,
        date__gte=base_start,
        date__lt=today,
    )
    grouped = (
        _ids(rows)
        .annotate(
            week=Coalesce(Sum("views", filter=Q(date__gte=week_start)), 0),
            before=Coalesce(Sum("views", filter=Q(date__lt=week_start)), 0),
        )
        # week >= 2 * (before / 4 weeks), in integers.
        .filter(week__gte=minimum, before__lte=F("week") * BASELINE_WEEKS / 2)
    )
    return grouped.values("object_id")


def viewed_ids(model: type[models.Model], today: datetime.date) -> models.QuerySet:
    """The ``object_id`` of the objects of ``model`` viewed in the 30 days before today: the
    report's "Last 30 days", read from its precomputed totals when the night's import has
    computed them for today (a row per object viewed), else from the daily rows."""
    ct = ContentType.objects.get_for_model(model)
    window = periods.resolve(periods.LAST_30_DAYS, today)
    stored = PeriodTotals.objects.filter(
        preset=periods.LAST_30_DAYS, start=window.start, end=window.end
    )
    if stored.exists():
        viewed = ObjectPeriodTotals.objects.filter(
            preset=periods.LAST_30_DAYS, content_type=ct, current__gt=0
        )
        return viewed.order_by().values("object_id")
    rows = Hits.objects.filter(
        content_type=ct, date__gte=window.start, date__lte=window.end, views__gt=0
    )
    return _ids(rows).distinct()


class TrafficFilter(admin.SimpleListFilter):
    title = _("traffic")
    parameter_name = "hits"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        self.admin_site = model_admin.admin_site
        super().__init__(request, params, model, model_admin)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [(TRENDING, _("Trending")), (NO_VIEWS, _("No views in 30 days"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        value = self.value()
        if value not in (TRENDING, NO_VIEWS):
            return queryset
        model = queryset.model
        text = pk_as_text(model, "pk")
        today = site_today()
        queryset = queryset.alias(admin_hits_pk_text=text)
        if value == TRENDING:
            queryset = queryset.filter(admin_hits_pk_text__in=trending_ids(model, today))
        else:
            queryset = queryset.exclude(admin_hits_pk_text__in=viewed_ids(model, today))
        owner = request_owner(request, self.admin_site)
        if owner is not None:  # others' traffic tells nothing here, not even by omission
            queryset = queryset.filter(pk__in=owner.visible(model).values("pk"))
        return queryset
