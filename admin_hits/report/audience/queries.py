"""Rows of the audience tables: browsers, systems, devices, countries and hours, each compared
with the previous period in one query; the week's hours as a grid for the heatmap.

The site's rows (no object) on the report, compared in SQL; an object's own rows on its
drill-down page: one ``ObjectAudience`` row per day (at most a few hundred for a period and
the one before), summed here. These tables are written by the nightly import only: for today
(live) they have no rows yet.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet, Sum

from admin_hits.models import AudienceHits, HourHits, ObjectAudience
from admin_hits.models.audience import decode_hours, decode_names
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
    if scope.object_ref is not None:
        return _compare_own(scope, "name", lambda _, names: decode_names(names).get(dimension, {}))
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
    if scope.object_ref is not None:
        return _compare_own(scope, "hour", lambda hours, _: dict(enumerate(decode_hours(hours))))
    return compare(HourHits.objects.filter(audience_filter(scope)), scope, ["hour"])


def week_grid(scope: Scope) -> list[list[int]]:
    """Views per weekday (Monday first) and hour of the period: 7 rows of 24 numbers."""
    grid = [[0] * HOURS for _ in range(WEEKDAYS)]
    if scope.period.is_live:
        return grid
    if scope.object_ref is not None:
        period = scope.period
        for day, hours, _ in _own_days(scope):
            if not period.start <= day <= period.end:
                continue
            for hour, views in enumerate(decode_hours(hours)):
                grid[day.weekday()][hour] += views
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


def _own_days(scope: Scope) -> list[tuple[datetime.date, str, str]]:
    """The scope's object's (date, hours, names) of the period and the one before: a row per
    day and site, read by the (content type, object id, date) index once for all the page's
    tables (``Scope.memo``)."""
    ref = scope.object_ref
    assert ref is not None  # noqa: S101 - the callers ask for an object's rows only
    key = ("object audience", ref, scope.site, scope.first_day, scope.last_day)
    if key not in scope.memo:
        own = ObjectAudience.objects.filter(
            scope.site_filter(), content_type_id=ref[0], object_id=ref[1],
            date__gte=scope.first_day, date__lte=scope.last_day,
        )  # fmt: skip
        scope.memo[key] = list(own.order_by().values_list("date", "hours", "names"))
    rows: list[tuple[datetime.date, str, str]] = scope.memo[key]
    return rows


def _compare_own(
    scope: Scope, key: str, views: Callable[[str, str], dict[Any, int]]
) -> list[dict[str, Any]]:
    """``compare``'s rows of the scope's object, summed from its days' rows: ``{key, current,
    previous}`` for each name (or hour) ``views(hours, names)`` gives, those with views in the
    period only, most viewed first, ties by the key."""
    current: Counter[Any] = Counter()
    previous: Counter[Any] = Counter()
    period, before = scope.period, scope.previous
    for day, hours, names in _own_days(scope):
        for name, n in views(hours, names).items():
            if period.start <= day <= period.end:
                current[name] += n
            if before.start <= day <= before.end:
                previous[name] += n
    rows = [{key: name, "current": n, "previous": previous[name]}
            for name, n in current.items() if n > 0]  # fmt: skip
    return sorted(rows, key=lambda row: (-row["current"], row[key]))
