"""The standard periods whose totals are precomputed, as windows of days on a given day.

A ``Window`` is a preset's period and the period before it; ``period_totals`` decides which
windows are stale and ``period_sql`` writes the SQL that recomputes them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from admin_hits.models import PeriodTotals, periods, totals
from admin_hits.models.periods import Period

#: Not one of the report's periods: the last 7 days against the 4 weeks before them, read by
#: the changelists' "Trending" filter (``admin.filters``).
TREND = totals.TREND
TREND_WEEKS = 4

#: The presets precomputed: every one the report offers but today (live) and custom ranges,
#: and the trend.
STANDARD: tuple[str, ...] = (
    periods.YESTERDAY,
    periods.LAST_7_DAYS,
    periods.LAST_30_DAYS,
    periods.THIS_MONTH,
    periods.LAST_MONTH,
    TREND,
)


@dataclass(frozen=True)
class Window:
    """A preset's period and previous period on one day."""

    preset: str
    period: Period
    previous: Period

    @property
    def first(self) -> datetime.date:
        return min(self.period.start, self.previous.start)

    @property
    def last(self) -> datetime.date:
        return max(self.period.end, self.previous.end)

    def touches(self, first: datetime.date, last: datetime.date) -> bool:
        """Whether a day from ``first`` to ``last`` is in the period or the previous one."""
        return any(p.start <= last and first <= p.end for p in (self.period, self.previous))

    def matches(self, stamp: PeriodTotals) -> bool:
        return _dates(stamp) == (
            self.period.start, self.period.end, self.previous.start, self.previous.end,
        )  # fmt: skip

    def is_stale(self, stamp: PeriodTotals | None, changed: Days | None, roll_over: bool) -> bool:
        """Whether to recompute this window, given its stored ``stamp`` and the ``changed`` days.

        Rows stored for other days than the window's stay valid for those days (a custom
        range can ask for them) until one of their days changes, unless ``roll_over``.
        """
        if stamp is not None and self.matches(stamp):
            return changed is not None and self.touches(*changed)
        if stamp is not None and changed is not None and window_of(stamp).touches(*changed):
            return True
        return roll_over


Days = tuple[datetime.date, datetime.date]


def _dates(stamp: PeriodTotals) -> tuple[datetime.date, ...]:
    return (stamp.start, stamp.end, stamp.previous_start, stamp.previous_end)


def windows(today: datetime.date) -> list[Window]:
    """The standard periods on ``today``."""
    result = []
    for preset in STANDARD:
        if preset == TREND:
            result.append(trend_window(today))
            continue
        period = periods.resolve(preset, today)
        result.append(Window(preset, period, periods.previous(period)))
    return result


def trend_window(today: datetime.date) -> Window:
    """The 7 days before ``today``, and the ``TREND_WEEKS`` weeks before them."""
    day = datetime.timedelta(days=1)
    week = Period(TREND, today - 7 * day, today - day)
    before = Period(TREND, week.start - 7 * TREND_WEEKS * day, week.start - day)
    return Window(TREND, week, before)


def window_of(stamp: PeriodTotals) -> Window:
    """The window a stored stamp was computed for."""
    start, end, previous_start, previous_end = _dates(stamp)
    return Window(stamp.preset, Period(stamp.preset, start, end),
                  Period(stamp.preset, previous_start, previous_end))  # fmt: skip
