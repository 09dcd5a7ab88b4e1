"""``parse_log --jobs N`` gives exactly the rows of ``--jobs 1``."""

from __future__ import annotations

import os
import random
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from admin_hits import parallel
from admin_hits.exceptions import LogFileError
from admin_hits.logfiles import byte_ranges, read_range
from admin_hits.logs.days import ROBOTS_BOT
from admin_hits.models import PathHits
from tests.classification.test_parse_log_traffic import TABLES, snapshot
from tests.helpers import BROWSER, combined, write_log
from tests.testapp.models import Article

AGENTS = [
    BROWSER,
    BROWSER.replace("Firefox", "Chromium"),
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
]
REFERRERS = ["-", "https://www.google.com/search?q=hits", "https://news.example.org/today"]


def lines(count: int, seed: int) -> list[str]:
    """Three days of views by a few hundred clients, some of them bots or robots.txt readers
    (a reader's request and its views end up in different workers' ranges), from search
    engines, other sites and campaigns."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        hour, minute = rng.randrange(24), rng.randrange(60)
        day = rng.choice(["27", "28", "28", "28", "29"])
        path = rng.choice(["/articles/a/", "/articles/b/", f"/articles/n{rng.randrange(50)}/",
                           "/static/x.css", f"/other/{rng.randrange(100)}", "/robots.txt",
                           "/articles/a/?utm_source=mail&utm_campaign=nov"])  # fmt: skip
        out.append(combined(path, f"{day}/Nov/2026:{hour:02d}:{minute:02d}:00 +0100",
                            status=rng.choice([200, 200, 304, 404]),
                            ip=f"198.51.100.{rng.randrange(200)}", user_agent=rng.choice(AGENTS),
                            referrer=rng.choice(REFERRERS)))  # fmt: skip
    out.insert(rng.randrange(count), "not a log line\n")
    return out


def parse(*args: str) -> dict[str, set[tuple]]:
    for model in TABLES:
        model.objects.all().delete()
    call_command("parse_log", *args, "--since", "2026-11-27", "--until", "2026-11-29",
                 stdout=StringIO())  # fmt: skip
    return snapshot()


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_jobs_give_the_same_rows(tmp_path: Path, db, compress: bool, monkeypatch) -> None:
    Article.objects.create(title="A", slug="a")
    Article.objects.create(title="B", slug="b")
    logs = [
        str(write_log(tmp_path / f"web{i}.log{'.gz' if compress else ''}", lines(3000, i),
                      compress=compress))
        for i in range(3)
    ]  # fmt: skip
    # Small ranges and blocks, so that even these files are split between the workers.
    monkeypatch.setattr("admin_hits.logfiles.byte_ranges.__defaults__", (4096,))
    monkeypatch.setattr("admin_hits.logfiles.read_blocks.__defaults__", (8192,))
    single = parse(*logs)
    assert parse(*logs, "--jobs", "2") == single
    assert parse(*logs, "--jobs", "3") == single
    assert len(single["Hits"]) == 6  # two articles on three days
    assert {row[1] for row in single["BotHits"]} >= {"Googlebot", ROBOTS_BOT}
    assert single["ReferrerHits"] and single["SearchHits"] and single["CampaignHits"]


def test_a_plain_and_a_compressed_file_together(tmp_path: Path, db, monkeypatch) -> None:
    # Workers take the plain file's ranges first, then the compressed file's blocks.
    plain = str(write_log(tmp_path / "web1.log", lines(3000, 1)))
    packed = str(write_log(tmp_path / "web2.log.gz", lines(3000, 2), compress=True))
    monkeypatch.setattr("admin_hits.logfiles.byte_ranges.__defaults__", (4096,))
    monkeypatch.setattr("admin_hits.logfiles.read_blocks.__defaults__", (8192,))
    assert parse(plain, packed, "--jobs", "2") == parse(plain, packed)


def test_a_worker_error_stops_the_run_and_nothing_is_written(tmp_path: Path, db, monkeypatch):
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    monkeypatch.setattr("admin_hits.logfiles.byte_ranges.__defaults__", (4096,))
    parent = os.getpid()
    feed = parallel._feed

    def failing(aggregator, task):  # forked workers inherit this; only they fail
        if os.getpid() != parent:
            raise LogFileError(f"{log}: damaged")
        return feed(aggregator, task)

    monkeypatch.setattr(parallel, "_feed", failing)
    with pytest.raises(CommandError, match="damaged. Nothing was written"):
        parse(log, "--jobs", "2")
    assert not PathHits.objects.exists()


def test_a_worker_that_dies_stops_the_run(tmp_path: Path, db, monkeypatch) -> None:
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    monkeypatch.setattr("admin_hits.logfiles.byte_ranges.__defaults__", (4096,))
    parent = os.getpid()

    def dying(aggregator, task):  # the kernel's OOM killer, say
        if os.getpid() != parent:
            os._exit(9)
        return 0

    monkeypatch.setattr(parallel, "_feed", dying)
    with pytest.raises(CommandError, match="worker process stopped .exit code 9."):
        parse(log, "--jobs", "2")
    assert not PathHits.objects.exists()


@pytest.mark.parametrize("parts", [1, 2, 3, 7, 50])
def test_byte_ranges_cover_every_line_once(tmp_path: Path, parts: int) -> None:
    text = [f"line {i} {'x' * (i % 37)}\n".encode() for i in range(1000)]
    log = tmp_path / "plain.log"
    log.write_bytes(b"".join(text) + b"last line without newline")
    ranges = byte_ranges(str(log), parts, min_size=1)
    read = [line for start, end in ranges for chunk in read_range(str(log), start, end)
            for line in chunk]  # fmt: skip
    assert read == [*text, b"last line without newline"]


def test_jobs_must_be_positive(db) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("parse_log", "--jobs", "0")
