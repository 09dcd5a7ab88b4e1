"""A long period's delivery from the stored months (``models.delivery_months``) and the days
at its edges.

"Slow pages" merges one sketch per page and day: a year of 500 pages decoded 180,000 sketches
(about 4 s). A period longer than a month is read as the months it covers whole, where their
delivery is stored, and its other days (at most about 60), as ``month_rows`` reads the views:
a month's sketch holds its days' bins added up, so the percentiles are those of the days to
the bin. Shorter periods (the standard ones) read their days: no month to look up. One site
of several is read from its own months, as ``month_rows`` reads it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import router
from django.db.models import F, Q, QuerySet

from admin_hits.models import (
    PageDelivery,
    PageDeliveryMonth,
    SiteDelivery,
    SiteDeliveryMonth,
)
from admin_hits.models.periods import Period
from admin_hits.report.grouped import ADDED, GroupedRows
from admin_hits.report.month_rows import Days, _every_month, month_site, split, stored_months
from admin_hits.report.scope import Scope

#: Periods up to this many days read their days: a month's worth of rows.
DAYS_READ = 31
_PAGE_COLUMNS = (("path_hash", None), ("page", "MIN"), ("object_type", "MAX"),
                 ("object_pk", "MAX"), ("current", ADDED), ("bytes", ADDED))  # fmt: skip
_PAGE_KEYS = {"path_hash": F("path_hash"), "page": F("path"),
              "object_type": F("content_type"), "object_pk": F("object_id"),
              "current": F("requests"), "bytes": F("bytes")}  # fmt: skip


@dataclass(frozen=True)
class Split:
    """A period as its stored whole months (first days, of the month rows of ``site``) and
    its other days (runs)."""

    site: int  # ``month_rows.month_site``
    months: tuple[datetime.date, ...]
    days: tuple[Days, ...]

    def day_rows(self, rows: QuerySet) -> QuerySet:
        runs = Q()
        for first, last in self.days:
            runs |= Q(date__gte=first, date__lte=last)
        return rows.filter(runs) if self.days else rows.none()


def split_period(scope: Scope, period: Period) -> Split | None:
    """``period`` (the scope's or its previous one) from the stored months of the scope's
    site, or None: a short period, or no whole month of it stored."""
    if (period.end - period.start).days < DAYS_READ or not split(period, _every_month)[0]:
        return None
    months, days = split(period, stored_months(scope))
    return Split(month_site(scope), tuple(months), tuple(days)) if months else None


def top_pages(
    how: Split, condition: Q, limit: int
) -> tuple[list[dict[str, Any]], Iterator[tuple[str, Any]]]:
    """The ``limit`` most requested timed pages of ``condition`` (``delivery_queries``'
    columns), and their sketches: (path hash, sketch) of each stored month and edge day."""
    months = PageDeliveryMonth.objects.filter(condition, site=how.site, month__in=how.months)
    days = how.day_rows(PageDelivery.objects.filter(condition, p50__isnull=False))
    parts = [(months, _PAGE_KEYS), (days, _PAGE_KEYS)]
    using = router.db_for_read(PageDelivery)
    grouped = GroupedRows(parts, _PAGE_COLUMNS, ("-current", "path_hash"), using)
    top = [dict(row) for row in grouped[:limit]]
    for row in top:
        row["requests"] = row.pop("current")
    hashes = [row["path_hash"] for row in top]

    def sketches() -> Iterator[tuple[str, Any]]:
        for rows in (months, days):
            yield from rows.filter(path_hash__in=hashes).values_list("path_hash", "sketch")

    return top, sketches()


def site_rows(scope: Scope) -> dict[Period, list[tuple[int | None, Any]]]:
    """(bytes, sketch) of the period and of the previous one: of their stored months, and of
    their other days (the days of both from one query, as without months)."""
    splits = {period: split_period(scope, period) for period in (scope.period, scope.previous)}
    rows: dict[Period, list[tuple[int | None, Any]]] = {period: [] for period in splits}
    month_of = {m: period for period, how in splits.items() if how for m in how.months}
    if month_of:
        site = month_site(scope)
        months = SiteDeliveryMonth.objects.filter(site=site, month__in=list(month_of))
        for month, sent, sketch in months.values_list("month", "bytes", "sketch"):
            rows[month_of[month]].append((sent, sketch))
    days = SiteDelivery.objects.filter(
        scope.site_filter(), date__gte=scope.first_day, date__lte=scope.last_day
    )
    for day, sent, sketch in days.values_list("date", "bytes", "sketch"):
        for period in splits:
            if period.start <= day <= period.end and day.replace(day=1) not in month_of:
                rows[period].append((sent, sketch))
    return rows
