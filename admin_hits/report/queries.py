"""The rows of the report tables and the daily series, each in one query whatever the data size.

A table row is a dict: its grouping keys, ``current`` (views in the period) and ``previous``
(views in the previous period), both summed in the same query with conditional aggregates.
For today the rows come from the live store instead, in the same shape, so the tables do not
care where their rows come from.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from admin_hits.models import DayTotals, Hits, PathHits, path_hash
from admin_hits.models.periods import Period
from admin_hits.report import month_rows
from admin_hits.report import stored as stored_rows
from admin_hits.report.grouped import GroupedRows
from admin_hits.report.ranges import within
from admin_hits.report.scope import Scope

Row = dict[str, Any]


def _in(period: Period) -> Q:
    return Q(date__gte=period.start, date__lte=period.end)


def compare(
    queryset: QuerySet,
    scope: Scope,
    group: Sequence[str] | Mapping[str, Any],
    *,
    field: str = "views",
    uncovered: bool = False,
    **extra: Any,
) -> QuerySet:
    """``queryset`` grouped by ``group`` with ``current`` and ``previous`` sums of ``field``.

    ``group``: field names, or ``{row key: expression}`` to name the keys as the rows need.
    Only groups with views in the period are kept; most viewed first, ties by the group keys so
    that pages never overlap. ``uncovered``: see ``ranges.within``.
    """
    rows = within(queryset, scope.first_day, scope.last_day, uncovered=uncovered, memo=scope.memo)
    rows = rows.values(**group) if isinstance(group, Mapping) else rows.values(*group)
    return (
        rows.annotate(
            current=Coalesce(Sum(field, filter=_in(scope.period)), 0),
            previous=Coalesce(Sum(field, filter=_in(scope.previous)), 0),
            **extra,
        )
        .filter(current__gt=0)
        .order_by("-current", *group)
    )


def daily_views(queryset: QuerySet, start: datetime.date, end: datetime.date) -> dict:
    """``{date: views}`` from ``start`` to ``end`` (days without rows are left out)."""
    rows = (
        queryset.filter(date__gte=start, date__lte=end)
        .order_by()
        .values("date")
        .annotate(total=Sum("views"))
        .values_list("date", "total")
    )
    return dict(rows)


def site_daily_views(start: datetime.date, end: datetime.date, site: Q | None = None) -> dict:
    """The site's ``{date: views}`` from ``start`` to ``end``: a ``DayTotals`` row per day the
    import wrote (the sum of its ``PathHits``), the ``PathHits`` of the other days (imported
    before the day totals existed), never millions of rows summed. ``site``: the rows of one
    site (``Scope.site_filter``), several sites' summed otherwise."""
    site = site if site is not None else Q()
    totals = DayTotals.objects.filter(site, date__gte=start, date__lte=end).order_by()
    views = dict(totals.values("date").annotate(total=Sum("views")).values_list("date", "total"))
    runs = Q()
    for first, last in _runs(day for day in Period("", start, end).dates() if day not in views):
        runs |= Q(date__gte=first, date__lte=last)
    if runs:
        views.update(daily_views(PathHits.objects.filter(runs, site), start, end))
    return views


