"""The editorial figures at volume on PostgreSQL: launch curves, recent launches, stale content,
the trending filter and the chart marks, on ``pg_volume``'s 10 million ``Hits`` rows over
100,000 articles, each added in the admin (a ``LogEntry`` addition: its publication day).

    .venv/bin/python bench/editorial_volume.py [--objects 100000] [--days 100] [--keep]
        [--without-launches]

Uses the database named by ``EDITORIAL_BENCH_DB`` (default ``editorial``) on
``postgres://postgres@127.0.0.1:5432`` (``ADMIN_HITS_BENCH_POSTGRES`` names another server),
loads it as ``pg_volume`` does, adds the articles' admin log, stores the launches as
``parse_log`` does (not with ``--without-launches``: then the pages read the daily rows and
the admin's log), then renders each page as a superuser and prints each query's time and
whether its plan uses an index (``EXPLAIN ANALYZE``). Goal: each query under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import pg_volume  # noqa: E402

NAME = os.environ.get("EDITORIAL_BENCH_DB", "editorial")


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


# Article o was added o % 120 days ago at 9:00; article 501 was edited twice since.
ADDITIONS = (
    "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, "
    "change_message, content_type_id, user_id) "
    "SELECT (current_date - (o %% 120))::timestamptz + interval '9 hours', o::text, "
    "'Article ' || o, 1, '', %s, %s FROM generate_series(1, %s) AS o"
)
CHANGES = (
    "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, "
    "change_message, content_type_id, user_id) "
    "SELECT current_date - d + interval '11 hours', '501', 'Article 501', 2, "
    '\'[{"changed": {"fields": ["Title"]}}]\', %s, %s FROM generate_series(3, 20, 17) AS d'
)


def load_log(objects: int) -> None:
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from tests.testapp.models import Article

    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench"
    )
    ct = ContentType.objects.get_for_model(Article).pk
    if LogEntry.objects.exists():
        return
    with connection.cursor() as cursor:
        cursor.execute(ADDITIONS, [ct, user.pk, objects])
        cursor.execute(CHANGES, [ct, user.pk])
        cursor.execute("ANALYZE django_admin_log")
    print(f"{LogEntry.objects.count():,} admin log entries")


def refresh_launches() -> None:
    """The stored launches, as ``parse_log`` keeps them: all of them (the first run), then a
    night's (yesterday's rows written again)."""
    import datetime
    import time

    from django.utils import timezone

    from admin_hits.nightly import launches

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for label, first in (("all", None), ("a night", yesterday)):
        started = time.perf_counter()
        if first is not None:
            launches.invalidate(first)
        counted = launches.refresh()
        elapsed = time.perf_counter() - started
        print(f"launches stored, {label} ({counted:,} counted): {elapsed:,.1f} s")


def pages() -> list[tuple[str, str]]:
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from tests.testapp.models import Article

    ct = ContentType.objects.get_for_model(Article).pk
    report = reverse("admin:admin_hits_report")
    export = reverse("admin:admin_hits_report_export", args=["launches"])
    articles = reverse("admin:testapp_article_changelist")
    drill = reverse("admin:admin_hits_object", args=[ct, "501"])
    return [
        ("article drill-down (launch, band, marks)", f"{drill}?period=30d"),
        ("article drill-down as JSON", f"{drill}?period=30d&format=json"),
        ("30-day report (chart marks)", f"{report}?period=30d"),
        ("content tab: recent launches, stale", f"{report}?period=30d&tab=content"),
        ("recent launches table (its CSV)", f"{export}?period=30d"),
        ("7-day content tab", f"{report}?period=7d&tab=content"),
        ("404 tab (suggestions)", f"{report}?period=30d&tab=technical"),
        ("article changelist, trending", f"{articles}?hits=trending"),
        ("article changelist, no views in 30 days", f"{articles}?hits=none-30-days"),
        ("article changelist by views today", f"{articles}?o=-2"),
    ]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--objects", type=int, default=100_000)
    options.add_argument("--days", type=int, default=100)
    options.add_argument("--keep", action="store_true", help="reuse the loaded database")
    options.add_argument(
        "--without-launches", action="store_true",
        help="store no launches: the pages read the daily rows and the admin's log",
    )  # fmt: skip
    args = options.parse_args()
    setup(args.keep)
    pg_volume.load(args.objects, args.days)
    load_log(args.objects)
    pg_volume.refresh(True)
    if not args.without_launches:
        refresh_launches()
    pg_volume.pages = pages
    pg_volume.measure()


if __name__ == "__main__":
    main()
