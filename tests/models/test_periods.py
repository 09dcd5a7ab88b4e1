"""Period presets, custom ranges and the previous period: pure date arithmetic."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin_hits.models import periods
from admin_hits.models.periods import Period, PeriodError, change, custom, previous, resolve

D = datetime.date


@pytest.mark.parametrize(
    ("preset", "today", "start", "end"),
    [
        ("today", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)),
        ("yesterday", D(2026, 3, 1), D(2026, 2, 28), D(2026, 2, 28)),
        ("7d", D(2026, 3, 1), D(2026, 2, 22), D(2026, 2, 28)),
        ("30d", D(2026, 3, 1), D(2026, 1, 30), D(2026, 2, 28)),
        ("month", D(2026, 3, 15), D(2026, 3, 1), D(2026, 3, 15)),
        ("month", D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)),
        ("last-month", D(2026, 3, 15), D(2026, 2, 1), D(2026, 2, 28)),
        ("last-month", D(2024, 3, 31), D(2024, 2, 1), D(2024, 2, 29)),
        ("last-month", D(2026, 1, 10), D(2025, 12, 1), D(2025, 12, 31)),
        ("no-such-preset", D(2026, 3, 1), D(2026, 1, 30), D(2026, 2, 28)),
        ("", D(2026, 3, 1), D(2026, 1, 30), D(2026, 2, 28)),
    ],
)
def test_presets(preset: str, today: D, start: D, end: D) -> None:
    period = resolve(preset, today)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        (Period("today", D(2026, 3, 1), D(2026, 3, 1)), D(2026, 2, 28), D(2026, 2, 28)),
        (Period("7d", D(2026, 2, 22), D(2026, 2, 28)), D(2026, 2, 15), D(2026, 2, 21)),
        (Period("30d", D(2026, 1, 30), D(2026, 2, 28)), D(2025, 12, 31), D(2026, 1, 29)),
        # Month to date: the same days of the month before, clamped to its end.
        (Period("month", D(2026, 3, 1), D(2026, 3, 31)), D(2026, 2, 1), D(2026, 2, 28)),
        (Period("month", D(2026, 3, 1), D(2026, 3, 15)), D(2026, 2, 1), D(2026, 2, 15)),
        (Period("last-month", D(2026, 2, 1), D(2026, 2, 28)), D(2026, 1, 1), D(2026, 1, 28)),
        (Period("last-month", D(2026, 1, 1), D(2026, 1, 31)), D(2025, 12, 1), D(2025, 12, 31)),
        (Period("last-month", D(2025, 12, 1), D(2025, 12, 31)), D(2025, 11, 1), D(2025, 11, 30)),
        (Period("custom", D(2026, 1, 10), D(2026, 1, 12)), D(2026, 1, 7), D(2026, 1, 9)),
    ],
)
def test_previous_period(period: Period, start: D, end: D) -> None:
    assert (previous(period).start, previous(period).end) == (start, end)


def test_custom_range_defaults_and_errors() -> None:
    today = D(2026, 3, 1)
    assert custom(today, None, None) == Period("custom", today, today)
    assert custom(today, D(2026, 2, 1), None) == Period("custom", D(2026, 2, 1), today)
    assert custom(today, None, D(2026, 2, 1)) == Period("custom", D(2026, 2, 1), D(2026, 2, 1))
    with pytest.raises(PeriodError) as reversed_range:
        custom(today, D(2026, 2, 2), D(2026, 2, 1))
    assert reversed_range.value.code == "reversed"
    with pytest.raises(PeriodError) as future:
        custom(today, D(2026, 2, 2), D(2026, 3, 2))
    assert future.value.code == "future"
    longest = today - datetime.timedelta(days=periods.MAX_DAYS - 1)
    assert custom(today, longest, today).days == periods.MAX_DAYS
    with pytest.raises(PeriodError) as too_long:
        custom(today, longest - datetime.timedelta(days=1), today)
    assert too_long.value.code == "too_long"
    first = periods.EARLIEST
    assert previous(custom(today, first, first)).start == first - datetime.timedelta(days=1)
    with pytest.raises(PeriodError) as too_early:
        custom(today, D(1, 1, 1), D(1, 1, 2))
    assert too_early.value.code == "too_early"


def test_period_days_dates_and_membership() -> None:
    period = Period("7d", D(2026, 2, 27), D(2026, 3, 2))
    assert period.days == 4
    assert period.dates() == [D(2026, 2, 27), D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 2)]
    assert D(2026, 3, 1) in period
    assert D(2026, 3, 3) not in period
    assert "2026-03-01" not in period
    assert resolve("today", D(2026, 3, 1)).is_live
    assert not resolve("yesterday", D(2026, 3, 1)).is_live


@pytest.mark.parametrize(
    ("current", "before", "expected"),
    [(150, 100, 0.5), (50, 100, -0.5), (100, 100, 0.0), (0, 0, 0.0), (5, 0, None), (0, 4, -1.0)],
)
def test_change(current: int, before: int, expected: float | None) -> None:
    assert change(current, before) == expected


@given(
    st.sampled_from(periods.PRESETS[:-1]),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)),
)
def test_every_preset_ends_by_today_and_its_previous_period_ends_before_it(
    preset: str, today: D
) -> None:
    period = resolve(preset, today)
    before = previous(period)
    assert period.start <= period.end <= today
    assert before.start <= before.end < period.start
    if preset not in (periods.THIS_MONTH, periods.LAST_MONTH):
        assert before.days == period.days
    else:
        assert before.start.day == 1 and before.days <= period.days