def _runs(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Ascending ``days`` as (first, last) of each run of consecutive days."""
    runs: list[tuple[datetime.date, datetime.date]] = []
    for day in days:
        if runs and runs[-1][1] == day - datetime.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def object_filter(scope: Scope) -> Q:
    """The rows of the scope's object, model, or of all objects; a scoped user's only; of
    the scope's site only, when it has one."""
    owned = scope.site_filter()
    if scope.owner is not None:
        owned &= scope.owner.condition
    ref = scope.object_ref
    if ref is not None:
        return Q(content_type_id=ref[0], object_id=ref[1]) & owned
    if scope.content_type is not None:
        return Q(content_type=scope.content_type) & owned
    return owned


def object_hits(scope: Scope) -> QuerySet:
    """The ``Hits`` rows of the scope's object (or model, or all)."""
    return Hits.objects.filter(object_filter(scope))


def object_rows(scope: Scope) -> QuerySet | GroupedRows | list[Row]:
    """Objects by views: ``object_type`` (content type id), ``object_pk``, current, previous.

    The precomputed rows of a standard period when there are some (``reports.stored``), else
    the stored months and edge days of a longer range (``report.month_rows``).
    """
    if scope.period.is_live:
        return _live_object_rows(scope)
    stored = stored_rows.object_rows(scope)
    if stored is not None:
        return stored
    months = month_rows.object_rows(scope, object_filter(scope))
    return months if months is not None else summed_object_rows(scope)


def summed_object_rows(scope: Scope) -> QuerySet:
    """``object_rows`` summed from the days' ``Hits`` rows."""
    queryset = Hits.objects.filter(object_filter(scope))
    group = {"object_type": F("content_type"), "object_pk": F("object_id")}
    return compare(queryset, scope, group)


def page_rows(scope: Scope, *, unmatched: bool = False) -> QuerySet | GroupedRows | list[Row]:
    """Paths by views: ``path_hash``, ``page`` (the path), the matched object, current, previous.

    Rows are grouped by the path's hash, not the path itself: the same groups, but databases
    compare 32 characters instead of paths of up to several kilobytes.
    """
    if scope.period.is_live:
        return _live_page_rows(scope, unmatched=unmatched)
    stored = stored_rows.page_rows(scope, unmatched=unmatched)
    if stored is not None:
        return stored
    months = month_rows.page_rows(scope, object_filter(scope), unmatched=unmatched)
    return months if months is not None else summed_page_rows(scope, unmatched=unmatched)


def summed_page_rows(scope: Scope, *, unmatched: bool = False) -> QuerySet:
    """``page_rows`` summed from the days' ``PathHits`` rows."""
    queryset = PathHits.objects.filter(object_filter(scope))
    if unmatched:
        queryset = queryset.filter(content_type__isnull=True)
    return compare(
        queryset,
        scope,
        ["path_hash"],
        page=Min("path"),
        object_type=Max("content_type"),
        object_pk=Max("object_id"),
        uncovered=True,
    )


def _previous_by(queryset: QuerySet, scope: Scope, *keys: str) -> dict[Any, int]:
    rows = (
        queryset.filter(_in(scope.previous))
        .order_by()
        .values(*keys)
        .annotate(total=Sum("views"))
        .values_list(*keys, "total")
    )
    return {tuple(row[:-1]) if len(keys) > 1 else row[0]: row[-1] for row in rows}


def _live_object_rows(scope: Scope) -> list[Row]:
    if scope.live is None:
        return []
    wanted = scope.object_ref
    ct = scope.content_type.pk if scope.content_type is not None else None
    views = {
        key: n
        for key, n in scope.live.object_views().items()
        if n and (wanted is None or key == wanted) and (ct is None or key[0] == ct)
    }
    before = _previous_by(
        Hits.objects.filter(object_filter(scope)), scope, "content_type", "object_id"
    )
    rows: list[Row] = [
        {"object_type": t, "object_pk": pk, "current": n, "previous": before.get((t, pk), 0)}
        for (t, pk), n in views.items()
    ]
    rows.sort(key=lambda r: (-r["current"], r["object_type"], r["object_pk"]))
    return rows


def _live_page_rows(scope: Scope, *, unmatched: bool) -> list[Row]:
    if scope.live is None:
        return []
    wanted = scope.object_ref
    queryset = PathHits.objects.filter(object_filter(scope))
    before = _previous_by(queryset, scope, "path_hash")
    rows: list[Row] = []
    for path, n in scope.live.paths.items():
        ref = scope.live.refs.get(path)
        key = (ref.content_type_id, ref.object_id) if ref else None
        if not n or (unmatched and ref) or (wanted is not None and key != wanted):
            continue
        digest = path_hash(path)
        rows.append(
            {
                "path_hash": digest,
                "page": path,
                "object_type": key[0] if key else None,
                "object_pk": key[1] if key else None,
                "current": n,
                "previous": before.get(digest, 0),
            }
        )
    rows.sort(key=lambda r: (-r["current"], r["page"]))
    return rows


def day_rows(scope: Scope, views: Mapping[datetime.date, int]) -> list[Row]:
    """One row per day of the period, newest first, days without views included."""
    return [{"date": day, "current": views.get(day, 0)} for day in reversed(scope.period.dates())]
