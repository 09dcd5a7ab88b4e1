"""``parse_log --jobs N`` gives exactly the rows of ``--jobs 1``."""

from __future__ import annotations

import gzip
import io
import os
import random
import signal
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from admin_hits.exceptions import LogFileError
from admin_hits.logs.days import ROBOTS_BOT
from admin_hits.models import AICrawlerHits, PathHits
from admin_hits.nightly.logfiles import byte_ranges, read_blocks, read_range
from admin_hits.nightly.parallel import worker
from tests.helpers import BROWSER, combined, write_log
from tests.nightly.test_parse_log_traffic import TABLES, snapshot
from tests.testapp.models import Article

AGENTS = [
    BROWSER,
    BROWSER.replace("Firefox", "Chromium"),
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)",
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
    for model in (*TABLES, AICrawlerHits):
        model.objects.all().delete()
    call_command("parse_log", *args, "--since", "2026-11-27", "--until", "2026-11-29",
                 stdout=StringIO())  # fmt: skip
    return everything()


def everything() -> dict[str, set[tuple]]:
    """The rows of every table ``parse_log`` writes."""
    crawlers = {tuple(row.values())[1:] for row in AICrawlerHits.objects.values()}
    return {**snapshot(), "AICrawlerHits": crawlers}


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
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_blocks.__defaults__", (8192,))
    single = parse(*logs)
    assert parse(*logs, "--jobs", "2") == single
    assert parse(*logs, "--jobs", "3") == single
    assert len(single["Hits"]) == 6  # two articles on three days
    assert {row[1] for row in single["BotHits"]} >= {"Googlebot", ROBOTS_BOT}
    assert single["ReferrerHits"] and single["SearchHits"] and single["CampaignHits"]
    assert any(row[1] for row in single["AICrawlerHits"])  # GPTBot fetched articles


def test_a_plain_and_a_compressed_file_together(tmp_path: Path, db, monkeypatch) -> None:
    # Workers take the plain file's ranges first, then the compressed file's blocks.
    plain = str(write_log(tmp_path / "web1.log", lines(3000, 1)))
    packed = str(write_log(tmp_path / "web2.log.gz", lines(3000, 2), compress=True))
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_blocks.__defaults__", (8192,))
    assert parse(plain, packed, "--jobs", "2") == parse(plain, packed)


def test_a_lone_carriage_return_does_not_cut_a_line(tmp_path: Path, db, monkeypatch) -> None:
    # ``readlines`` (--jobs 1) cuts at "\n" only; so must the workers' blocks.
    odd = [
        combined("/articles/a/", user_agent="Mozilla/5.0 \r evil"),
        combined("/articles/b/", referrer="https://example.org/\r"),
        combined('/articles/a/\r203.0.113.9 - - [28/Nov/2026:12:00:00 +0100] "GET /x/'),
    ]
    packed = str(write_log(tmp_path / "web.log.gz", lines(300, 1) + odd, compress=True))
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_blocks.__defaults__", (8192,))
    assert parse(packed, "--jobs", "2") == parse(packed)


def test_an_absurd_line_is_one_line(tmp_path: Path, db, monkeypatch) -> None:
    # Longer than four blocks: passed on cut short, the rest of it dropped, not counted.
    long = "x" * (40 << 10) + combined("/articles/b/")
    packed = str(write_log(tmp_path / "web.log.gz", [*lines(300, 1), long], compress=True))
    monkeypatch.setattr("admin_hits.nightly.logfiles.read_blocks.__defaults__", (8192,))
    assert parse(packed, "--jobs", "2") == parse(packed)


def test_blocks_pass_an_absurd_line_on_once(tmp_path: Path) -> None:
    log = tmp_path / "web.log.gz"
    log.write_bytes(gzip.compress(b"first\n" + b"x" * 1000 + b"\nlast\n"))
    blocks = list(read_blocks(str(log), block_bytes=16))
    read = [line for block in blocks for line in io.BytesIO(block).readlines()]
    assert len(read) == 3
    assert read[0] == b"first\n" and read[1].startswith(b"x" * 64) and read[2] == b"last\n"


