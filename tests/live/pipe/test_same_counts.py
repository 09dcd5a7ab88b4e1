"""The pipe counts exactly like ``parse_log``: one table of lines through both, and the core."""

from __future__ import annotations

import datetime
import os
import threading
from collections import Counter
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from admin_hits.conf import view_rules
from admin_hits.live.hours import PREFIX as HOURS
from admin_hits.live.pipe.config import build_parser, resolve
from admin_hits.live.pipe.worker import Worker
from admin_hits.logs import Aggregator
from admin_hits.models import LiveHits, PathHits, path_hash
from tests.helpers import SHARED_LOG
from tests.live.pipe.lines import LINES

DAY = datetime.date(2026, 11, 28)
TESTS = {"DJANGO_SETTINGS_MODULE": "tests.settings"}


def core() -> Aggregator:
    return Aggregator("combined", tz=ZoneInfo("Europe/Berlin"), rules=view_rules())


def run_worker(data: bytes, *args: str) -> Worker:
    """The worker in this process, reading ``data`` from a real pipe until EOF."""
    config = resolve(build_parser().parse_args(["--store", "db", *args]), TESTS)
    read, write = os.pipe()
    writer = os.fdopen(write, "wb")
    try:
        worker = Worker(config, stderr=StringIO(), fd=read)
        # Fill the pipe from a thread: the data may be larger than the pipe buffer.
        feeder = threading.Thread(target=lambda: (writer.write(data), writer.close()))
        feeder.start()
        assert worker.run() == 0
        feeder.join(timeout=10)
    finally:
        os.close(read)
    return worker


@pytest.mark.parametrize(("line", "kind", "reason", "path"), LINES, ids=range(len(LINES)))
def test_the_core_verdict_of_each_line(line: str, kind: str, reason: str, path: str) -> None:
    verdict = core().verdict(line.encode())
    assert (verdict.kind, verdict.reason, verdict.path) == (kind, reason, path)


@pytest.mark.django_db(transaction=True)
def test_pipe_and_parse_log_count_the_table_alike(tmp_path: Path) -> None:
    expected: Counter[tuple[datetime.date, str]] = Counter()
    for line, *_ in LINES:
        verdict = core().verdict(line.encode())
        if verdict.kind == "view" and verdict.bot is None:  # the live store holds human views
            expected[verdict.date, verdict.path] += 1
    data = "".join(line for line, *_ in LINES).encode()

    worker = run_worker(data)
    paths = LiveHits.objects.exclude(path__startswith=HOURS)
    live = {(row.date, row.path_hash): row.views for row in paths}
    assert live == {(day, path_hash(path)): n for (day, path), n in expected.items()}
    # The site's views per hour of the day, beside them: the same views again.
    hours = LiveHits.objects.filter(path__startswith=HOURS)
    assert sum(row.views for row in hours) == sum(expected.values())
    assert worker.totals.lines == len(LINES)

    log = tmp_path / "access.log"
    log.write_bytes(data)
    call_command("parse_log", str(log), "--date", DAY.isoformat(), stdout=StringIO())
    # Paths only bots viewed have rows too (views 0, bot_views > 0): compare human views.
    nightly = {r.path_hash: r.views for r in PathHits.objects.filter(date=DAY) if r.views}
    assert nightly == {path_hash(p): n for (day, p), n in expected.items() if day == DAY}


@pytest.mark.django_db(transaction=True)
def test_pipe_counts_the_real_log_like_the_core(tmp_path: Path) -> None:
    if not SHARED_LOG.exists():
        pytest.skip(f"the shared sample log is not in {SHARED_LOG.parent}")
    data = SHARED_LOG.read_bytes()
    aggregator = core()
    aggregator.feed(data.splitlines(keepends=True))
    expected = aggregator.take()
    worker = run_worker(data)
    paths = LiveHits.objects.exclude(path__startswith=HOURS)
    live = {(row.date, row.path_hash): row.views for row in paths}
    assert live == {(day, path_hash(path)): n for (day, path), n in expected.views.items()}
    assert worker.totals.lines == expected.lines == 10_000
    assert worker.totals.views == expected.views_total
