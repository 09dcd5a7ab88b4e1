"""``writing.insert_rows`` writes every value back exactly: ``COPY`` on PostgreSQL (text
format, where tabs, newlines, backslashes and ``\\N`` are escapes) and ``executemany``
elsewhere. The test suite runs on both databases."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from admin_hits.models import PathHits, ReferrerHits, path_hash
from admin_hits.nightly import writing
from admin_hits.nightly.writing import Table, insert_rows
from tests.testapp.models import Article

DAY = datetime.date(2026, 11, 28)
AWKWARD = [
    "/plain/",
    "/tab\there/",
    "/new\nline/",
    "/carriage\rreturn/",
    "/back\\slash/\\N",
    "\\N",
    "/quotes/'\"/",
    "/comma,semicolon;pipe|/",
    "/ünïcödé/日本/",
    "/emoji/\U0001f600/",
    "/percent%20encoded%ff/",
    " /leading space",
]

pytestmark = pytest.mark.django_db


def test_awkward_text_comes_back_as_it_was() -> None:
    article = Article.objects.create(title="A", slug="a")
    ct = ContentType.objects.get_for_model(Article).pk
    rows = [
        (
            DAY,
            path,
            path_hash(path),
            i,
            i % 3,
            i % 2,
            *((ct, str(article.pk)) if i % 2 else (None, "")),
        )
        for i, path in enumerate(AWKWARD)
    ]
    fields = ("date", "path", "path_hash", "views", "bot_views", "visitors", "content_type",
              "object_id")  # fmt: skip
    insert_rows("default", Table(PathHits, fields, rows))
    stored = PathHits.objects.values_list(
        "date", "path", "path_hash", "views", "bot_views", "visitors", "content_type", "object_id"
    )
    assert sorted(stored, key=lambda row: row[3]) == rows


def test_empty_strings_stay_empty_not_null() -> None:
    fields = ("date", "path", "path_hash", "content_type", "object_id", "host", "url", "views")
    rows = [(DAY, "/a/", path_hash("/a/"), None, "", "", "", 1),
            (DAY, "/a/", path_hash("/a/"), None, "", "example.com", "\\N\t", 2)]  # fmt: skip
    insert_rows("default", Table(ReferrerHits, fields, rows))
    stored = ReferrerHits.objects.order_by("views").values_list("host", "url", "object_id")
    assert list(stored) == [("", "", ""), ("example.com", "\\N\t", "")]


def test_many_rows_in_one_go() -> None:
    paths = [f"/p/{i}/" for i in range(writing.BATCH_SIZE * 2 + 7)]
    rows = [(DAY, p, path_hash(p), i, None, "") for i, p in enumerate(paths)]
    insert_rows("default", Table(PathHits, ("date", "path", "path_hash", "views",
                                            "content_type", "object_id"), rows))  # fmt: skip
    assert PathHits.objects.count() == len(paths)
    assert sum(PathHits.objects.values_list("views", flat=True)) == sum(range(len(paths)))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_postgresql_streams_the_rows_with_copy(django_assert_num_queries) -> None:
    rows = [(DAY, f"/p/{i}/", path_hash(f"/p/{i}/"), i, None, "") for i in range(5000)]
    table = Table(PathHits, ("date", "path", "path_hash", "views", "content_type", "object_id"),
                  rows)  # fmt: skip
    with django_assert_num_queries(0):  # the COPY is not an INSERT per batch
        insert_rows("default", table)
    assert PathHits.objects.count() == 5000
