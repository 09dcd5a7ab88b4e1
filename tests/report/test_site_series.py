"""The site's views per day: the import's day totals, the per-path rows for days without them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from admin_hits.models import DayTotals
from admin_hits.report.queries import _runs, site_daily_views
from tests.admin.factories import days_ago
from tests.report.factories import add_paths

pytestmark = pytest.mark.django_db


def test_day_totals_where_the_import_wrote_them_paths_elsewhere() -> None:
    add_paths("/", {1: 5, 2: 7, 3: 11, 9: 13})
    add_paths("/x/", {2: 1, 9: 2})
    DayTotals.objects.create(date=days_ago(2), views=100)  # pruned paths: the totals remain
    DayTotals.objects.create(date=days_ago(4), views=0)
    with CaptureQueriesContext(connection) as queries:
        views = site_daily_views(days_ago(10), days_ago(1))
    assert views == {days_ago(1): 5, days_ago(2): 100, days_ago(3): 11, days_ago(4): 0,
                     days_ago(9): 15}  # fmt: skip
    assert len(queries) == 2


def test_one_query_when_every_day_has_its_totals() -> None:
    for n in range(1, 4):
        DayTotals.objects.create(date=days_ago(n), views=n)
    with CaptureQueriesContext(connection) as queries:
        assert site_daily_views(days_ago(3), days_ago(1)) == {days_ago(n): n for n in (1, 2, 3)}
    assert len(queries) == 1


def test_runs_of_consecutive_days() -> None:
    days = [days_ago(n) for n in (9, 8, 7, 5, 1)]
    assert _runs(days) == [(days_ago(9), days_ago(7)), (days_ago(5), days_ago(5)),
                           (days_ago(1), days_ago(1))]  # fmt: skip
    assert _runs([]) == []
