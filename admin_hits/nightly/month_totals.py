"""Views per calendar month of every object and path, refreshed with the days.

The report answers a custom range from the months it covers whole (``ObjectMonthTotals``,
``PathMonthTotals``) and the daily rows of its edge days (``report.month_rows``). A month is
stored once it is over (before the site's today's month) and has a ``MonthTotals`` row while
its totals are those of its days: writing a day forgets its month in the day's transaction
(``invalidate``), and the next ``refresh`` computes every finished month that has no row, from
the first month of the daily rows on, each with one ``INSERT ... SELECT`` per table
(``month_sql``). So a night's import computes one month at most (the one that just ended), a
backfill or ``hits_prune`` the months they touched, and the first run after an upgrade every
month once.

Each month is stored for every site summed (``ALL_SITES``) and, with several sites
(``ADMIN_HITS_SITES``), for each configured site, with a stamp each: a day is written for
every site at once (``site_runs``), so writing it forgets its month of every site, and the
refresh computes the sites' rows with one more statement per table, grouped by site. A site
configured since is computed on its own (its stamps are missing); the rows of a site no
longer configured are dropped. A single-site configuration stores only every site's rows:
the statements and rows it always had.
Each month's response times and bytes sent (``delivery_months``) are computed with its totals.
Called by ``period_totals`` inside its transaction and lock. The landing pages' months
(``LandingMonthTotals``) are stored and forgotten with them.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connections
from django.db.models import Min, Q
from django.utils import timezone

from admin_hits.models import (
    Hits,
    LandingMonthTotals,
    MonthTotals,
    ObjectMonthTotals,
    PathHits,
    PathMonthTotals,
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.models.sites import configured_sites
from admin_hits.nightly import delivery_months
from admin_hits.nightly.month_sql import month_sql

#: Months to compute, each with the sites to compute it for (``ALL_SITES`` among them).
Todo = dict[datetime.date, list[int]]
_TABLES = (ObjectMonthTotals, PathMonthTotals, LandingMonthTotals)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=31)).replace(day=1)


def last_day(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    result, month = [], month_of(first)
    while month <= last:
        result.append(month)
        month = next_month(month)
    return result


def stored_sites() -> list[int]:
    """The sites whose months are stored: every site summed, and each configured one."""
    return [ALL_SITES, *(site.site for site in configured_sites())]


def invalidate(first: datetime.date, last: datetime.date, *, using: str) -> None:
    """Forget the stored months, of every site, holding a day from ``first`` to ``last``
    (their rows stay until ``refresh`` replaces them; the report reads only the months still
    stamped)."""
    MonthTotals.objects.using(using).filter(month__gte=month_of(first), month__lte=last).delete()


def refresh(today: datetime.date, *, using: str) -> list[datetime.date]:
    """Compute every finished month of the daily rows that is not stored, for each site
    stored; drop the months before the first daily row (pruned) and those of the sites no
    longer configured. Returns the months computed."""
    first = _first_day(using)
    stamps = MonthTotals.objects.using(using)
    if first is None:
        _drop(using, None)
        return []
    _drop(using, month_of(first))
    sites = stored_sites()
    stored = set(stamps.values_list("month", "site"))
    gone = {site for _, site in stored} - set(sites)
    if gone:
        _drop_sites(using, gone)
    finished = months(first, month_of(today) - datetime.timedelta(days=1))
    todo = {m: missing for m in finished if (missing := [s for s in sites if (m, s) not in stored])}
    if not todo:
        return []
    stale = _stale(todo, stored)
    for model in _TABLES:
        model._default_manager.using(using).filter(stale).delete()
    connection = connections[using]
    with connection.cursor() as cursor:
        for month, of in todo.items():
            for sql, params in _statements(connection, month, of):
                cursor.execute(sql, params)
    delivery_months.refresh(todo, stale, using=using)
    now = timezone.now()
    stamps.bulk_create(MonthTotals(month=m, site=s, refreshed=now) for m, of in todo.items()
                       for s in of)  # fmt: skip
    return list(todo)


def _statements(
    connection: Any, month: datetime.date, sites: Sequence[int]
) -> list[tuple[str, list[Any]]]:
    """Every site's rows of the month when asked for, and the asked sites' own rows."""
    found = []
    if ALL_SITES in sites:
        found += month_sql(connection, month, last_day(month), None)
    own = [site for site in sites if site != ALL_SITES]
    if own:
        found += month_sql(connection, month, last_day(month), own)
    return found


def _stale(todo: Todo, stored: Collection[tuple[datetime.date, int]]) -> Q:
    """The rows of the months and sites to compute. A month forgotten (its every site's stamp
    gone) loses its rows of any site but those still stamped: of a site no longer configured
    too, whose rows nothing else would delete."""
    stale = Q()
    for month, sites in todo.items():
        if ALL_SITES in sites:
            kept = [site for m, site in stored if m == month]
            stale |= Q(month=month) & ~Q(site__in=kept) if kept else Q(month=month)
        else:
            stale |= Q(month=month, site__in=sites)
    return stale


def _first_day(using: str) -> datetime.date | None:
    days = [
        model._default_manager.using(using).aggregate(first=Min("date"))["first"]
        for model in (Hits, PathHits)
    ]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def _drop(using: str, before: datetime.date | None) -> None:
    """The months before ``before`` (all of them for None): their days were pruned."""
    for model in (MonthTotals, *_TABLES):
        rows = model._default_manager.using(using).all()
        if before is not None:
            rows = rows.filter(month__lt=before)
        rows._raw_delete(using)
    delivery_months.drop(using, before)


def _drop_sites(using: str, sites: Collection[int]) -> None:
    """The months of ``sites``: no longer configured, nothing refreshes them."""
    for model in (MonthTotals, *_TABLES):
        model._default_manager.using(using).filter(site__in=sites)._raw_delete(using)
    delivery_months.drop_sites(using, sites)
