from __future__ import annotations

import pickle
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from admin_hits.logs import Aggregator, ViewRules
from admin_hits.logs.counts import Counts
from admin_hits.logs.downloads import DOWNLOADS, Downloads, download_days
from tests.logs.visit_logs import BOT, BROWSERS, Event

DAY = date(2026, 11, 28)
RULES = ViewRules(excluded_prefixes=("/static/", "/media/"), download_prefixes=("/media/",))
START = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)


def downloads(lines: list[str], rules: ViewRules = RULES, one_by_one: bool = False):
    aggregator = Aggregator("combined", tz=UTC, rules=rules, salt=b"downloads")
    if one_by_one:
        for line in lines:
            aggregator._count_line(line.encode())
    else:
        aggregator.feed([line.encode() for line in lines])
    counts = aggregator.take()
    return download_days(counts).get(DAY), counts


def at(minute: int, path: str, status: int = 200, ip: str = "203.0.113.7", agent: str = "") -> str:
    when = START + timedelta(minutes=minute)
    return Event(when, ip, agent or BROWSERS[0], path, status=status).line()


@pytest.mark.parametrize("one_by_one", [False, True], ids=["chunks", "one-by-one"])
def test_range_requests_of_one_reader_are_one_download(one_by_one: bool) -> None:
    found, counts = downloads([
        at(0, "/files/report.pdf", 206), at(0, "/files/report.pdf", 206),
        at(1, "/files/report.pdf", 206), at(90, "/files/report.pdf", 304),
        at(2, "/files/report.pdf", 206, ip="203.0.113.8"),
        at(3, "/files/report.pdf", 404, ip="203.0.113.9"),  # not found: no download
        at(3, "/files/report.pdf", 416, ip="203.0.113.9"),  # range not satisfiable
        at(4, "/files/report.pdf", agent=BOT, ip="203.0.113.10"),  # bots' are not counted
    ], one_by_one=one_by_one)  # fmt: skip
    assert found.downloads == {"/files/report.pdf": 2}
    assert found.requests == {"/files/report.pdf": 5}
    assert not counts.views  # downloads are no views
    assert counts.ignored["download"] == 6


def test_what_is_a_download() -> None:
    found, counts = downloads([
        at(0, "/media/press/kit.zip"), at(0, "/media/photos/cover.png"),  # MEDIA_URL: any file
        at(0, "/media/docs/no-extension"),
        at(0, "/img/logo.png"), at(0, "/app.js"), at(0, "/site.css"),  # assets stay assets
        at(0, "/fonts/a.woff2"),
        at(0, "/static/guide.pdf"),  # under an excluded path: not a download
        at(0, "/books/novel.EPUB"), at(0, "/sheets/q3.xlsx"), at(0, "/talks/ep1.mp3"),
        at(0, "/talks/ep1.mp4"), at(0, "/code/src.tar.gz"), at(0, "/articles/a/"),
    ])  # fmt: skip
    assert set(found.downloads) == {
        "/media/press/kit.zip", "/media/photos/cover.png", "/media/docs/no-extension",
        "/books/novel.EPUB", "/sheets/q3.xlsx", "/talks/ep1.mp3", "/talks/ep1.mp4",
        "/code/src.tar.gz",
    }  # fmt: skip
    assert counts.views == {(DAY, "/articles/a/"): 1}
    assert counts.ignored["asset"] == 4 and counts.ignored["excluded"] == 1


def test_the_extensions_are_a_setting() -> None:
    rules = ViewRules(download_extensions=("PDF", ".docx"))
    found, counts = downloads(
        [at(0, "/a.pdf"), at(0, "/b.docx"), at(0, "/c.zip"), at(0, "/d.DocX")], rules
    )
    assert set(found.downloads) == {"/a.pdf", "/b.docx", "/d.DocX"}
    assert counts.ignored["asset"] == 1  # .zip: an asset again


def test_a_robots_txt_reader_downloads_nothing() -> None:
    found, _ = downloads([
        at(0, "/robots.txt", ip="192.0.2.1"), at(1, "/a.pdf", ip="192.0.2.1"), at(1, "/a.pdf"),
    ])  # fmt: skip
    assert found.downloads == {"/a.pdf": 1}


def test_downloads_match_a_count_of_the_generated_requests() -> None:
    rng = random.Random(4)
    lines, readers = [], Counter()
    files = ["/files/a.pdf", "/files/b.zip", "/media/c.png", "/files/d.epub"]
    for minute in range(600):
        ip = f"198.51.100.{rng.randrange(60)}"
        agent = rng.choice([*BROWSERS, BOT])
        path, status = rng.choice(files), rng.choice([200, 206, 206, 304, 404])
        lines.append(at(minute, path, status, ip=ip, agent=agent))
        if agent != BOT and status != 404:
            readers[path, ip, agent] += 1
    found, _ = downloads(lines)
    assert found.downloads == Counter(path for path, _, _ in readers)
    requests: Counter[str] = Counter()
    for (path, _, _), n in readers.items():
        requests[path] += n
    assert found.requests == requests


def test_the_pipe_counts_no_downloads() -> None:
    aggregator = Aggregator("combined", tz=UTC, rules=RULES, visits=False)
    aggregator.feed([at(0, "/a.pdf").encode()])
    assert not download_days(aggregator.take())


def test_requests_merged_and_pickled_in_parts_are_the_whole() -> None:
    rng = random.Random(3)
    day = date(2026, 11, 28)
    requests = [(f"/files/{rng.randrange(5)}.pdf", rng.randrange(40)) for _ in range(500)]
    whole = Downloads()
    for path, visitor in requests:
        whole.add(day, path, visitor)
    total = Counts()
    for start in range(0, len(requests), 120):
        part = Downloads()
        part.add_many(day, *zip(*requests[start : start + 120], strict=True))
        total.merge(pickle.loads(pickle.dumps(Counts(extra={DOWNLOADS: part}))))
    assert total.extra[DOWNLOADS] == whole
    # Independently: a download per (visitor, file), every request counted.
    found = download_days(total, readers={day: {7}})[day]
    pairs = {(path, visitor) for path, visitor in requests if visitor != 7}
    assert found.downloads == Counter(path for path, _ in pairs)
    assert found.requests == Counter(path for path, visitor in requests if visitor != 7)
