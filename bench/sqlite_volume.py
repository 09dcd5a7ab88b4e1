"""Every page of the app at a million rows on SQLite (or PostgreSQL): which stay under 2 s.

    .venv/bin/python bench/sqlite_volume.py [--objects 10000] [--days 100] [--keep FILE]
    .venv/bin/python bench/sqlite_volume.py --objects 1500 --days 731 --totals   # 1.1M, 2 years
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/sqlite_volume.py

Builds (or reuses, with ``--keep``) the tables of bench/report.py: ``objects`` x ``days``
``Hits`` rows, as many ``PathHits`` rows and a few hundred unmatched paths per day, without day
or period totals unless ``--totals`` (then ``parse_log``'s refresh of the standard periods
runs first, as the nightly import leaves them, and its time is printed: the first run also
computes the month totals of every finished month). Then, as a superuser, it renders the
report in a standard period, in a custom range of every day (each tab) and in one of 731 days
(the longest there is) ending on the last day, the drill-down page of
the most viewed object, the ``Hits`` and ``PathHits`` changelists plain, searched and drilled
down by date, and prints each page's median time of ``repeat`` runs, its query count and its
slowest query, marking the pages over the goal of 2 s.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import build, measure, setup_django  # noqa: E402  (bench/report.py)

GOAL_SECONDS = 2.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--unmatched", type=int, default=300, help="unmatched paths per day")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    parser.add_argument("--totals", action="store_true", help="compute the period totals first")
    return parser.parse_args()


def pages(client, first, last, top) -> list[tuple[str, Callable[[], object]]]:
    from django.urls import reverse

    from admin_hits.report.objects import report_url_for

    report, drill = reverse("admin:admin_hits_report"), report_url_for("admin", top)
    custom = {"period": "custom", "start": first.isoformat(), "end": last.isoformat()}
    longest = {**custom, "start": (last - datetime.timedelta(days=730)).isoformat()}
    hits = reverse("admin:admin_hits_hits_changelist")
    paths = reverse("admin:admin_hits_pathhits_changelist")
    month = {"date__year": last.year, "date__month": last.month}
    return [
        ("report, 30 days", lambda: client.get(report, {"period": "30d"})),
        ("report, custom, overview", lambda: client.get(report, custom)),
        ("report, custom, sources", lambda: client.get(report, {**custom, "tab": "sources"})),
        ("report, custom, technical", lambda: client.get(report, {**custom, "tab": "technical"})),
        ("report, custom, page 10**6", lambda: client.get(report, {**custom, "pages-page": 10**6})),
        ("report, 731 days, overview", lambda: client.get(report, longest)),
        ("report, 731 days, page 10**6", lambda: client.get(
            report, {**longest, "objects-page": 10**6, "pages-page": 10**6})),
        ("drill-down, custom", lambda: client.get(drill, custom)),
        ("objects CSV, custom", lambda: client.get(
            reverse("admin:admin_hits_report_export", args=["objects"]), custom)),
        ("Hits changelist", lambda: client.get(hits)),
        ("Hits, a month", lambda: client.get(hits, month)),
        ("Hits, ?q=<object id>", lambda: client.get(hits, {"q": top.pk})),
        ("Hits, ?q=<title words>", lambda: client.get(hits, {"q": "Article 12"})),
        ("PathHits changelist", lambda: client.get(paths)),
        ("PathHits, a month", lambda: client.get(paths, month)),
        ("PathHits, ?q=<path part>", lambda: client.get(paths, {"q": "article-12"})),
        ("PathHits, ?q=<no match>", lambda: client.get(paths, {"q": "nothing-like-it"})),
    ]  # fmt: skip


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    from admin_hits.models import Hits
    from tests.testapp.models import Article

    rows, seconds = build(args)
    refreshed = ""
    if args.totals:
        from admin_hits.nightly.period_totals import refresh

        started = time.perf_counter()
        refresh()
        refreshed = f" (refreshed in {time.perf_counter() - started:.1f} s)"
    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench"
    )
    client = Client()
    client.force_login(user)
    first = Hits.objects.order_by("date").values_list("date", flat=True).first()
    last = Hits.objects.order_by("-date").values_list("date", flat=True).first()
    top = Article.objects.get(pk=Hits.objects.order_by("-views").first().object_id)
    built = f"built in {seconds:.0f} s" if seconds else "reused"
    print(f"{rows:,} Hits rows over {args.objects:,} objects, {args.days} days ({built})")
    totals = "yes" if args.totals else "no"
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
          f"period totals: {totals}{refreshed}; median of {args.repeat}\n")  # fmt: skip
    print(f"{'page':<30}{'time':>10}{'queries':>9}   slowest query")
    over = []
    for name, get in pages(client, first, last, top):
        median, queries, slow, sql = measure(get, args.repeat)
        mark = " *" if median > GOAL_SECONDS else ""
        print(f"{name:<30}{median * 1000:>8.0f} ms{queries:>9}   {slow * 1000:.0f} ms: {sql}{mark}")
        if mark:
            over.append(name)
    print(
        f"\n{len(over)} pages over {GOAL_SECONDS:.0f} s" + (f": {', '.join(over)}" if over else "")
    )


if __name__ == "__main__":
    main()
