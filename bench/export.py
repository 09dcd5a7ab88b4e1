"""How fast the ``Hits`` and ``PathHits`` changelists' CSV export streams, and in how much memory.

    .venv/bin/python bench/export.py [--objects 10000] [--days 100] [--keep FILE]
    .venv/bin/python bench/export.py --postgres [postgres://postgres@127.0.0.1:5432/bench]

Builds the tables of bench/report.py (``objects`` x ``days`` ``Hits`` rows: 1,000,000 by
default, as many ``PathHits`` rows and a few hundred unmatched paths per day) in a SQLite file
(temporary unless ``--keep``) or, with ``--postgres``, in the PostgreSQL database given (its
default: the ``bench`` database on localhost). Then, as a superuser through Django's test client,
it posts the changelist's export form with every column chosen and reads the streamed file to
the end, for every row and for the rows of one month; prints rows/s (wall and CPU), the size
of the file, and the process's peak RSS during the export (``VmHWM``, reset before each run
through ``/proc/self/clear_refs``) beside its RSS before it. For comparison it times
django-import-export's own export (the resource's ``export()``, which builds the file in
memory) on the first 30,000 rows. The goal: at least 50,000 rows/s with flat memory.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import build, setup_django  # noqa: E402  (bench/report.py: the same tables)

GOAL = 50_000
COMPARED_ROWS = 30_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--unmatched", type=int, default=300, help="unmatched paths per day")
    parser.add_argument("--keep", type=Path, help="SQLite file to build once and reuse")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="postgres://postgres@127.0.0.1:5432/bench",
        help="PostgreSQL URL (default: the bench database on localhost)",
    )
    return parser.parse_args()


def memory_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux 4.0+)


def export(client, model: str, query: str) -> tuple[int, int, float, float, float, float]:
    """Rows, bytes, wall and CPU seconds, RSS before and peak RSS of one streamed export."""
    from django.forms import BooleanField
    from django.urls import reverse

    url = reverse(f"admin:admin_hits_{model}_export") + query
    form = client.get(url).context["form"]
    data = {"format": "0", "resource": "0"}
    data.update({name: "on" for name, f in form.fields.items() if isinstance(f, BooleanField)})
    before = memory_mib("VmRSS")
    reset_peak()
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.post(url, data)
    assert response.status_code == 200 and response.streaming, response.status_code
    rows = size = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\n")
        size += len(chunk)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return rows - 1, size, wall, cpu, before, memory_mib("VmHWM")


def compared(model: type) -> tuple[int, float]:
    """django-import-export's in-memory export of the first rows: rows, seconds."""
    from admin_hits.admin.resources import HitsResource

    queryset = model.objects.order_by("-date", "-views")[:COMPARED_ROWS]
    started = time.perf_counter()
    dataset = HitsResource().export(queryset=queryset)
    dataset.csv  # noqa: B018  (the text, as the admin's response builds it)
    return len(dataset), time.perf_counter() - started


def main() -> None:
    args = parse_args()
    if args.postgres:
        os.environ["DATABASE_URL"] = args.postgres
    setup_django(args)
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from admin_hits.models import Hits

    setup_test_environment()  # the export form from the response's context

    rows, seconds = build(args)
    settings.ALLOWED_HOSTS = ["testserver"]
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.com", "bench"
    )
    client = Client()
    client.force_login(user)
    last = Hits.objects.order_by("-date").values_list("date", flat=True).first()
    month = last.replace(day=1)
    after = (month + datetime.timedelta(days=32)).replace(day=1)
    one_month = f"?date__gte={month.isoformat()}&date__lt={after.isoformat()}"
    built = f"built in {seconds:.0f} s" if seconds else "reused"
    print(f"{rows:,} Hits rows over {args.objects:,} objects, {args.days} days ({built})")
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}\n")
    print(f"{'export':<26}{'rows':>11}{'MiB':>7}{'rows/s wall':>13}{'rows/s CPU':>12}"
          f"{'RSS before':>12}{'peak RSS':>10}")  # fmt: skip
    for model in ("hits", "pathhits"):
        for label, query in (("all", ""), ("one month", one_month)):
            n, size, wall, cpu, before, peak = export(client, model, query)
            print(f"{model + ', ' + label:<26}{n:>11,}{size / 2**20:>7.0f}{n / wall:>13,.0f}"
                  f"{n / cpu:>12,.0f}{before:>9.0f} MiB{peak:>6.0f} MiB")  # fmt: skip
            if label == "all":
                verdict = "meets" if n / wall >= GOAL else "MISSES"
                print(f"  -> {verdict} the goal of {GOAL:,} rows/s; memory grew by "
                      f"{peak - before:.0f} MiB over {n:,} rows")  # fmt: skip
    n, taken = compared(Hits)
    print(
        f"\ndjango-import-export's own export, first {n:,} Hits rows: {taken:.1f} s, "
        f"{n / taken:,.0f} rows/s (the file built in memory)"
    )


if __name__ == "__main__":
    main()
