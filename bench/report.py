"""How long the traffic report takes to render, and in how many queries, on a large table.

    .venv/bin/python bench/report.py [--objects 10000] [--days 100] [--repeat 3] [--keep FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/report.py

Builds ``objects`` articles and one ``Hits`` row per object per day for ``days`` days ending
yesterday (10,000 x 100 = 1,000,000 rows), the same again in ``PathHits`` (each object's page)
plus a few hundred unmatched paths, bulk-inserted day by day as ``parse_log`` writes them, into
a SQLite file (a temporary one unless ``--keep``; kept files are reused when they hold the same
data) or the database of
``DATABASE_URL``. Then, through Django's test client as a superuser, it renders the 30-day
report, the report of today (live store: the database), the drill-down page of the most viewed
object and the CSV export of every object, and prints for each the median render time of
``repeat`` runs and the number of queries, with the slowest query. The report's goal:
at most 15 queries, whatever the number of rows.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERY_GOAL = 15


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--unmatched", type=int, default=300, help="unmatched paths per day")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    if "DATABASE_URL" not in os.environ:
        path = args.keep or Path(tempfile.mkdtemp(prefix="admin-hits-bench-")) / "report.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def views(rng: random.Random, rank: int) -> int:
    """A long tail: a few objects get most of the views."""
    return max(0, int(5000 / (rank + 1) ** 0.8 * rng.uniform(0.5, 1.5)))


def build(args: argparse.Namespace) -> tuple[int, float]:
    """Fill the tables (unless they already hold this data); the number of Hits rows, seconds."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from admin_hits.models import Hits, PathHits, path_hash
    from tests.testapp.models import Article

    call_command("migrate", verbosity=0)
    expected = args.objects * args.days
    if Hits.objects.count() == expected and Article.objects.count() == args.objects:
        return expected, 0.0
    started = time.perf_counter()
    Hits.objects.all().delete()
    PathHits.objects.all().delete()
    Article.objects.all().delete()
    Article.objects.bulk_create(
        (Article(title=f"Article {n}", slug=f"article-{n}") for n in range(args.objects)),
        batch_size=5000,
    )
    ct = ContentType.objects.get_for_model(Article)
    articles = list(Article.objects.order_by("pk").values_list("pk", "slug"))
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    days = [yesterday - datetime.timedelta(days=n) for n in range(args.days)]
    rng = random.Random(20261129)

    # Day by day, oldest first, as parse_log writes them: a day's rows lie together in the
    # table, which is what reading a range of days along the date index finds.
    def hits() -> Iterator[Hits]:
        for day in reversed(days):
            for rank, (pk, _slug) in enumerate(articles):
                yield Hits(date=day, views=views(rng, rank), content_type=ct, object_id=str(pk))

    pages = [(f"/articles/{slug}/", pk) for pk, slug in articles]
    digests = {path: path_hash(path) for path, _pk in pages}

    def paths() -> Iterator[PathHits]:
        for day in reversed(days):
            for rank, (path, pk) in enumerate(pages):
                yield PathHits(date=day, path=path, path_hash=digests[path], views=views(rng, rank),
                               content_type=ct, object_id=str(pk))  # fmt: skip
            for n in range(args.unmatched):
                path = f"/search/page-{n}/"
                yield PathHits(date=day, path=path, path_hash=path_hash(path), views=n % 50 + 1)

    insert(Hits, hits())
    insert(PathHits, paths())
    return expected, time.perf_counter() - started


def insert(model: type, rows: Iterator, chunk: int = 20_000) -> None:
    from django.db import transaction

    batch: list = []
    with transaction.atomic():
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                model.objects.bulk_create(batch, batch_size=2000)
                batch.clear()
        model.objects.bulk_create(batch, batch_size=2000)


def measure(get: Callable[[], object], repeat: int) -> tuple[float, int, float, str]:
    """Median seconds, queries of one run, and the slowest query's seconds and start."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    get()  # warm: content types, templates, the session
    times: list[float] = []
    counts: list[list[dict]] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as run:
            started = time.perf_counter()
            response = get()
            content = getattr(response, "streaming_content", None)
            if content is not None:
                for _chunk in content:
                    pass
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        counts.append(run.captured_queries)
    captured = counts[-1]
    slowest = max(captured, key=lambda q: float(q["time"]))
    return statistics.median(times), len(captured), float(slowest["time"]), slowest["sql"][:90]


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from admin_hits.models import Hits
    from admin_hits.report.objects import report_url_for
    from tests.testapp.models import Article

    rows, seconds = build(args)
    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench"
    )
    client = Client()
    client.force_login(user)
    report = reverse("admin:admin_hits_report")
    top = Hits.objects.order_by("-views").first()
    top_object = Article.objects.get(pk=top.object_id)
    pages: list[tuple[str, Callable[[], object]]] = [
        ("report, last 30 days", lambda: client.get(report)),
        ("report, today (live)", lambda: client.get(report, {"period": "today"})),
        ("drill-down, last 30 days", lambda: client.get(report_url_for("admin", top_object))),
        (
            "CSV of every object, 30 days",
            lambda: client.get(reverse("admin:admin_hits_report_export", args=["objects"])),
        ),
    ]
    vendor = f"{connection.vendor} {connection.settings_dict['NAME']}"
    built = f"built in {seconds:.1f} s" if seconds else "reused"
    print(f"{rows:,} Hits rows over {args.objects:,} objects, {args.days} days ({built})")
    print(f"database: {vendor}; median of {args.repeat} runs\n")
    print(f"{'page':<32}{'time':>10}{'queries':>9}   slowest query")
    for name, get in pages:
        median, queries, slow, sql = measure(get, args.repeat)
        print(f"{name:<32}{median * 1000:>8.0f} ms{queries:>9}   {slow * 1000:.0f} ms: {sql}")
        if name.startswith("report, last 30"):
            verdict = "within" if queries <= QUERY_GOAL else "ABOVE"
            report_line = f"  -> {queries} queries, {verdict} the goal of {QUERY_GOAL}"
    print(report_line)


if __name__ == "__main__":
    main()
