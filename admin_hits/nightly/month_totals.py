"""Views per calendar month of every object and path, refreshed with the days.

The report answers a custom range from the months it covers whole (``ObjectMonthTotals``,
``PathMonthTotals``) and the daily rows of its edge days (``report.month_rows``). A month is
stored once it is over (before the site's today's month) and has a ``MonthTotals`` row while
its totals are those of its days: writing a day forgets its month in the day's transaction
(``invalidate``), and the next ``refresh`` computes every finished month that has no row, from
the first month of the daily rows on, each with one ``INSERT ... SELECT`` per table. So a
night's import computes one month at most (the one that just ended), a backfill or
``hits_prune`` the months they touched, and the first run after an upgrade every month once.
Each month's response times and bytes sent (``delivery_months``) are computed with its totals.
Called by ``period_totals`` inside its transaction and lock. The landing pages' months
(``LandingMonthTotals``, ``landing_sql``) are stored and forgotten with them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connections
from django.db.models import Min
from django.utils import timezone

from admin_hits.models import (
    Hits,
    LandingMonthTotals,
    MonthTotals,
    ObjectMonthTotals,
    PathHits,
    PathMonthTotals,
)
from admin_hits.nightly import delivery_months, landing_sql


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


def invalidate(first: datetime.date, last: datetime.date, *, using: str) -> None:
    """Forget the stored months holding a day from ``first`` to ``last`` (their rows stay
    until ``refresh`` replaces them; the report reads only the months still stamped)."""
    MonthTotals.objects.using(using).filter(month__gte=month_of(first), month__lte=last).delete()


def refresh(today: datetime.date, *, using: str) -> list[datetime.date]:
    """Compute every finished month of the daily rows that is not stored; drop the months
    before the first daily row (pruned). Returns the months computed."""
    first = _first_day(using)
    stamps = MonthTotals.objects.using(using)
    if first is None:
        _drop(using, None)
        return []
    _drop(using, month_of(first))
    stored = set(stamps.values_list("month", flat=True))
    todo = [m for m in months(first, month_of(today) - datetime.timedelta(days=1))
            if m not in stored]  # fmt: skip
    if not todo:
        return []
    for model in (ObjectMonthTotals, PathMonthTotals, LandingMonthTotals):
        model._default_manager.using(using).filter(month__in=todo).delete()
    connection = connections[using]
    with connection.cursor() as cursor:
        for month in todo:
            for sql, params in (
                _objects(connection, month),
                _paths(connection, month),
                landing_sql.month_sql(connection, month, last_day(month)),
            ):
                cursor.execute(sql, params)
    delivery_months.refresh(todo, using=using)
    now = timezone.now()
    stamps.bulk_create(MonthTotals(month=month, refreshed=now) for month in todo)
    return todo


def _first_day(using: str) -> datetime.date | None:
    days = [
        model._default_manager.using(using).aggregate(first=Min("date"))["first"]
        for model in (Hits, PathHits)
    ]
    found = [day for day in days if day is not None]
    return min(found) if found else None


def _drop(using: str, before: datetime.date | None) -> None:
    """The months before ``before`` (all of them for None): their days were pruned."""
    for model in (MonthTotals, ObjectMonthTotals, PathMonthTotals, LandingMonthTotals):
        rows = model._default_manager.using(using).all()
        if before is not None:
            rows = rows.filter(month__lt=before)
        rows._raw_delete(using)
    delivery_months.drop(using, before)


def _names(connection: Any, model: Any, *fields: str) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(f).column) for f in fields]


def _month(connection: Any, month: datetime.date) -> list[Any]:
    """The month's own date, and its first and last day, as the connection takes dates."""
    adapt = connection.ops.adapt_datefield_value
    return [adapt(month), adapt(month), adapt(last_day(month))]


def _objects(connection: Any, month: datetime.date) -> tuple[str, list[Any]]:
    table = connection.ops.quote_name(Hits._meta.db_table)
    target = connection.ops.quote_name(ObjectMonthTotals._meta.db_table)
    date, ct, oid, views = _names(connection, Hits, "date", "content_type", "object_id", "views")
    columns = ", ".join(
        _names(connection, ObjectMonthTotals, "month", "content_type", "object_id", "views")
    )
    sql = (
        f"INSERT INTO {target} ({columns}) SELECT %s, {ct}, {oid}, SUM({views}) FROM {table} "
        f"WHERE {date} >= %s AND {date} <= %s GROUP BY {ct}, {oid}"
    )
    return sql, _month(connection, month)


def _paths(connection: Any, month: datetime.date) -> tuple[str, list[Any]]:
    table = connection.ops.quote_name(PathHits._meta.db_table)
    target = connection.ops.quote_name(PathMonthTotals._meta.db_table)
    date, key, path, ct, oid, views = _names(
        connection, PathHits, "date", "path_hash", "path", "content_type", "object_id", "views"
    )
    columns = ", ".join(
        _names(connection, PathMonthTotals, "month", "path_hash", "path", "content_type",
               "object_id", "views")
    )  # fmt: skip
    sql = (
        f"INSERT INTO {target} ({columns}) SELECT %s, {key}, MIN({path}), {ct}, {oid}, "
        f"SUM({views}) FROM {table} WHERE {date} >= %s AND {date} <= %s "
        f"GROUP BY {key}, {ct}, {oid}"
    )
    return sql, _month(connection, month)