def test_a_worker_error_stops_the_run_and_nothing_is_written(tmp_path: Path, db, monkeypatch):
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    parent = os.getpid()
    feed = worker._feed

    def failing(aggregator, task):  # forked workers inherit this; only they fail
        if os.getpid() != parent:
            raise LogFileError(f"{log}: damaged")
        return feed(aggregator, task)

    monkeypatch.setattr(worker, "_feed", failing)
    with pytest.raises(CommandError, match="damaged. Nothing was written"):
        parse(log, "--jobs", "2")
    assert not PathHits.objects.exists()


def test_a_worker_that_dies_stops_the_run(tmp_path: Path, db, monkeypatch) -> None:
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    parent = os.getpid()

    def dying(aggregator, task):  # the kernel's OOM killer, say
        if os.getpid() != parent:
            os._exit(9)
        return 0

    monkeypatch.setattr(worker, "_feed", dying)
    with pytest.raises(CommandError, match="worker process stopped .exit code 9."):
        parse(log, "--jobs", "2")
    assert not PathHits.objects.exists()


def test_a_worker_that_dies_building_the_details_writes_nothing(tmp_path: Path, db, monkeypatch):
    # The worker that builds the detail tables sends them before the first day is written.
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    parent = os.getpid()
    build = worker._detail_tables

    def dying(*args):
        if os.getpid() != parent:
            os._exit(9)
        return build(*args)

    monkeypatch.setattr(worker, "_detail_tables", dying)
    with pytest.raises(CommandError, match="stopped .exit code 9.. Nothing was written"):
        parse(log, "--jobs", "2")
    assert not PathHits.objects.exists()


@pytest.mark.parametrize("processes", [1, 2, 3, 7, 50])
def test_byte_ranges_cover_every_line_once(tmp_path: Path, processes: int) -> None:
    text = [f"line {i} {'x' * (i % 37)}\n".encode() for i in range(1000)]
    logs = [tmp_path / "plain.log", tmp_path / "empty.log", tmp_path / "second.log"]
    logs[0].write_bytes(b"".join(text) + b"last line without newline")
    logs[1].write_bytes(b"")
    logs[2].write_bytes(b"".join(text[:10]))
    ranges = byte_ranges([str(log) for log in logs], processes, min_size=1)
    read = [line for name, start, end in ranges for chunk in read_range(name, start, end)
            for line in chunk]  # fmt: skip
    assert read == [*text, b"last line without newline", *text[:10]]


def test_byte_ranges_shrink_to_the_smallest_size(tmp_path: Path) -> None:
    # The last ranges are small, so that no process counts long after the others.
    log = tmp_path / "plain.log"
    log.write_bytes(b"x" * 99 + b"\n" * 10_000)
    sizes = [end - start for _, start, end in byte_ranges([str(log)], 2, min_size=100)]
    assert sum(sizes) == 10_099
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 10_099 // 8 and sizes[-3:] == [100, 100, 3]


def test_jobs_must_be_positive(db) -> None:
    with pytest.raises(CommandError, match="at least 1"):
        call_command("parse_log", "--jobs", "0")


def test_a_worker_killed_mid_run_leaves_the_days_as_they_were(tmp_path: Path, db, monkeypatch):
    # The days are parsed once; a second run's worker is killed with SIGKILL from outside (the
    # OOM killer, an operator) while it counts: the run fails saying so, the rows stay.
    log = str(write_log(tmp_path / "web.log", lines(3000, 1)))
    before = parse(log)
    assert before["PathHits"]  # there are rows to lose
    monkeypatch.setattr("admin_hits.nightly.logfiles.byte_ranges.__defaults__", (4096,))
    parent, started = os.getpid(), tmp_path / "worker.pid"
    feed = worker._feed

    def slow(aggregator, task):  # forked workers inherit this: each task takes a while
        if os.getpid() != parent:
            # Written whole, then renamed: the killer never reads a half-written pid.
            partial = started.with_suffix(f".{os.getpid()}")
            partial.write_text(str(os.getpid()))
            os.replace(partial, started)
            time.sleep(0.2)
        return feed(aggregator, task)

    def kill_a_worker() -> None:
        while not started.exists():
            time.sleep(0.01)
        os.kill(int(started.read_text()), signal.SIGKILL)

    monkeypatch.setattr(worker, "_feed", slow)
    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    with pytest.raises(CommandError, match=r"killed \(SIGKILL.*Nothing was written"):
        call_command("parse_log", log, "--jobs", "2", "--since", "2026-11-27",
                     "--until", "2026-11-29", stdout=StringIO())  # fmt: skip
    killer.join()
    assert everything() == before
