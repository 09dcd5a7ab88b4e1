"""The days each digest covers, on awkward calendar days."""

from __future__ import annotations

import datetime

import pytest

from admin_hits.notify.periods import before, digest_period

D = datetime.date
# fmt: off


@pytest.mark.parametrize(
    ("kind", "today", "start", "end", "previous_start", "previous_end"),
    # fmt: off
    [
        ("day", D(2026, 12, 7), D(2026, 12, 6), D(2026, 12, 6), D(2026, 12, 5), D(2026, 12, 5)),
        ("day", D(2026, 1, 1), D(2025, 12, 31), D(2025, 12, 31), D(2025, 12, 30), D(2025, 12, 30)),
        # A Monday: the week that just ended; a Sunday: the week before the running one.
        ("week", D(2026, 12, 7), D(2026, 11, 30), D(2026, 12, 6), D(2026, 11, 23), D(2026, 11, 29)),
        (
            "week",
            D(2026, 12, 6),
            D(2026, 11, 23),
            D(2026, 11, 29),
            D(2026, 11, 16),
            D(2026, 11, 22),
        ),
        ("month", D(2026, 12, 1), D(2026, 11, 1), D(2026, 11, 30), D(2026, 10, 1), D(2026, 10, 31)),
        (
            "month",
            D(2026, 12, 31),
            D(2026, 11, 1),
            D(2026, 11, 30),
            D(2026, 10, 1),
            D(2026, 10, 31),
        ),
        # March is compared with the whole of February, leap day included.
        ("month", D(2028, 4, 2), D(2028, 3, 1), D(2028, 3, 31), D(2028, 2, 1), D(2028, 2, 29)),
        ("month", D(2027, 1, 5), D(2026, 12, 1), D(2026, 12, 31), D(2026, 11, 1), D(2026, 11, 30)),
    ],
)
def test_digest_periods(kind, today, start, end, previous_start, previous_end):
    period = digest_period(kind, today)
    assert (period.start, period.end) == (start, end)
    earlier = before(period)
    assert (earlier.start, earlier.end) == (previous_start, previous_end)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown digest period 'year'"):
        digest_period("year", D(2026, 12, 7))
