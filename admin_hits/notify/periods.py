"""The days a digest covers: the last finished day, ISO week or calendar month, and the one
before it. Pure date arithmetic: ``today`` is passed in."""

from __future__ import annotations

import datetime

from admin_hits.models.periods import Period

DAY = "day"
WEEK = "week"
MONTH = "month"
KINDS: tuple[str, ...] = (DAY, WEEK, MONTH)

_ONE_DAY = datetime.timedelta(days=1)


def digest_period(kind: str, today: datetime.date) -> Period:
    """The last finished period of ``kind`` before ``today`` (stored days end yesterday)."""
    if kind == DAY:
        day = today - _ONE_DAY
        return Period(kind, day, day)
    if kind == WEEK:
        monday = today - datetime.timedelta(days=today.weekday())
        return Period(kind, monday - 7 * _ONE_DAY, monday - _ONE_DAY)
    if kind == MONTH:
        end = today.replace(day=1) - _ONE_DAY
        return Period(kind, end.replace(day=1), end)
    raise ValueError(f"unknown digest period {kind!r}: one of {', '.join(KINDS)}")


def before(period: Period) -> Period:
    """The period of the same kind just before: the previous day, week or whole month."""
    if period.preset == MONTH:
        end = period.start - _ONE_DAY
        return Period(period.preset, end.replace(day=1), end)
    length = datetime.timedelta(days=period.days)
    return Period(period.preset, period.start - length, period.end - length)
