"""A range's top objects and pages from the stored month totals and the days at its edges.

Summing the daily rows of a custom range reads every row of it and of the period before it: a
two-year range at a million ``Hits`` rows took 5 to 7 s on SQLite. The nightly import stores
the views of every finished month (``nightly.month_totals``), so a range is read as the months
it covers whole, from those totals, plus the days before its first whole month and after its
last one (and the days of any month not stored), from the daily rows: at most about 60 days of
rows per period. The rows of one object or path from both are added up in the database before
they are ordered and paged (``grouped.GroupedRows``): the same rows, in the same order, as
summing the days (``queries.summed_object_rows``, ``summed_page_rows``). One site of several
is read from that site's own months (``month_site``) and days, all the sites from the months
stored for all of them (``models.month_totals``).
"""

from __future__ import annotations

import datetime
from collections.abc import Container
from dataclasses import dataclass

from django.db import router
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.db.models.fields import PositiveBigIntegerField

from admin_hits.models import (
    Hits,
    LandingHits,
    LandingMonthTotals,
    MonthTotals,
    ObjectMonthTotals,
    PathHits,
    PathMonthTotals,
    periods,
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.models.periods import Period
from admin_hits.report.grouped import ADDED, GroupedRows
from admin_hits.report.scope import Scope

Days = tuple[datetime.date, datetime.date]
OBJECT_COLUMNS = (("object_type", None), ("object_pk", None), ("current", ADDED),
                  ("previous", ADDED))  # fmt: skip
PAGE_COLUMNS = (("path_hash", None), ("page", "MIN"), ("object_type", "MAX"),
                ("object_pk", "MAX"), ("current", ADDED), ("previous", ADDED))  # fmt: skip
LANDING_COLUMNS = (*PAGE_COLUMNS, ("bounces", ADDED), ("exits", ADDED))


@dataclass(frozen=True)
class Plan:
    """Where a scope's views come from: whole months of each period (of the month rows of
    ``site``), and runs of days."""

    site: int  # ``month_site``
    current: tuple[datetime.date, ...]  # the first days of the period's stored whole months
    previous: tuple[datetime.date, ...]
    days: tuple[Days, ...]  # the other days of both periods, as (first, last) runs


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=31)).replace(day=1)


class _EveryMonth:
    """Holds every month: ``split`` with it gives the months a period covers whole."""

    def __contains__(self, month: object) -> bool:
        return True


_every_month = _EveryMonth()


def split(
    period: Period, stored: Container[datetime.date]
) -> tuple[list[datetime.date], list[Days]]:
    """The ``stored`` months that ``period`` covers whole, and its other days as runs."""
    months: list[datetime.date] = []
    runs: list[Days] = []
    day = period.start
    while day <= period.end:
        month_end = _next_month(day) - datetime.timedelta(days=1)
        if day.day == 1 and month_end <= period.end and day in stored:
            months.append(day)
        else:
            last = min(month_end, period.end)
            if runs and runs[-1][1] == day - datetime.timedelta(days=1):
                runs[-1] = (runs[-1][0], last)
            else:
                runs.append((day, last))
        day = month_end + datetime.timedelta(days=1)
    return months, runs


def month_site(scope: Scope) -> int:
    """The ``site`` of the month rows of ``scope``: its site's, or every site's summed."""
    return ALL_SITES if scope.site is None else scope.site


def stored_months(scope: Scope) -> set[datetime.date]:
    """The stored months of the scope's site among the whole months of both its periods: one
    query per page (kept in ``scope.memo``, for ``delivery.months`` too), none without a
    whole month."""
    whole = [*split(scope.period, _every_month)[0], *split(scope.previous, _every_month)[0]]
    if not whole:
        return set()
    site = month_site(scope)
    key = ("months", site, scope.first_day, scope.last_day)
    if key not in scope.memo:
        found = MonthTotals.objects.filter(site=site, month__gte=min(whole), month__lte=max(whole))
        scope.memo[key] = set(found.values_list("month", flat=True))
    stored: set[datetime.date] = scope.memo[key]
    return stored


