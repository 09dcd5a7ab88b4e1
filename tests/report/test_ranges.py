"""A wide range of ``PathHits`` is read as a scan of the table on SQLite (three times as fast as
along the date index at a million rows), with the same rows as along the index."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from admin_hits.models import PathHits, periods
from admin_hits.report import queries, ranges
from admin_hits.report.scope import Scope
from tests.admin.factories import days_ago, today
from tests.report.factories import add_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def paths() -> None:
    for n in range(5):
        add_paths(f"/p/{n}/", {day: n + day % 7 for day in range(1, 101)})


def plan(queryset) -> str:
    return queryset.explain()


def scope(days: int) -> Scope:
    period = periods.custom(today(), days_ago(days), days_ago(1))
    return Scope(period, periods.previous(period))


def rows(days: int) -> list[dict]:
    return list(queries.summed_page_rows(scope(days)))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")
def test_sqlite_scans_a_wide_range_and_looks_up_a_narrow_one(paths) -> None:
    everything = PathHits.objects.all()
    wide = ranges.within(everything, days_ago(100), days_ago(1), uncovered=True)
    narrow = ranges.within(everything, days_ago(100), days_ago(90), uncovered=True)
    assert "SCAN admin_hits_pathhits" in plan(wide), plan(wide)
    assert "USING INDEX" in plan(narrow) and "SCAN admin_hits_pathhits" not in plan(narrow)
    # Covered by an index (the caller says so): along the index, whatever the range.
    assert "SCAN admin_hits_pathhits" not in plan(ranges.within(everything, days_ago(100),
                                                                days_ago(1)))  # fmt: skip


def test_the_rows_are_the_same_either_way(paths, monkeypatch) -> None:
    scanned = rows(50)  # with its previous period, the table's 100 days
    monkeypatch.setattr(ranges, "SCAN_SHARE", 10.0)  # never a scan
    assert rows(50) == scanned
    assert len(scanned) == 5 and scanned[0]["page"] == "/p/4/"
    total = sum(p.views for p in PathHits.objects.filter(date__gte=days_ago(50)))
    assert sum(row["current"] for row in scanned) == total


def test_an_empty_table_or_another_database_asks_by_the_date() -> None:
    queryset = ranges.within(PathHits.objects.all(), datetime.date(2020, 1, 1),
                             datetime.date(2026, 1, 1), uncovered=True)  # fmt: skip
    assert "scanned_date" not in str(queryset.query)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner only")
def test_the_tables_first_and_last_day_are_asked_once_per_request(paths) -> None:
    from django.test.utils import CaptureQueriesContext

    asked = scope(50)
    with CaptureQueriesContext(connection) as first:
        list(queries.summed_page_rows(asked))
    with CaptureQueriesContext(connection) as again:
        list(queries.summed_page_rows(asked, unmatched=True))
    assert len(again) == len(first) - 2 == 1
