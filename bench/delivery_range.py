"""How long "Slow pages" and the response-time figures of a long custom range take: from
every day's sketches, and from the stored month sketches with the range's edge days.

    .venv/bin/python bench/delivery_range.py [--pages 500] [--days 365] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/delivery_range.py

Writes ``pages`` ``PageDelivery`` rows a day for ``days`` days ending yesterday (and the site's
``SiteDelivery`` row), each with a sketch of 80 to 200 bins as ``parse_log`` stores them, into
a temporary SQLite file (or the database of ``DATABASE_URL``). Then, for a custom range of the
``days`` days up to yesterday, it prints the CPU and wall seconds (best of ``repeat``) of
``slow_pages`` and ``site_figures`` read (a) from the days (no month stored: as before month
sketches, and as the report does until the first refresh) and (b) from the months, and the time
of the refresh that computes the months (the first one after the upgrade computes them all;
later, one a month). The rows of (a) and (b) are compared: they must be equal.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import insert, setup_django  # noqa: E402  (bench/report.py)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="SQLite file (not reused: bench/report.py's)")
    return parser.parse_args()


def build(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from admin_hits.logs.sketches import bin_of, encode, percentiles
    from admin_hits.models import PageDelivery, PathHits, SiteDelivery, path_hash
    from tests.admin.factories import days_ago

    call_command("migrate", verbosity=0)
    for model in (PageDelivery, SiteDelivery, PathHits):
        model.objects.all().delete()
    rng = random.Random(1)
    # A pool of sketches (encoding is not what is measured; decoding each row is).
    pool = []
    for _ in range(64):
        scale = rng.choice([40, 80, 300, 900])
        bins = Counter(bin_of(rng.lognormvariate(math.log(scale), 0.9))
                       for _ in range(rng.randrange(200, 2000)))  # fmt: skip
        pool.append((sum(bins.values()), encode(bins), percentiles(bins)))
    paths = [f"/articles/article-{n}/" for n in range(args.pages)]

    def pages() -> Iterator[PageDelivery]:
        for day in range(1, args.days + 1):
            for path in paths:
                requests, sketch, found = rng.choice(pool)
                yield PageDelivery(date=days_ago(day), path=path, path_hash=path_hash(path),
                                   requests=requests, bytes=requests * 20_000, sketch=sketch,
                                   **found)  # fmt: skip

    insert(PageDelivery, pages())
    site = [SiteDelivery(date=days_ago(day), requests=pool[0][0], bytes=10**9, sketch=pool[0][1],
                         **pool[0][2]) for day in range(1, args.days + 1)]  # fmt: skip
    insert(SiteDelivery, iter(site))
    insert(PathHits, iter([PathHits(date=days_ago(args.days), path="/", path_hash=path_hash("/"),
                                    views=1)]))  # fmt: skip


def best(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    cpu, wall, result = math.inf, math.inf, None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        cpu = min(cpu, time.process_time() - started_cpu)
        wall = min(wall, time.perf_counter() - started)
    return cpu, wall, result


def main() -> None:
    args = parse_args()
    setup_django(args)
    from admin_hits.models import MonthTotals, periods
    from admin_hits.nightly import period_totals
    from admin_hits.report.delivery import queries as delivery_queries
    from admin_hits.report.scope import Scope
    from tests.admin.factories import days_ago, today

    build(args)

    def scope() -> Scope:  # a new one each run: no memo carried over
        period = periods.custom(today(), days_ago(args.days), days_ago(1))
        return Scope(period, periods.previous(period))

    def both() -> tuple[object, object]:
        found = scope()
        return delivery_queries.slow_pages(found), delivery_queries.site_figures(found)

    MonthTotals.objects.all().delete()
    rows = [("(a) from the days", *best(both, args.repeat))]
    refresh = best(period_totals.refresh, 1)
    rows.append(("(b) from the months", *best(both, args.repeat)))
    print(f"{args.pages} pages x {args.days} days; a {args.days}-day custom range")
    print(f"{'':28} {'CPU s':>7} {'wall s':>7} {'ratio':>6}")
    for name, cpu, wall, _ in rows:
        print(f"{name:28} {cpu:7.3f} {wall:7.3f} {cpu / rows[0][1]:6.3f}")
    months = MonthTotals.objects.count()
    print(f"{'refresh (' + str(months) + ' months)':28} {refresh[0]:7.3f} {refresh[1]:7.3f}")
    print("same rows and figures:", rows[0][3] == rows[1][3], time.strftime("%H:%M:%S"))


if __name__ == "__main__":
    main()
