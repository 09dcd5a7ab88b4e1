"""Rows of the audience tables: browsers, systems, devices, countries and hours, each compared
with the previous period in one query; the week's hours as a grid for the heatmap.

The site's rows (no object) on the report, an object's own rows on its drill-down page. These
tables are written by the nightly import only: for today (live) they have no rows yet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum

from admin_hits.models import AudienceHits, HourHits
from admin_hits.report.queries import compare
from admin_hits.report.scope import Scope

Rows = QuerySet | list[dict[str, Any]]
WEEKDAYS = 7
HOURS = 24


def audience_filter(scope: Scope) -> Q:
    """An object's rows on its page; the site's (no object) anywhere else; of the scope's
    site only, when it has one."""
    ref = scope.object_ref
    if ref is not None:
        return Q(content_type_id=ref[0], object_id=ref[1]) & scope.site_filter()
    return Q(content_type__isnull=True) & scope.site_filter()


def _names(scope: Scope, dimension: str) -> Rows:
    if scope.period.is_live:
        return []
    rows = AudienceHits.objects.filter(audience_filter(scope), dimension=dimension)
    return compare(rows, scope, ["name"])


def browsers(scope: Scope) -> Rows:
    return _names(scope, "browser")


def browser_versions(scope: Scope) -> Rows:
    return _names(scope, "version")


def systems(scope: Scope) -> Rows:
    return _names(scope, "os")


def devices(scope: Scope) -> Rows:
    return _names(scope, "device")


def countries(scope: Scope) -> Rows:
    return _names(scope, "country")


def hours(scope: Scope) -> Rows:
    """Views per hour of the day (0-23, in ``TIME_ZONE``), all the period's days summed."""
    if scope.period.is_live:
        return []
    return compare(HourHits.objects.filter(audience_filter(scope)), scope, ["hour"])


def week_grid(scope: Scope) -> list[list[int]]:
    """Views per weekday (Monday first) and hour of the period: 7 rows of 24 numbers."""
    grid = [[0] * HOURS for _ in range(WEEKDAYS)]
    if scope.period.is_live:
        return grid
    rows = (
        HourHits.objects.filter(audience_filter(scope))
        .filter(date__gte=scope.period.start, date__lte=scope.period.end)
        .order_by()
        .values("date", "hour")
        .annotate(total=Sum("views"))
        .values_list("date", "hour", "total")
    )
    for day, hour, total in rows:
        if 0 <= hour < HOURS:
            grid[day.weekday()][hour] += total
    return grid
