"""The audience's tables on PostgreSQL at volume: their rows per day, and the time of each query
of the pages that read them (the Audience tab, the AI crawlers, landing pages, downloads).

    ADMIN_HITS_BENCH_POSTGRES=postgres://postgres@127.0.0.1:55437 \\
        .venv/bin/python bench/audience_volume.py [--objects 10000] [--days 30] [--keep]

Uses the database named by ``AUDIENCE_BENCH_DB`` (default ``audience``) on ``pg_volume``'s
server (``ADMIN_HITS_BENCH_POSTGRES``), loads ``pg_volume``'s ``Hits``, ``PathHits`` and
``DayTotals`` for ``objects`` articles viewed on each of ``days`` days, then, with SQL
``generate_series``, the rows ``parse_log`` writes of the audience for such days (``SHAPE``
below: what a day of a site with that many objects viewed gives, each object's one
``ObjectAudience`` row within the bounds of ``nightly/audience_rows.py``, and the site's rows
for a site with visitors from 150 countries). It prints each table's rows per day (the site's,
and per object viewed), then renders, as a superuser, the 30-day report's tabs that read them
and an article's drill-down Audience tab, and prints each query's time and whether its plan
uses an index (``EXPLAIN ANALYZE``). Goal: each query under 100 ms.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import pg_volume  # noqa: E402

NAME = os.environ.get("AUDIENCE_BENCH_DB", "audience")

# Rows of one day: (the site's, each object's). An object viewed a few hundred times a day by
# people has a handful of browsers, systems and device classes, some countries (its top 10
# kept, nightly/audience_rows.OBJECT_NAMES) and views in most hours.
SHAPE = {
    "browser": (30, 6),
    "version": (50, 0),  # the site's alone
    "os": (15, 5),
    "device": (4, 3),
    "country": (150, 8),
}
HOURS = (24, 16)
AI_CRAWLERS = 8  # each with its top 200 objects a day (nightly/audience_rows.AI_OBJECTS)
AI_OBJECTS = 200
LANDING_REFERRERS = 3  # referrer rows per landing path
FILES = 500  # downloaded files a day


def setup(keep: bool) -> None:
    import psycopg

    os.environ["DATABASE_URL"] = f"{pg_volume.SERVER}/{NAME}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    with psycopg.connect(f"{pg_volume.SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
        if exists and not keep:
            admin.execute(f'DROP DATABASE "{NAME}"')
        if not exists or not keep:
            admin.execute(f'CREATE DATABASE "{NAME}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_audience(days: int) -> None:
    from django.db import connection

    from admin_hits.models import AudienceHits

    if AudienceHits.objects.exists():
        print(f"reusing {AudienceHits.objects.count():,} AudienceHits rows")
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for dimension, (site, _) in SHAPE.items():
            cursor.execute(SITE_NAMES, [dimension, dimension, site, days])
        cursor.execute(SITE_HOURS, [HOURS[0], days])
        cursor.execute(object_audience())
        cursor.execute(AI_SITE, [AI_CRAWLERS, days])
        cursor.execute(AI_OBJECT_ROWS, [AI_CRAWLERS, AI_OBJECTS])
        cursor.execute(LANDINGS)
        cursor.execute(LANDING_REFERRERS_SQL, [LANDING_REFERRERS])
        cursor.execute(VISIT_TOTALS)
        cursor.execute(VISIT_LENGTHS)
        cursor.execute(DOWNLOADS, [FILES, days])
        cursor.execute("ANALYZE")
    print(f"loaded the audience, visits and downloads in {time.perf_counter() - started:,.0f} s")


# Each object's rows on the days it has a Hits row (pg_volume's days), as parse_log writes them.
SITE_NAMES = (
    "INSERT INTO admin_hits_audiencehits (date, content_type_id, object_id, dimension, name, "
    "views, site) SELECT current_date - d, NULL, '', %s, %s || '-' || n, "
    "1 + (random() * 5000)::int, 0 FROM generate_series(1, %s) AS n, generate_series(1, %s) AS d"
)
SITE_HOURS = (
    "INSERT INTO admin_hits_hourhits (date, content_type_id, object_id, hour, views, site) "
    "SELECT current_date - d, NULL, '', n - 1, 1 + (random() * 9000)::int, 0 "
    "FROM generate_series(1, %s) AS n, generate_series(1, %s) AS d"
)


def object_audience() -> str:
    """Each object's one row a day: its hours (``HOURS[1]`` of 24 with views) and its names
    (``SHAPE``'s per object), the compact text ``models.ObjectAudience`` stores. The subqueries
    name the outer row so that each row gets its own random figures."""
    first, last = 5, 5 + HOURS[1] - 1
    hours = (
        f"(SELECT '[' || string_agg((CASE WHEN hr BETWEEN {first} AND {last} "
        "THEN 1 + (random() * 30)::int ELSE 0 END)::text, ',' ORDER BY hr) || ']' "
        "FROM generate_series(0, 23) AS hr WHERE h.object_id <> '')"
    )
    shape = ", ".join(f"('{name}', {n})" for name, (_, n) in SHAPE.items() if n)
    names = (
        "(SELECT '{' || string_agg(format('\"%s\":{%s}', dim, (SELECT string_agg(format("
        "'\"%s-%s\":%s', dim, n, 1 + (random() * 50)::int), ',' ORDER BY n) "
        "FROM generate_series(1, cnt) AS n WHERE h.object_id <> '')), ',' ORDER BY dim) || '}' "
        f"FROM (VALUES {shape}) AS d (dim, cnt))"
    )
    return (
        "INSERT INTO admin_hits_objectaudience (date, content_type_id, object_id, views, hours, "
        f"names, site) SELECT h.date, h.content_type_id, h.object_id, h.views, {hours}, {names}, "
        "0 FROM admin_hits_hits AS h"
    )


AI_SITE = (
    "INSERT INTO admin_hits_aicrawlerhits (date, content_type_id, object_id, bot, views, site) "
    "SELECT current_date - d, NULL, '', 'AIBot' || b, 100 + (random() * 900)::int, 0 "
    "FROM generate_series(1, %s) AS b, generate_series(1, %s) AS d"
)
# Each crawler's top objects of a day: a different slice of the objects each day and crawler.
AI_OBJECT_ROWS = (
    "INSERT INTO admin_hits_aicrawlerhits (date, content_type_id, object_id, bot, views, site) "
    "SELECT h.date, h.content_type_id, h.object_id, 'AIBot' || b, 1 + (random() * 9)::int, 0 "
    "FROM admin_hits_hits AS h, generate_series(1, %s) AS b "
    "WHERE (CASE WHEN h.object_id ~ '^[0-9]+$' THEN h.object_id::int ELSE 1 END "
    "+ b * 37 + (current_date - h.date) * 101) %% "
    "greatest(1, (SELECT count(*) FROM testapp_article) / %s) = 0"
)
LANDINGS = (
    "INSERT INTO admin_hits_landinghits (date, path, path_hash, content_type_id, object_id, "
    "visits, bounces, exits, site) SELECT date, path, path_hash, content_type_id, object_id, "
    "views / 2, views / 4, views / 3, 0 FROM admin_hits_pathhits WHERE views > 1"
)
LANDING_REFERRERS_SQL = (
    "INSERT INTO admin_hits_landingreferrerhits (date, path, path_hash, content_type_id, "
    "object_id, visits, host, url, site) SELECT date, path, path_hash, content_type_id, "
    "object_id, 1 + visits / 5, 'ref' || n || '.example', 'https://ref' || n || '.example/' "
    "|| object_id, 0 FROM admin_hits_landinghits, generate_series(1, %s) AS n "
    "WHERE content_type_id IS NOT NULL"
)
VISIT_TOTALS = (
    "INSERT INTO admin_hits_visittotals (date, visits, bounces, views, median_minutes, site) "
    "SELECT date, views / 3, views / 6, views, 2.5, 0 FROM admin_hits_daytotals"
)
VISIT_LENGTHS = (
    "INSERT INTO admin_hits_visitlengths (date, minutes, visits, site) "
    "SELECT date, m, 1 + visits / (m + 1), 0 FROM admin_hits_visittotals, "
    "generate_series(0, 59) AS m"
)
DOWNLOADS = (
    "INSERT INTO admin_hits_downloadhits (date, path, path_hash, content_type_id, object_id, "
    "downloads, requests, site) SELECT current_date - d, '/media/file-' || f || '.pdf', "
    "md5('/media/file-' || f || '.pdf'), NULL, '', 1 + (random() * 40)::int, "
    "2 + (random() * 80)::int, 0 FROM generate_series(1, %s) AS f, generate_series(1, %s) AS d"
)
TABLES = [
    "admin_hits_hits", "admin_hits_pathhits", "admin_hits_audiencehits", "admin_hits_hourhits",
    "admin_hits_objectaudience",
    "admin_hits_aicrawlerhits", "admin_hits_landinghits",
    "admin_hits_landingreferrerhits", "admin_hits_visittotals", "admin_hits_visitlengths",
    "admin_hits_downloadhits",
]  # fmt: skip


def rows_per_day(days: int) -> None:
    """Each table's rows per day (the site's and the objects'), and its size on disk."""
    from django.db import connection

    print(f"\n{'table':32} {'rows/day':>10} {'site':>6} {'objects':>9} {'per object':>10} "
          f"{'total':>12} {'on disk':>9}")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM testapp_article")
        objects = cursor.fetchone()[0]
        for table in TABLES:
            cursor.execute(f"SELECT count(*), count(DISTINCT date) FROM {table}")  # noqa: S608
            total, dated = cursor.fetchone()
            has_object = table not in ("admin_hits_visittotals", "admin_hits_visitlengths")
            site = 0
            if has_object:
                cursor.execute(f"SELECT count(*) FROM {table} WHERE content_type_id IS NULL")  # noqa: S608
                site = cursor.fetchone()[0]
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            size = cursor.fetchone()[0] / 2**20
            per_day = total / max(dated, 1)
            site_day = site / max(dated, 1)
            object_day = per_day - site_day
            print(f"{table:32} {per_day:10,.0f} {site_day:6,.0f} {object_day:9,.0f} "
                  f"{object_day / objects:10.1f} {total:12,} {size:7,.0f} MiB")  # fmt: skip


def pages() -> list[tuple[str, str]]:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from django.utils import timezone

    from tests.testapp.models import Article

    article = Article.objects.order_by("pk")[500]
    ct = ContentType.objects.get_for_model(Article).pk
    report = reverse("admin:admin_hits_report") + "?period=30d"
    drill = reverse("admin:admin_hits_object", args=[ct, str(article.pk)]) + "?period=30d"
    # A range of no whole month: its landing pages are summed from the days, as before.
    start, end = (timezone.localdate() - datetime.timedelta(days=d) for d in (29, 1))
    custom = f"{reverse('admin:admin_hits_report')}?start={start}&end={end}"
    return [
        ("30-day report, Overview (landing pages, downloads)", report),
        ("article drill-down, Overview (its landings)", drill),
        ("29-day custom range, Overview (landing pages summed)", custom),
        ("30-day report, Audience tab", f"{report}&tab=audience"),
        ("30-day report, Technical tab (AI crawlers)", f"{report}&tab=technical"),
        ("30-day report, Content tab (read by AI crawlers)", f"{report}&tab=content"),
        ("article drill-down, Audience tab", f"{drill}&tab=audience"),
        ("30-day report, Audience tab, last month", report.replace("30d", "last-month")
         + "&tab=audience"),
    ]  # fmt: skip


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--objects", type=int, default=10_000)
    options.add_argument("--days", type=int, default=30)
    options.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = options.parse_args()
    setup(args.keep)
    pg_volume.load(args.objects, args.days)
    load_audience(args.days)
    rows_per_day(args.days)
    pg_volume.refresh(True)
    pg_volume.pages = pages  # measured as pg_volume measures its pages
    pg_volume.measure()


if __name__ == "__main__":
    main()
