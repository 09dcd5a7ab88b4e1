"""Daily views of a report (the site, or one object): headline totals and the chart's points.

One query gives every day the page needs: the period, the previous period and, for a single
day, the two weeks before it (one bar alone says little).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext

from admin_hits.models.periods import Period
from admin_hits.models.site_time import site_today
from admin_hits.report.charts import Point
from admin_hits.report.formatting import day_text, long_day_text, views_text
from admin_hits.report.queries import daily_views, site_daily_views
from admin_hits.report.scope import Scope

CONTEXT_DAYS = 14


def chart_days(period: Period) -> list[datetime.date]:
    """The days the chart shows: the period, or the two weeks ending with a single day."""
    if period.days > 1:
        return period.dates()
    return [period.end - datetime.timedelta(days=n) for n in range(CONTEXT_DAYS - 1, -1, -1)]


@dataclass
class Series:
    scope: Scope
    by_day: dict[datetime.date, int]

    @classmethod
    def load(cls, scope: Scope, queryset: QuerySet | None = None) -> Series:
        """The views per day of ``queryset`` (an object's ``Hits``), or of the whole site."""
        days = chart_days(scope.period)
        start = min(days[0], scope.previous.start)
        end = max(days[-1], scope.period.end)
        if queryset is None:
            by_day = site_daily_views(start, end, scope.site_filter())
        else:
            by_day = daily_views(queryset, start, end)
        if scope.live is not None:
            # Today is still being counted: the live store has its views, the table has none.
            by_day[scope.live.day] = scope.live.total
        return cls(scope, by_day)

    def total(self, period: Period) -> int:
        return sum(v for day, v in self.by_day.items() if day in period)

    @property
    def current(self) -> int | None:
        """Views in the period; None when they are today's and the live store is down."""
        if self.scope.period.is_live and self.scope.live is None:
            return None
        return self.total(self.scope.period)

    @property
    def previous(self) -> int:
        return self.total(self.scope.previous)

    def points(self, *, compare: bool = True) -> list[Point]:
        """The chart's bars; with the previous period's line unless ``compare`` is False (it
        holds no data) or the period is one day (then the bars around it give the context)."""
        period, before = self.scope.period, self.scope.previous
        compare = compare and period.days > 1
        before_days = before.dates() if compare else []
        today = site_today()
        points = []
        for index, day in enumerate(chart_days(period)):
            value = self.by_day.get(day, 0)
            if day == today and day not in self.by_day and not period.is_live:
                # A range that ends today (this month, a custom one): the night's parse_log
                # has not counted it yet, which is not "0 views".
                title = gettext("%(day)s: counted after midnight; Today (live) has it so far")
                points.append(Point(day_text(day), 0, title % {"day": long_day_text(day)},
                                    None, "pending"))  # fmt: skip
                continue
            title = ngettext("%(day)s: %(views)s view", "%(day)s: %(views)s views", value) % {
                "day": long_day_text(day),
                "views": views_text(value),
            }
            previous = None
            if compare and index < len(before_days):
                previous = self.by_day.get(before_days[index], 0)
                title += "\n" + gettext("previous period, %(day)s: %(views)s") % {
                    "day": long_day_text(before_days[index]),
                    "views": views_text(previous),
                }
            kind = "" if compare or day in period else "muted"
            if self.scope.live is not None and day == self.scope.live.day:
                kind = "live"
                title += "\n" + gettext("still counting (live)")
            points.append(Point(day_text(day), value, title, previous, kind))
        return points
