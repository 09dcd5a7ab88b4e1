"""A range of days of a daily table, asked so that SQLite reads it the fastest way.

SQLite reads a date range along an index on the date whatever share of the table it covers;
when that index does not hold the other columns the query needs (``PathHits``: its paths,
objects and views), each row is then one more lookup in the table. For a range over most of
the table a plain scan of the table is about three times as fast (``bench/README.md``,
``sqlite_volume.py``: the top pages of 100 days of a million rows, 12.1 s along the index,
3.8 s as a scan). Django has no index hints: the date is compared as ``+date``, which SQLite
can not look up in an index. Other databases plan by their statistics and are left alone.
"""

from __future__ import annotations

import datetime

from django.db import connections
from django.db.models import DateField, F, Func, QuerySet

#: Ranges shorter than this are always read along the index: no query to decide.
SCAN_FROM_DAYS = 62
#: The share of the table's days from which a scan is cheaper than the index and its lookups.
SCAN_SHARE = 0.3


def within(
    queryset: QuerySet,
    start: datetime.date,
    end: datetime.date,
    *,
    uncovered: bool = False,
    memo: dict | None = None,
) -> QuerySet:
    """``queryset``'s rows from ``start`` to ``end``; ``uncovered``: no index on the date holds
    the columns the query reads (a scan may then be cheaper, on SQLite). ``memo``: where a
    request keeps the table's first and last day, asked once for all its tables."""
    wide = uncovered and (end - start).days + 1 >= SCAN_FROM_DAYS
    if wide and _scan_is_cheaper(queryset, start, end, {} if memo is None else memo):
        scanned = Func(F("date"), template="+%(expressions)s", output_field=DateField())
        queryset = queryset.alias(scanned_date=scanned)
        return queryset.filter(scanned_date__gte=start, scanned_date__lte=end)
    return queryset.filter(date__gte=start, date__lte=end)


def _scan_is_cheaper(
    queryset: QuerySet, start: datetime.date, end: datetime.date, memo: dict
) -> bool:
    """On SQLite, whether the range covers ``SCAN_SHARE`` of the table's days or more (its first
    and last day: two index probes, once per ``memo``)."""
    if connections[queryset.db].vendor != "sqlite":
        return False
    key = ("days of", queryset.model._meta.label, queryset.db)
    if key not in memo:
        days = queryset.model._default_manager.using(queryset.db).values_list("date", flat=True)
        memo[key] = (days.order_by("date").first(), days.order_by("-date").first())
    first, last = memo[key]
    if first is None or last is None:
        return False
    asked = (min(end, last) - max(start, first)).days + 1
    return asked >= ((last - first).days + 1) * SCAN_SHARE
