"""PostgreSQL at volume: 10 million ``Hits`` rows over 100,000 objects, and the query plans of
the admin's pages on them.

    .venv/bin/python bench/pg_volume.py [--objects 100000] [--days 100] [--keep]

Creates (or reuses, with ``--keep``) the database ``admin_hits_bench`` on
``postgres://postgres@127.0.0.1:5432`` (override with ``DATABASE_URL``), migrates it, loads
``objects`` articles with ``days`` daily rows each (10M by default) with SQL ``generate_series``,
the matching ``PathHits`` (one path per article and day, plus 2,000 unmatched paths a day) and
``DayTotals``, as ``parse_log`` would have written them; tables missing from a kept database
are loaded on their own. Then it refreshes the report's precomputed period totals, as
``parse_log`` does when it writes a day, and prints the time that takes. Finally it renders, as
a superuser, the 30-day traffic report, an article's drill-down page, an article's change page
(the hits inline), the article changelist (hit columns) and the ``Hits`` changelist (whole,
one month, one day, filtered by a content type) and for each query they ran prints its time
and whether its plan uses an index (``EXPLAIN ANALYZE``; "small" when it reads only tables of
a few rows). Goal: each query under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# A throwaway server of your own: ADMIN_HITS_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55433
SERVER = os.environ.get("ADMIN_HITS_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def setup(keep: bool) -> None:
    import psycopg

    os.environ.setdefault("DATABASE_URL", f"{SERVER}/admin_hits_bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'admin_hits_bench'"
        ).fetchone()
        if exists and not keep:
            admin.execute("DROP DATABASE admin_hits_bench")
        if not exists or not keep:
            admin.execute("CREATE DATABASE admin_hits_bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(objects: int, days: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from admin_hits.models import DayTotals, Hits, PathHits
    from tests.testapp.models import Article, Release

    ct = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as cursor:
        if Hits.objects.exists():
            print(f"reusing {Hits.objects.count():,} Hits rows")
        else:
            started = time.perf_counter()
            cursor.execute(ARTICLES, [objects])
            cursor.execute(HITS, [ct, days, objects])
            print(f"loaded {objects * days:,} Hits rows in {time.perf_counter() - started:,.0f} s")
        started = time.perf_counter()
        if not PathHits.objects.filter(content_type__isnull=False).exists():
            cursor.execute(OBJECT_PATHS)
        if not PathHits.objects.filter(content_type__isnull=True).exists():
            cursor.execute(UNMATCHED_PATHS, [days])
        print(f"{PathHits.objects.count():,} PathHits rows (2,000 unmatched a day), "
              f"{time.perf_counter() - started:,.0f} s")  # fmt: skip
        if not DayTotals.objects.exists():
            cursor.execute(DAY_TOTALS)
        # A second, rare type, so that the changelist has a content type filter to show.
        release_type = ContentType.objects.get_for_model(Release).pk
        if not Hits.objects.filter(content_type=release_type).exists():
            cursor.execute(RELEASES)
            cursor.execute(RELEASE_HITS, [release_type, days])
        print(f"{Hits.objects.filter(content_type=release_type).count():,} Hits rows of "
              "releases (50 releases, one day a week)")  # fmt: skip
        cursor.execute("ANALYZE")


# What parse_log writes, made up: views per object and day, the object's path with the same
# counts (hashed with md5 here: the report only groups by the hash), and the site's day totals.
ARTICLES = (
    "INSERT INTO testapp_article (id, title, slug) SELECT i, 'Article ' || i, 'a-' || i "
    "FROM generate_series(1, %s) AS i"
)
HITS = (
    "INSERT INTO admin_hits_hits (date, views, bot_views, visitors, content_type_id, object_id) "
    "SELECT current_date - d, (random() * 500)::int, (random() * 50)::int, "
    "(random() * 300)::int, %s, o::text "
    "FROM generate_series(1, %s) AS d, generate_series(1, %s) AS o"
)
OBJECT_PATHS = (
    "INSERT INTO admin_hits_pathhits (date, path, path_hash, views, bot_views, visitors, "
    "content_type_id, object_id) "
    "SELECT date, p, md5(p), views, bot_views, visitors, content_type_id, object_id "
    "FROM (SELECT *, '/articles/a-' || object_id || '/' AS p FROM admin_hits_hits) AS h"
)
UNMATCHED_PATHS = (
    "INSERT INTO admin_hits_pathhits (date, path, path_hash, views, object_id) "
    "SELECT current_date - d, p, md5(p), 1 + (u * 7919 %% 40), '' "
    "FROM generate_series(1, %s) AS d, generate_series(1, 2000) AS u, "
    "LATERAL (SELECT '/search/?q=' || ((d * 7 + u) %% 5000) AS p) AS q"
)
RELEASES = (
    "INSERT INTO testapp_release (id, title) SELECT gen_random_uuid(), 'Release ' || i "
    "FROM generate_series(1, 50) AS i"
)
RELEASE_HITS = (
    "INSERT INTO admin_hits_hits (date, views, bot_views, visitors, content_type_id, object_id) "
    "SELECT current_date - d, 1 + (random() * 20)::int, 0, 1, %s, r.id::text "
    "FROM generate_series(1, %s, 7) AS d, testapp_release AS r"
)
DAY_TOTALS = (
    "INSERT INTO admin_hits_daytotals (date, views, bot_views, visitors, not_found, lines) "
    "SELECT date, sum(views), sum(bot_views), sum(visitors) / 3, count(*) / 100, "
    "sum(views + bot_views) * 3 FROM admin_hits_pathhits GROUP BY date"
)


def refresh(keep_totals: bool) -> None:
    """The precomputed period totals, as ``parse_log`` refreshes them: every period (as on the
    first run, or the first of a month), then one night's (yesterday's rows written on a new
    day). Without them, the report sums the days, as for a custom range."""
    from django.utils import timezone

    from admin_hits.models import PeriodTotals
    from admin_hits.nightly import period_totals

    PeriodTotals.objects.all().delete()
    if not keep_totals:
        print("\nno period totals: the report sums the days")
        return
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    for label, first, day in (("every period", None, yesterday), ("a night", yesterday, today)):
        started = time.perf_counter()
        presets = period_totals.refresh(first, today=day)
        elapsed = time.perf_counter() - started
        print(f"\nperiod totals refreshed, {label} ({', '.join(presets)}): {elapsed:,.1f} s")


def explain(sql: str) -> tuple[float, str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
        text = "\n".join(plan)
        scanned = set(re.findall(r"Seq Scan on (\w+)", text))
        cursor.execute("SELECT coalesce(max(reltuples), 0) FROM pg_class WHERE relname = ANY(%s)",
                       [list(scanned)])  # fmt: skip
        largest = cursor.fetchone()[0]
    total = float(plan[-1].split(":")[1].strip().split()[0])  # "Execution Time: 1.234 ms"
    if not scanned and "Index" in text:
        kind = "index"
    else:
        kind = "small" if largest < SMALL else "NO INDEX"
    return total, kind, plan[0].strip()[:90]


SMALL = 1000  # rows: a table read whole, since reading it whole is what its size calls for


def pages() -> list[tuple[str, str]]:
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from tests.testapp.models import Article, Release

    article = Article.objects.order_by("pk")[500]
    ct = ContentType.objects.get_for_model(Article).pk
    hits = reverse("admin:admin_hits_hits_changelist")
    month = datetime.date.today() - datetime.timedelta(days=40)
    day = datetime.date.today() - datetime.timedelta(days=2)
    return [
        ("30-day traffic report", reverse("admin:admin_hits_report") + "?period=30d"),
        ("article drill-down (30 days)",
         reverse("admin:admin_hits_object", args=[ct, str(article.pk)]) + "?period=30d"),
        ("article change page (inline)", reverse("admin:testapp_article_change",
                                                 args=[article.pk])),
        ("article changelist (columns)", reverse("admin:testapp_article_changelist")),
        ("Hits changelist", hits),
        ("Hits changelist, one month", f"{hits}?date__year={month.year}"
                                       f"&date__month={month.month}"),
        ("Hits changelist, one day", f"{hits}?date__year={day.year}&date__month={day.month}"
                                     f"&date__day={day.day}"),
        # Filtered by type: the articles have rows every day, the releases one day a week; a
        # type without rows has its every day probed and none kept.
        ("Hits changelist, articles", f"{hits}?content_type__id__exact={ct}"),
        ("Hits changelist, releases",
         f"{hits}?content_type__id__exact={ContentType.objects.get_for_model(Release).pk}"),
        ("Hits changelist, a type without rows",
         f"{hits}?content_type__id__exact={ContentType.objects.get_for_model(User).pk}"),
    ]  # fmt: skip


def measure() -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench"
    )
    client = Client()
    client.force_login(user)
    worst = 0.0
    for name, url in pages():
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        print(f"\n{name}: HTTP {response.status_code}, {elapsed:,.0f} ms, "
              f"{len(queries)} queries")  # fmt: skip
        for query in queries.captured_queries:
            sql = query["sql"]
            if "django_session" in sql:
                continue
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                ms = float(query["time"]) * 1000  # the paginator's EXPLAIN, say: as it ran
                print(f"  {ms:8.1f} ms  {'':8}  {sql.strip()[:90]}")
                continue
            # Re-run with the parameters inlined by Django's own formatting of the query.
            ms, kind, top = explain(sql)
            worst = max(worst, ms)
            print(f"  {ms:8.1f} ms  {kind:8}  {top}")
    print(f"\nslowest query: {worst:,.1f} ms (goal: under 100 ms)")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--objects", type=int, default=100_000)
    options.add_argument("--days", type=int, default=100)
    options.add_argument("--keep", action="store_true", help="reuse the loaded database")
    options.add_argument(
        "--without-totals", action="store_true",
        help="drop the precomputed period totals: the report sums the days",
    )  # fmt: skip
    args = options.parse_args()
    setup(args.keep)
    load(args.objects, args.days)
    refresh(not args.without_totals)
    measure()


if __name__ == "__main__":
    main()
