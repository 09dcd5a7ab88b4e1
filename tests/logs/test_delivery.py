"""Response times and bytes sent, per day and per page, from generated logs whose every
request's time and size the test knows: the percentiles are computed here from the sorted
values and the sketch's must be within its relative accuracy; bytes are exact."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from admin_hits.logs import Aggregator, Counts, ViewRules
from admin_hits.logs.delivery import NAMES, delivery_counters
from admin_hits.logs.delivery_days import delivery_days
from admin_hits.logs.sketches import (
    QUANTILES,
    RELATIVE_ACCURACY,
    ZERO,
    decode,
    encode,
    merged,
    percentiles,
)

RULES = ViewRules(excluded_prefixes=("/static/",))
DAY = date(2026, 11, 28)
START = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
TIMED = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'


def _time_text(directive: str, ms: float) -> str:
    """How a directive logs ``ms`` milliseconds (and the milliseconds it then stands for)."""
    return {
        "%D": str(round(ms * 1000)),
        "%{us}T": str(round(ms * 1000)),
        "%{ms}T": str(round(ms)),
        "%T": str(round(ms / 1000)),
        "%{s}T": str(round(ms / 1000)),
        "nginx": f"{ms / 1000:.3f}",
    }[directive]


def _logged_ms(directive: str, text: str) -> float:
    scale = {"%D": 0.001, "%{us}T": 0.001, "%{ms}T": 1, "%T": 1000, "%{s}T": 1000, "nginx": 1000}
    return float(text) * scale[directive]


class Log:
    """Generated lines and what each page's and the day's requests took and weighed."""

    def __init__(self, log_format: str, directive: str | None, size_field: str | None,
                 lines: int = 3000, seed: int = 7, day: date = DAY) -> None:  # fmt: skip
        rnd = random.Random(seed)
        self.lines: list[bytes] = []
        self.times: dict[str, list[float]] = defaultdict(list)  # path ("" the site): ms
        self.bytes: dict[str, int] = defaultdict(int)
        self.requests: dict[str, int] = defaultdict(int)
        start = datetime.combine(day, START.timetz())
        for i in range(lines):
            path = rnd.choice(["/", "/a/", "/b/", "/slow/", "/static/s.css"])
            # Pages of their own speeds: /slow/ seconds, others milliseconds, some 0.
            ms = rnd.lognormvariate(math.log(2500 if path == "/slow/" else 40), 0.8)
            if rnd.random() < 0.05:
                ms = 0.0
            size = rnd.choice([0, rnd.randint(200, 90_000)])
            when = (start + timedelta(seconds=i * 86_000 // lines)).strftime("%d/%b/%Y:%H:%M:%S")
            fields = {
                "h": f"203.0.113.{i % 50}", "t": f"[{when} +0000]", "r": f"GET {path} HTTP/1.1",
                "s": "200", "ref": "-", "ua": AGENT,
            }  # fmt: skip
            time_text = _time_text(directive, ms) if directive else ""
            size_text = "-" if size == 0 and size_field == "%b" else str(size)
            line = log_format
            for key, value in (("%h", fields["h"]), ("%t", fields["t"]), ("%r", fields["r"]),
                               ("%>s", fields["s"]), ("%{Referer}i", fields["ref"]),
                               ("%{User-Agent}i", fields["ua"]), ("%O", size_text),
                               ("%b", size_text), ("%l", "-"), ("%u", "-")):  # fmt: skip
                line = line.replace(key, value)
            if directive:
                line = line.replace("%TIME", time_text)
            self.lines.append((line + "\n").encode())
            logged = _logged_ms(directive, time_text) if directive else 0.0
            for key in ("", path) if not path.startswith("/static/") else ("",):
                self.times[key].append(logged)
                self.bytes[key] += size
                self.requests[key] += 1


def _count(log_format: str, lines: list[bytes], one_by_one: bool = False) -> Counts:
    aggregator = Aggregator(log_format, tz=UTC, rules=RULES, salt=b"delivery")
    if one_by_one:
        for line in lines:
            aggregator._count_line(line)
    else:
        aggregator.feed(lines)
    return aggregator.take()


def _assert_close(bins: dict[int, int], values: list[float]) -> None:
    """Each percentile of ``bins`` within the sketch's accuracy of the true one (the value at
    the rank DDSketch takes, ``q * (n - 1)``, either side when it falls between two)."""
    values = sorted(values)
    found = percentiles(bins)
    for name, q in QUANTILES.items():
        rank = q * (len(values) - 1)
        candidates = {values[math.floor(rank)], values[math.ceil(rank)]}
        got = found[name]
        assert got is not None
        assert any(
            (x == 0 and got == 0) or abs(got - x) <= RELATIVE_ACCURACY * x + 1e-9
            for x in candidates
        ), (name, got, candidates)


FORMATS = [
    (TIMED.replace("%D", "%TIME"), "%D", "%O"),
    ('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %TIME', "%{ms}T", "%b"),
    ('%h %l %u %t "%r" %>s %b %TIME', "%{us}T", "%b"),
    ('%h %l %u %t "%r" %>s %O %TIME "%{Referer}i" "%{User-Agent}i"', "%T", "%O"),
    ('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %TIME', "nginx", "%b"),
    # The time between the request and the status: inside the request span.
    ('%h %l %u %t "%r" %TIME %>s %O', "%D", "%O"),
]


def _real_format(log_format: str, directive: str) -> str:
    return log_format.replace("%TIME", "%T" if directive == "nginx" else directive)


@pytest.mark.parametrize("one_by_one", [False, True], ids=["chunks", "one-by-one"])
@pytest.mark.parametrize(("log_format", "directive", "size_field"), FORMATS)
def test_percentiles_within_accuracy_and_bytes_exact(
    log_format: str, directive: str, size_field: str, one_by_one: bool
) -> None:
    log = Log(log_format, directive, size_field)
    counts = _count(_real_format(log_format, directive), log.lines, one_by_one)
    day = delivery_days(counts)[DAY]
    assert day.timed and day.sized
    assert day.bytes == log.bytes[""]
    _assert_close(day.bins, log.times[""])
    assert set(day.pages) == {"/", "/a/", "/b/", "/slow/"}  # assets are no page
    for path, page in day.pages.items():
        assert page.requests == log.requests[path]
        assert page.bytes == log.bytes[path]
        _assert_close(page.bins, log.times[path])
    slow = percentiles(day.pages["/slow/"].bins)["p95"]
    assert slow is not None and slow > (percentiles(day.pages["/a/"].bins)["p95"] or 0)
    data = day.as_dict()
    assert data["bytes"] == log.bytes[""]
    assert data["response_ms"] == percentiles(day.bins)


def test_bytes_logged_as_dash_are_zero() -> None:
    line = (
        '203.0.113.1 - - [28/Nov/2026:10:00:00 +0000] "GET /a/ HTTP/1.1" 304 - "-" "{}" 1200\n'
        '203.0.113.1 - - [28/Nov/2026:10:00:01 +0000] "GET /a/ HTTP/1.1" 200 512 "-" "{}" 800\n'
    ).replace("{}", AGENT)
    log_format = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D'
    day = delivery_days(_count(log_format, line.encode().splitlines(keepends=True)))[DAY]
    assert day.bytes == 512
    assert day.pages["/a/"].requests == 2
    assert day.pages["/a/"].bytes == 512


def test_bytes_alone_give_bytes_and_no_times() -> None:
    log_format = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"'  # Debian's combined
    log = Log(log_format, None, "%O", lines=500)
    day = delivery_days(_count(log_format, log.lines))[DAY]
    assert day.sized and not day.timed
    assert day.bytes == log.bytes[""]
    assert day.pages["/a/"].bins == {}
    assert day.as_dict() == {"bytes": log.bytes[""]}


@pytest.mark.parametrize("log_format", ["combined", "common", '%h %l %u %t "%r" %>s %b'])
def test_formats_without_the_fields_count_nothing(log_format: str) -> None:
    log = Log('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"', None, "%b", lines=300)
    aggregator = Aggregator(log_format, tz=UTC, rules=RULES)
    assert aggregator._delivery is None  # nothing attached: the hot loop is as before
    aggregator.feed(log.lines)
    counts = aggregator.take()
    assert not set(NAMES) & set(counts.extra)
    assert delivery_days(counts) == {}


def test_formats_apachelogs_parses_count_the_same() -> None:
    # An unquoted header is not compiled: apachelogs parses these lines one by one.
    log_format = '%h %l %u %t "%r" %>s %O %D %{Host}i'
    log = Log(log_format.replace("%D", "%TIME"), "%D", "%O", lines=400)
    lines = [line.replace(b"%{Host}i", b"example.com") for line in log.lines]
    aggregator = Aggregator(log_format, tz=UTC, rules=RULES)
    assert aggregator.parser.compiled is None
    aggregator.feed(lines)
    day = delivery_days(aggregator.take())[DAY]
    assert day.bytes == log.bytes[""]
    for path, page in day.pages.items():
        assert page.bytes == log.bytes[path]
        _assert_close(page.bins, log.times[path])


def test_parts_counted_apart_merge_to_the_whole() -> None:
    """What ``--jobs`` does: processes count parts; their counters add up to one count."""
    log = Log(TIMED.replace("%D", "%TIME"), "%D", "%O")
    whole = _count(TIMED, log.lines)
    total = Counts()
    for part in (log.lines[:1000], log.lines[1000:1700], log.lines[1700:]):
        total.merge(Counts(extra=delivery_counters(_count(TIMED, part))))
    assert delivery_counters(total) == delivery_counters(whole)


def test_midnight_chunks_and_other_days() -> None:
    """Lines across midnight (counted per line's date) and days not asked for (left out)."""
    before = Log(TIMED.replace("%D", "%TIME"), "%D", "%O", lines=500, day=DAY - timedelta(1))
    today = Log(TIMED.replace("%D", "%TIME"), "%D", "%O", lines=500, seed=8)
    aggregator = Aggregator(TIMED, tz=UTC, rules=RULES, days=[DAY])
    aggregator.feed(before.lines[-100:] + today.lines)
    days = delivery_days(aggregator.take())
    assert set(days) == {DAY}
    assert days[DAY].bytes == today.bytes[""]
    assert days[DAY].pages["/a/"].bytes == today.bytes["/a/"]


def test_a_period_merges_its_days_sketches() -> None:
    first = Log(TIMED.replace("%D", "%TIME"), "%D", "%O", lines=2000, seed=1)
    second = Log(
        TIMED.replace("%D", "%TIME"), "%D", "%O", lines=800, seed=2, day=DAY + timedelta(1)
    )
    days = delivery_days(_count(TIMED, first.lines + second.lines))
    period = merged(days[day].pages["/slow/"].bins for day in (DAY, DAY + timedelta(1)))
    _assert_close(period, first.times["/slow/"] + second.times["/slow/"])


def test_bins_round_trip_through_bytes() -> None:
    log = Log(TIMED.replace("%D", "%TIME"), "%D", "%O")
    bins = delivery_days(_count(TIMED, log.lines))[DAY].bins
    data = encode(bins)
    assert decode(data) == {k: n for k, n in bins.items() if n}
    assert len(data) < 4 * len(bins) + 4
    assert decode(b"") == {}
    for few in ({ZERO: 5}, {ZERO: 2, -40: 1, 900: 2**31 + 7}, {}, {3: 1}):
        assert decode(encode(few)) == few