def plan(scope: Scope) -> Plan | None:
    """How to read a custom range's ``scope`` from the month totals; None when no stored
    month helps (the caller sums the days), for one object (its own rows are few, read by
    their index), and for the standard periods (their own totals are stored; no query)."""
    if scope.period.preset != periods.CUSTOM or scope.object_ref is not None:
        return None
    stored = stored_months(scope)
    if not stored:
        return None
    current, current_days = split(scope.period, stored)
    previous, previous_days = split(scope.previous, stored)
    if not current and not previous:
        return None
    days = tuple(previous_days + current_days)
    return Plan(month_site(scope), tuple(current), tuple(previous), days)


def _views_in(condition: Q, field: str = "views") -> Case:
    return Case(When(condition, then=F(field)), default=Value(0),
                output_field=PositiveBigIntegerField())  # fmt: skip


def _days_of(period: Period) -> Q:
    return Q(date__gte=period.start, date__lte=period.end)


def _parts(
    plan: Plan,
    scope: Scope,
    months: QuerySet,
    days: QuerySet,
    keys: dict,
    field: str = "views",
    period_only: tuple[str, ...] = (),
) -> list[tuple[QuerySet, dict]]:
    """The months' and the days' rows, each with ``keys`` and the sums of ``field`` in the
    period (``current``) and the previous one, and of each of ``period_only`` in the period."""
    both = plan.current + plan.previous
    parts = []
    if both:
        current = Q(month__in=plan.current)
        sums = {"current": _views_in(current, field),
                "previous": _views_in(Q(month__in=plan.previous), field),
                **{name: _views_in(current, name) for name in period_only}}  # fmt: skip
        # One site's month rows, or every site's summed ones (the scope's condition names a
        # site only for one site: without this, all sites would read each site's rows too).
        parts.append((months.filter(site=plan.site, month__in=both), {**keys, **sums}))
    if plan.days:
        runs = Q()
        for first, last in plan.days:
            runs |= Q(date__gte=first, date__lte=last)
        current = _days_of(scope.period)
        sums = {"current": _views_in(current, field),
                "previous": _views_in(_days_of(scope.previous), field),
                **{name: _views_in(current, name) for name in period_only}}  # fmt: skip
        parts.append((days.filter(runs), {**keys, **sums}))
    return parts


def object_rows(scope: Scope, condition: Q) -> GroupedRows | None:
    """``queries.object_rows`` of ``scope`` (``condition``: its objects), or None when not
    read from the months."""
    how = plan(scope)
    if how is None:
        return None
    keys = {"object_type": F("content_type"), "object_pk": F("object_id")}
    months = ObjectMonthTotals.objects.filter(condition)
    parts = _parts(how, scope, months, Hits.objects.filter(condition), keys)
    ordering = ("-current", "object_type", "object_pk")
    return GroupedRows(parts, OBJECT_COLUMNS, ordering, router.db_for_read(Hits))


def page_rows(scope: Scope, condition: Q, *, unmatched: bool = False) -> GroupedRows | None:
    """``queries.page_rows`` of ``scope``, or None when not read from the months."""
    how = plan(scope)
    if how is None:
        return None
    if unmatched:
        condition &= Q(content_type__isnull=True)
    keys = {"path_hash": F("path_hash"), "page": F("path"), "object_type": F("content_type"),
            "object_pk": F("object_id")}  # fmt: skip
    months = PathMonthTotals.objects.filter(condition)
    parts = _parts(how, scope, months, PathHits.objects.filter(condition), keys)
    ordering = ("-current", "path_hash")
    return GroupedRows(parts, PAGE_COLUMNS, ordering, router.db_for_read(PathHits))


def landing_rows(scope: Scope, condition: Q) -> GroupedRows | None:
    """``visit_queries.landing_rows`` of ``scope`` (``condition``: its objects' rows), or
    None when not read from the months."""
    how = plan(scope)
    if how is None:
        return None
    keys = {"path_hash": F("path_hash"), "page": F("path"), "object_type": F("content_type"),
            "object_pk": F("object_id")}  # fmt: skip
    months = LandingMonthTotals.objects.filter(condition)
    days = LandingHits.objects.filter(condition)
    parts = _parts(how, scope, months, days, keys, "visits", ("bounces", "exits"))
    ordering = ("-current", "path_hash")
    return GroupedRows(parts, LANDING_COLUMNS, ordering, router.db_for_read(LandingHits),
                       LandingHits)  # fmt: skip
