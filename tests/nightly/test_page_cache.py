"""``writing.roomy_page_cache``: SQLite writes a day with a page cache big enough for the
day's indexes, and the connection gets its own size back, whatever happens."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from admin_hits.models import PathHits, path_hash
from admin_hits.nightly import writing
from admin_hits.nightly.writing import Table, replace_day, roomy_page_cache

DAY = datetime.date(2026, 11, 28)
FIELDS = ("date", "path", "path_hash", "views", "content_type", "object_id")

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")


def cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@sqlite_only
def test_a_day_is_written_with_a_roomy_cache_and_the_size_comes_back(monkeypatch) -> None:
    before = cache_size()
    seen = []
    insert = writing.insert_rows

    def spy(using: str, table: Table) -> None:
        seen.append(cache_size())
        insert(using, table)

    monkeypatch.setattr(writing, "insert_rows", spy)
    rows = [(DAY, f"/p/{i}/", path_hash(f"/p/{i}/"), i, None, "") for i in range(10)]
    replace_day(DAY, [Table(PathHits, FIELDS, rows)])
    assert seen == [-65536]  # KiB, as SQLite reads a negative size
    assert cache_size() == before
    assert PathHits.objects.count() == 10


@sqlite_only
def test_the_size_comes_back_after_an_error() -> None:
    before = cache_size()
    with pytest.raises(RuntimeError), roomy_page_cache("default", kib=4096):
        assert cache_size() == -4096
        raise RuntimeError("the write failed")
    assert cache_size() == before


@pytest.mark.skipif(connection.vendor == "sqlite", reason="other databases")
def test_other_databases_are_left_alone(django_assert_num_queries) -> None:
    with django_assert_num_queries(0), roomy_page_cache("default"):
        pass
