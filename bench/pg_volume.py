"""PostgreSQL at volume: 10 million ``Hits`` rows over 100,000 objects, and the query plans of
the admin's pages on them.

    .venv/bin/python bench/pg_volume.py [--objects 100000] [--days 100] [--keep]

Creates (or reuses, with ``--keep``) the database ``admin_hits_bench`` on
``postgres://postgres@127.0.0.1:5432`` (override with ``DATABASE_URL``), migrates it, loads
``objects`` articles with ``days`` daily rows each (10M by default) with SQL ``generate_series``,
then renders, as a superuser, the 30-day traffic report, an article's change page (the hits
inline) and the article changelist (hit columns), and for each SELECT they ran prints its time
and whether its plan uses an index (``EXPLAIN ANALYZE``). Goal: each query under 100 ms.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SERVER = "postgres://postgres@127.0.0.1:5432"


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

    from admin_hits.models import Hits
    from tests.testapp.models import Article

    if Hits.objects.exists():
        print(f"reusing {Hits.objects.count():,} Hits rows")
        return
    started = time.perf_counter()
    ct = ContentType.objects.get_for_model(Article).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO testapp_article (id, title, slug) SELECT i, 'Article ' || i, 'a-' || i "
            "FROM generate_series(1, %s) AS i",
            [objects],
        )
        cursor.execute(
            "INSERT INTO admin_hits_hits (date, views, bot_views, visitors, content_type_id, "
            "object_id) SELECT current_date - d, (random() * 500)::int, (random() * 50)::int, "
            "(random() * 300)::int, %s, o::text "
            "FROM generate_series(1, %s) AS d, generate_series(1, %s) AS o",
            [ct, days, objects],
        )
        cursor.execute("ANALYZE")
    print(f"loaded {objects * days:,} Hits rows in {time.perf_counter() - started:,.0f} s")


def explain(sql: str, params: object) -> tuple[float, bool, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT TEXT) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    text = "\n".join(plan)
    total = float(plan[-1].split(":")[1].strip().split()[0])  # "Execution Time: 1.234 ms"
    return total, "Index" in text, plan[0].strip()[:90]


def pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from tests.testapp.models import Article

    article = Article.objects.order_by("pk")[500]
    return [
        ("30-day traffic report", reverse("admin:admin_hits_report") + "?period=30d"),
        ("article change page (inline)", reverse("admin:testapp_article_change",
                                                 args=[article.pk])),
        ("article changelist (columns)", reverse("admin:testapp_article_changelist")),
        ("Hits changelist", reverse("admin:admin_hits_hits_changelist")),
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
            if not sql.lstrip().upper().startswith("SELECT") or "django_session" in sql:
                continue
            # Re-run with the parameters inlined by Django's own formatting of the query.
            ms, indexed, top = explain(sql, None)
            worst = max(worst, ms)
            print(f"  {ms:8.1f} ms  {'index' if indexed else 'NO INDEX':8}  {top}")
    print(f"\nslowest query: {worst:,.1f} ms (goal: under 100 ms)")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--objects", type=int, default=100_000)
    options.add_argument("--days", type=int, default=100)
    options.add_argument("--keep", action="store_true", help="reuse the loaded database")
    args = options.parse_args()
    setup(args.keep)
    load(args.objects, args.days)
    measure()


if __name__ == "__main__":
    main()
