"""10,000 real combined lines (Elastic's sample Apache log), counted by the log core and by a
plain, independent count written here."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from admin_hits.logs import DEFAULT_ASSET_EXTENSIONS, Aggregator, Counts, ViewRules
from admin_hits.logs.counts import BOT_VIEWS, BOTS
from admin_hits.logs.rules import DEFAULT_DOWNLOAD_EXTENSIONS
from tests.logs.cases import SALT

DATA = Path(__file__).resolve().parents[2].parent / "shared/data/real"
SAMPLE = DATA / "elastic_apache_combined.log"
BERLIN = ZoneInfo("Europe/Berlin")
EXCLUDED = ("/presentations/", "/files/")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]]+)\] "(.*?)" (\d{3}|-) (\S+) "(.*?)" "(.*?)"$')

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"no sample log in {DATA}")


def local_date(stamp: str) -> date:
    day, month, rest = stamp.split("/")
    year, hour, minute, second_zone = rest.split(":")
    second, zone = second_zone.split(" ")
    offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
    utc = datetime(
        int(year), MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second),
        tzinfo=timezone(-offset if zone[0] == "-" else offset),
    )  # fmt: skip
    return utc.astimezone(BERLIN).date()


def path_of(target: str) -> str:
    if "://" in target:
        return urlsplit(target).path or "/"
    return target.split("#")[0].split("?")[0] if target.startswith("/") else ""


def is_view(method: str, path: str, status: str) -> bool:
    if method != "GET" or not status.isdigit():
        return False
    if not (200 <= int(status) < 300 or status == "304") or not path:
        return False
    last = path.rsplit("/", 1)[-1].lower()
    return not path.startswith(EXCLUDED) and not any(
        last.endswith(ext) for ext in (*DEFAULT_ASSET_EXTENSIONS, *DEFAULT_DOWNLOAD_EXTENSIONS)
    )


def plain_count(lines: list[str]) -> tuple[Counter[tuple[date, str]], Counter[date]]:
    """Views per (Berlin date, path), and lines of the combined format per Berlin date."""
    views: Counter[tuple[date, str]] = Counter()
    days: Counter[date] = Counter()
    for text in lines:
        match = LINE.match(text.rstrip("\n"))
        if match is None:
            continue
        _, stamp, request, status, *_ = match.groups()
        days[local_date(stamp)] += 1
        words = request.split(" ")
        if len(words) == 3 and words[2].startswith("HTTP/"):
            method, target = words[0], words[1]
        else:
            method, target = words[0], " ".join(words[1:])
        if is_view(method, path_of(target), status):
            views[local_date(stamp), path_of(target)] += 1
    return views, days


def counted(log_format: str, lines: list[bytes]) -> Counts:
    aggregator = Aggregator(
        log_format, tz=BERLIN, rules=ViewRules(excluded_prefixes=EXCLUDED), salt=SALT
    )
    aggregator.feed(lines)
    return aggregator.take()


def test_the_log_core_counts_as_a_plain_count_does() -> None:
    raw = SAMPLE.read_bytes().splitlines(keepends=True)
    views, days = plain_count([line.decode("utf-8", "replace") for line in raw])
    counts = counted("combined", raw)
    assert counts.lines == len(raw) == 10_000
    assert counts.parsed == sum(days.values()) == 9_999  # one line is cut off
    assert counts.days == days
    # Views by people and by bots, together, are the views the plain count finds.
    assert counts.views + counts.extra[BOT_VIEWS] == views
    assert 1000 < counts.views_total < 5000  # the sample is mostly assets and /presentations/
    bots = Counter()
    for (_, name), n in counts.extra[BOTS].items():
        bots[name] += n
    assert bots["Googlebot"] > 100 and bots["bingbot"] > 10
    assert counts.extra[BOT_VIEWS].total() == bots.total()


def test_apachelogs_fallback_counts_the_same_lines_alike() -> None:
    raw = SAMPLE.read_bytes().splitlines(keepends=True)
    same_format = '%h %l %u [%{%d/%b/%Y:%H:%M:%S %z}t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
    fallback = counted(same_format, raw)
    compiled = counted("combined", [line for line in raw if len(line) <= 1024])
    assert fallback.views == compiled.views
    assert fallback.extra == compiled.extra
    assert fallback.parsed == compiled.parsed
