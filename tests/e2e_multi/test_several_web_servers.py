"""Three web servers, each with its own pipe, counting into one two-node memcached cluster;
then the nightly parse merges the three servers' files."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from admin_hits.live.hours import without_hours
from admin_hits.live.stores.memcached import MemcachedStore
from admin_hits.logs import Aggregator, ViewRules
from admin_hits.models import PathHits
from tests.helpers import combined, write_log

pytestmark = [pytest.mark.services, pytest.mark.django_db]

DAY = datetime.date(2026, 11, 28)
TZ = "Europe/Berlin"
PATHS = [*(f"/articles/a{i}/" for i in range(40)), "/", "/about/", "/static/site.css"]


def server_lines(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [
        combined(rng.choice(PATHS), f"28/Nov/2026:{rng.randrange(24):02d}:{rng.randrange(60):02d}"
                 ":00 +0100", status=rng.choice([200, 200, 200, 304, 404]),
                 ip=f"198.51.100.{rng.randrange(1, 250)}")
        for _ in range(count)
    ]  # fmt: skip


def core_views(lines: list[str]) -> dict[str, int]:
    """What the log core counts: the figures the live store must hold."""
    rules = ViewRules(excluded_prefixes=("/static/", "/media/"))
    aggregator = Aggregator(tz=zoneinfo.ZoneInfo(TZ), rules=rules)
    aggregator.feed(line.encode() for line in lines)
    views: dict[str, int] = {}
    for (day, path), n in aggregator.take().views.items():
        assert day == DAY
        views[path] = views.get(path, 0) + n
    return views


def total(*counts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for count in counts:
        for path, n in count.items():
            out[path] = out.get(path, 0) + n
    return out


def run_pipe(start_pipe, url: str, lines: list[str]) -> None:
    pipe = start_pipe("--store", url, "--time-zone", TZ, "--no-supervisor",
                      "--flush-interval", "0.2", "--status-interval", "0")  # fmt: skip
    pipe.send("".join(lines))
    assert pipe.close(timeout=20) == 0, pipe.stderr


def test_three_servers_two_memcached_nodes(tmp_path: Path, start_memcached, start_pipe) -> None:
    one, two = start_memcached(), start_memcached()
    url = f"memcached://{one.host}:{one.port},{two.host}:{two.port}"
    store = MemcachedStore([one.address, two.address], prefix="hits", timeout=0.5)
    logs = {f"web{i}": server_lines(i, 1500) for i in (1, 2, 3)}
    for lines in logs.values():
        run_pipe(start_pipe, url, lines)
    expected = total(*(core_views(lines) for lines in logs.values()))
    assert store.get_many(DAY, PATHS) == expected
    assert without_hours(store.day(DAY)) == expected

    # Node two goes down: the pipes keep counting on node one; node two's share goes missing.
    two.stop()
    extra = server_lines(4, 600)
    run_pipe(start_pipe, url, extra)
    store_one = MemcachedStore([one.address], prefix="hits", timeout=0.5)
    on_one = store_one.get_many(DAY, PATHS)
    grown = {p: n for p, n in on_one.items() if n > expected.get(p, 0)}
    assert grown, "node one kept counting"
    assert all(on_one[p] == n for p, n in total(expected, core_views(extra)).items() if p in grown)

    # The nightly parse has every view, from the three servers' files, whatever the store lost.
    pattern = str(tmp_path / "logs" / "{host}" / "%Y" / "%m" / "%d" / "access.log")
    logs["web1"] += extra
    for host, lines in logs.items():
        write_log(Path(DAY.strftime(pattern.replace("{host}", host))), lines)
    with override_settings(ADMIN_HITS_ACCESS_LOG=pattern):
        call_command("parse_log", "--date", DAY.isoformat(), stdout=StringIO())
    stored = {row.path: row.views + row.bot_views for row in PathHits.objects.filter(date=DAY)}
    assert stored == total(*(core_views(lines) for lines in logs.values()))
