"""Report periods: the presets, custom ranges, and the previous period each is compared with.

Pure date arithmetic: ``today`` is always passed in, never read, so every rule is testable for
any calendar day (month ends, leap years, the first of a month).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

TODAY = "today"
YESTERDAY = "yesterday"
LAST_7_DAYS = "7d"
LAST_30_DAYS = "30d"
THIS_MONTH = "month"
LAST_MONTH = "last-month"
CUSTOM = "custom"

#: Every preset, in the order the report offers them; ``CUSTOM`` needs a start and an end.
PRESETS: tuple[str, ...] = (
    TODAY,
    YESTERDAY,
    LAST_7_DAYS,
    LAST_30_DAYS,
    THIS_MONTH,
    LAST_MONTH,
    CUSTOM,
)
DEFAULT = LAST_30_DAYS

#: A custom range is capped so one request can not make the database sum decades of rows.
MAX_DAYS = 731
#: No custom range starts earlier: no web server logged a hit before, and the period a range
#: is compared with (as long, just before it) and its chart's days must still be dates.
EARLIEST = datetime.date(1990, 1, 1)

_ONE_DAY = datetime.timedelta(days=1)


class PeriodError(ValueError):
    """A custom range that can not be reported; ``code`` says why, for translated messages."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code  # "reversed", "future" or "too_long"


@dataclass(frozen=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    preset: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[datetime.date]:
        return [self.start + datetime.timedelta(days=n) for n in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    @property
    def is_live(self) -> bool:
        """Today's views are still being counted: they come from the live store."""
        return self.preset == TODAY


def resolve(
    preset: str,
    today: datetime.date,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Period:
    """The period a preset names on ``today``; ``CUSTOM`` uses ``start`` and ``end``.

    Stored days end with yesterday (the nightly import has not read today yet), so the rolling
    presets end there; "this month" is the month to date, as in most analytics tools.
    Unknown presets give the default. Raises ``PeriodError`` for an unusable custom range.
    """
    yesterday = today - _ONE_DAY
    if preset == TODAY:
        return Period(TODAY, today, today)
    if preset == YESTERDAY:
        return Period(YESTERDAY, yesterday, yesterday)
    if preset == LAST_7_DAYS:
        return Period(LAST_7_DAYS, today - datetime.timedelta(days=7), yesterday)
    if preset == THIS_MONTH:
        return Period(THIS_MONTH, today.replace(day=1), today)
    if preset == LAST_MONTH:
        last = today.replace(day=1) - _ONE_DAY
        return Period(LAST_MONTH, last.replace(day=1), last)
    if preset == CUSTOM:
        return custom(today, start, end)
    return Period(LAST_30_DAYS, today - datetime.timedelta(days=30), yesterday)


def custom(today: datetime.date, start: datetime.date | None, end: datetime.date | None) -> Period:
    """A custom range; a missing end means today, a missing start the same day as the end."""
    end = end or today
    start = start or end
    if start > end:
        raise PeriodError("the start of the range is after its end", "reversed")
    if end > today:
        raise PeriodError("the range ends in the future", "future")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(f"the range is longer than {MAX_DAYS} days", "too_long")
    if start < EARLIEST:
        raise PeriodError(f"the range starts before {EARLIEST}", "too_early")
    return Period(CUSTOM, start, end)


def previous(period: Period) -> Period:
    """The period ``period`` is compared with.

    Calendar months compare with the month before (to the same day of the month, clamped to that
    month's end); every other period with the same number of days just before it.
    """
    if period.preset in (THIS_MONTH, LAST_MONTH):
        last = period.start - _ONE_DAY
        start = last.replace(day=1)
        return Period(period.preset, start, start.replace(day=min(period.end.day, last.day)))
    length = datetime.timedelta(days=period.days)
    return Period(period.preset, period.start - length, period.end - length)


def change(current: int, before: int) -> float | None:
    """The relative change from ``before`` to ``current`` (0.25 = +25 %); None when new."""
    if before == 0:
        return None if current else 0.0
    return (current - before) / before
