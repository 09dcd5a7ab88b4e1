"""The classification's headline figures: visitors, bot views and 404 responses.

They exist only for days the nightly import classified (it writes a ``DayTotals`` row per
day): a period without such a day has no such figures at all, rather than zeros that would
read as "nobody came". Today (live) has none yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum

from admin_hits.models import DayTotals, Hits
from admin_hits.models.periods import Period
from admin_hits.report.queries import object_filter
from admin_hits.report.scope import Scope

SITE_FIELDS = ("visitors", "bot_views", "not_found")
OBJECT_FIELDS = ("visitors", "bot_views")
# Every request as well: a day of only files, redirects or errors has no views, yet rows in the
# status codes table, so it is something to compare with (``has_previous``).
_SITE_SUMS = (*SITE_FIELDS, "lines")

Sums = dict[str, int]


@dataclass
class Totals:
    """Sums of the period and of the previous period; None where no day was classified."""

    current: Sums | None = None
    previous: Sums | None = None

    def get(self, name: str) -> tuple[int | None, int | None]:
        current = None if self.current is None else self.current[name]
        previous = None if self.previous is None else self.previous[name]
        return current, previous


def _sums(rows: dict[datetime.date, tuple[int, ...]], period: Period, fields: tuple) -> Sums | None:
    days = [values for day, values in rows.items() if day in period]
    if not days:
        return None
    return {name: sum(values[i] for values in days) for i, name in enumerate(fields)}


def site_totals(scope: Scope) -> Totals:
    """The site's figures, from ``DayTotals`` (one query)."""
    if scope.period.is_live:
        return Totals()
    rows = DayTotals.objects.filter(
        scope.site_filter(), date__gte=scope.first_day, date__lte=scope.last_day
    )
    # A row per day and site: the sites' rows of a day summed (one row when one site is shown).
    sums = rows.order_by().values("date").annotate(**{f"{n}_sum": Sum(n) for n in _SITE_SUMS})
    by_day = {
        row[0]: row[1:] for row in sums.values_list("date", *(f"{n}_sum" for n in _SITE_SUMS))
    }
    return Totals(
        _sums(by_day, scope.period, _SITE_SUMS), _sums(by_day, scope.previous, _SITE_SUMS)
    )


def object_totals(scope: Scope) -> Totals:
    """An object's figures, from its ``Hits`` rows of classified days (two queries)."""
    if scope.period.is_live:
        return Totals()
    classified = set(
        DayTotals.objects.filter(
            scope.site_filter(), date__gte=scope.first_day, date__lte=scope.last_day
        ).values_list("date", flat=True)
    )
    if not classified:
        return Totals()
    rows = (
        Hits.objects.filter(object_filter(scope), date__in=classified)
        .order_by()
        .values("date")
        .annotate(**{name: Sum(name) for name in OBJECT_FIELDS})
        .values_list("date", *OBJECT_FIELDS)
    )
    by_day: dict[datetime.date, tuple[int, ...]] = dict.fromkeys(classified, (0, 0))
    by_day.update({row[0]: row[1:] for row in rows})
    return Totals(
        _sums(by_day, scope.period, OBJECT_FIELDS), _sums(by_day, scope.previous, OBJECT_FIELDS)
    )


def has_previous(views: int, totals: Totals) -> bool:
    """Whether the previous period holds anything to compare with: ``views`` (of the daily
    series the page loads anyway) or any count of its classified days in ``totals``.

    No query of its own. Every table row of the previous period is counted in one of these (the
    views, or for the classification tables the day's bot views, 404s and requests), so when
    all are 0 every change on the page would read "new": there is nothing to compare with.
    Today (live) has no ``totals``, and no classification rows either: its views decide.
    """
    return views > 0 or any((totals.previous or {}).values())
