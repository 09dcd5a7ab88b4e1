from __future__ import annotations

import pickle
import random
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from admin_hits.logs import (
    Aggregator,
    Counts,
    LineParser,
    Verdict,
    ViewRules,
    split_target,
)
from admin_hits.logs.counts import BOT_VIEWS, BOTS
from admin_hits.logs.visits import DIMENSIONS as VISIT_DIMENSIONS
from admin_hits.logs.visits import OPEN_VISITS
from tests.logs.cases import CASES, GET, NOV28, RULES, aggregator, line, view

BERLIN = ZoneInfo("Europe/Berlin")


def expected_counts(verdicts: list[Verdict]) -> Counts:
    """Counts summed from verdicts by hand, not through ``Counts.add``."""
    counts = Counts(lines=len(verdicts))
    for kind, reason, day, path, bot in verdicts:
        if kind == "skipped":
            counts.skipped[reason] += 1
            continue
        counts.parsed += 1
        if kind == "view" and bot is None:
            counts.views[day, path] += 1
        elif kind == "view":
            counts.counter(BOT_VIEWS)[day, path] += 1
            counts.counter(BOTS)[day, bot] += 1
        else:
            counts.ignored[reason] += 1
        if reason != "other_day":
            counts.days[day] += 1
    return counts


def base(counts: Counts) -> tuple[object, ...]:
    """What a verdict says about its line, summed: the counts but the further dimensions
    that need more than the verdict (visitors, referrers, statuses ...)."""
    return (
        counts.views, counts.lines, counts.parsed, counts.skipped, counts.ignored, counts.days,
        counts.extra.get(BOT_VIEWS, Counter()), counts.extra.get(BOTS, Counter()),
    )  # fmt: skip


def one_by_one(lines: list[bytes] | list[str], **kwargs: object) -> Counts:
    """Every line counted alone, through the slow path that ``verdict`` takes."""
    counting = aggregator(**kwargs)
    for log_line in lines:
        counting._count_line(log_line)
    return without_visits(counting.take())


def fed(lines: list[bytes] | list[str], **kwargs: object) -> Counts:
    counting = aggregator(**kwargs)
    counting.feed(lines)
    return without_visits(counting.take())


def without_visits(counts: Counts) -> Counts:
    """``counts`` without visits: the lines of these tests are shuffled, and visits need the
    lines in time order (tests/logs/test_visits.py counts them)."""
    for name in (*VISIT_DIMENSIONS, OPEN_VISITS):
        counts.extra.pop(name, None)
    return counts


@pytest.mark.parametrize(("log_line", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_verdict(log_line: bytes, expected: Verdict) -> None:
    assert aggregator().verdict(log_line) == expected


def _decodable(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


STR_CASES = [(case.decode("utf-8"), verdict) for case, verdict in CASES if _decodable(case)]


@pytest.mark.parametrize(("log_line", "expected"), STR_CASES)
def test_verdict_of_str_line(log_line: str, expected: Verdict) -> None:
    assert aggregator().verdict(log_line) == expected


def test_feed_counts_what_verdict_says() -> None:
    lines = [case for case, _ in CASES]
    expected = expected_counts([verdict for _, verdict in CASES])
    assert base(fed(lines)) == base(expected)
    assert fed(lines) == one_by_one(lines)
    assert expected.lines == len(CASES)
    assert expected.skipped_total + expected.parsed == expected.lines


@pytest.mark.parametrize("binary", [True, False], ids=["with-binary", "text-only"])
def test_one_day_with_ugly_lines_in_between(binary: bool) -> None:
    # One date per chunk takes the quickest way through feed() (and without binary lines the
    # quickest regex, escaped quotes left to a second pass): the ugly lines must not change
    # what it counts.
    one_day = [
        (case, v)
        for case, v in CASES
        if v.reason != "bad_date" and (v.date is None or (v.date == NOV28 and b"+0100]" in case))
        if binary or v.reason != "binary"
    ]
    lines = [case if case.endswith(b"\n") else case + b"\n" for case, _ in one_day] * 40
    random.Random(3).shuffle(lines)
    assert base(fed(lines)) == base(expected_counts([aggregator().verdict(x) for x in lines]))
    assert fed(lines) == one_by_one(lines)
    assert fed(lines).dates() == {NOV28}


def test_feed_is_the_same_in_any_order_and_chunking() -> None:
    lines = [case for case, _ in CASES] * 3
    expected = one_by_one(lines)
    assert base(expected) == base(expected_counts([aggregator().verdict(x) for x in lines]))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(lines)
        counting = aggregator()
        start = 0
        while start < len(lines):
            size = rng.randint(1, 40)
            counting.feed(iter(lines[start : start + size]))
            start += size
        assert without_visits(counting.take()) == expected


def test_feed_str_lines_equals_bytes_lines() -> None:
    strings = [case for case, _ in STR_CASES]
    lines = [x.encode("utf-8") for x in strings]
    assert fed(strings) == fed(lines) == one_by_one(lines)
    assert base(fed(lines)) == base(expected_counts([verdict for _, verdict in STR_CASES]))
    mixed = [s if i % 2 else b for i, (s, b) in enumerate(zip(strings, lines, strict=True))]
    assert fed(mixed) == fed(lines)
    assert fed(["GET \ud800 lone surrogate"]).skipped == Counter({"unparsed": 1})


def test_feed_lines_without_line_breaks_and_with_several() -> None:
    lines = [case for case, _ in CASES]
    bare = [x.rstrip(b"\r\n") for x in lines]
    assert fed(bare) == fed(lines)
    # Two lines in one element is no line of the format: counted as one unparsed line.
    joined = fed([line(GET) + line(GET)] + lines)
    assert joined.skipped["unparsed"] == fed(lines).skipped["unparsed"] + 1


def test_feed_never_raises_on_odd_objects() -> None:
    counting = aggregator()
    counting.feed([None, 42, bytearray(line(GET)), memoryview(line(GET)), line(GET)])  # type: ignore[list-item]  # on purpose
    counts = counting.take()
    assert counts.skipped == Counter({"binary": 2})
    assert counts.views == Counter({(date(2026, 11, 28), "/articles/hello/"): 3})


def test_a_day_of_lines_in_one_chunk_and_across_midnight() -> None:
    lines = [
        line(GET, when=f"28/Nov/2026:{h:02d}:{m:02d}:{s:02d} +0100".encode())
        for h in range(24)
        for m in range(0, 60, 7)
        for s in (0, 59)
    ]
    lines += [line(b"GET /next/ HTTP/1.1", when=b"29/Nov/2026:00:00:00 +0100")]
    counts = fed(lines)
    assert counts.views == Counter(
        {
            (date(2026, 11, 28), "/articles/hello/"): len(lines) - 1,
            (date(2026, 11, 29), "/next/"): 1,
        }
    )
    assert counts.dates() == {date(2026, 11, 28), date(2026, 11, 29)}


def test_days_keeps_only_the_days_asked_for() -> None:
    lines = [case for case, _ in CASES]
    counts = fed(lines, days={date(2026, 3, 29)})
    everything = fed(lines)
    march29 = sum(n for (day, _), n in everything.views.items() if day == date(2026, 3, 29))
    assert counts.views_total == march29
    assert counts.dates() == {date(2026, 3, 29)}
    assert counts.ignored["other_day"] == everything.parsed - everything.days[date(2026, 3, 29)]
    verdict = aggregator(days={date(2026, 3, 29)}).verdict(line(b"POST /x HTTP/1.1"))
    assert verdict == Verdict("ignored", "other_day", date(2026, 11, 28), "/x")


def test_take_resets_and_counts_merge() -> None:
    counting = aggregator()
    counting.feed([line(GET)] * 3)
    first = counting.take()
    counting.feed([line(GET), b"junk"])
    second = counting.take()
    assert counting.take() == Counts()
    assert (first.lines, second.lines) == (3, 2)
    first.extra["bots"] = Counter({"googlebot": 2})
    second.extra["bots"] = Counter({"googlebot": 1, "bingbot": 1})
    first.merge(second)
    assert first.views == Counter({(date(2026, 11, 28), "/articles/hello/"): 4})
    assert (first.lines, first.parsed, first.skipped_total) == (5, 4, 1)
    assert first.extra["bots"] == Counter({"googlebot": 3, "bingbot": 1})


def test_counts_pickle() -> None:
    counts = fed([case for case, _ in CASES])
    counts.extra["referrers"] = Counter({"https://www.google.com/": 5})
    assert pickle.loads(pickle.dumps(counts)) == counts


def test_caches_stay_bounded_under_a_flood_of_distinct_urls(monkeypatch) -> None:
    import admin_hits.logs.aggregator as module
    import admin_hits.logs.details as details
    import admin_hits.logs.lines as lines
    import admin_hits.logs.requests as requests

    for cached in (lines, details, requests):
        monkeypatch.setattr(cached, "_CACHE_LIMIT", 100)
    monkeypatch.setattr(module, "_RAW_LIMIT", 150)
    counting = aggregator()
    lines = [line(f"GET /random/{i}/ HTTP/1.1".encode()) for i in range(2000)]
    counting.feed(lines)
    assert len(counting._requests.judged) <= 101
    counts = counting.take()
    assert counts.views_total == 2000
    assert len(counts.views) == 2000


def test_custom_rules() -> None:
    rules = ViewRules(asset_extensions=("html",), methods=frozenset({"GET", "HEAD"}))
    counting = Aggregator(tz=BERLIN, rules=rules)
    assert counting.verdict(line(b"HEAD /a.HTML HTTP/1.1")).reason == "asset"
    assert counting.verdict(line(b"HEAD /a.css HTTP/1.1")) == view("/a.css")


@pytest.mark.parametrize(("log_line", "expected"), CASES, ids=[str(i) for i in range(len(CASES))])
def test_line_parser_agrees_with_the_verdict(log_line: bytes, expected: Verdict) -> None:
    record = LineParser("combined").parse(log_line)
    if expected.kind == "skipped":
        if record is not None and expected.reason == "bad_date":
            # A time that exists in its own offset, but not in UTC: before year 1.
            with pytest.raises(OverflowError):
                record.time.astimezone(BERLIN)
            return
        assert record is None or expected.reason == "too_long"
        return
    assert record is not None
    assert split_target(record.target)[0] == expected.path
    assert record.time.astimezone(BERLIN).date() == expected.date
    reason = RULES.reason(record.method, split_target(record.target)[0], record.status)
    assert reason == ("" if expected.kind == "view" else expected.reason)


def test_no_request_is_judged_twice_when_the_cache_starts_over(monkeypatch) -> None:
    import admin_hits.logs.requests as requests

    monkeypatch.setattr(requests, "_CACHE_LIMIT", 100)
    judged: list[str] = []
    classify = requests.Requests.classify

    def counted(
        self: requests.Requests, key: object, method: str, target: str, status: int
    ) -> requests.Request:
        judged.append(target)
        return classify(self, key, method, target, status)

    monkeypatch.setattr(requests.Requests, "classify", counted)
    counting = aggregator()
    urls = [f"/random/{i}/" for i in range(2000)]  # 20 times the cache
    lines = [line(f"GET {url} HTTP/1.1".encode()) for url in urls]
    for start in range(0, len(lines), 50):  # as the pipe reads them
        counting.feed(lines[start : start + 50])
    counts = counting.take()
    assert sorted(judged) == sorted(urls)  # each once: none forgotten while it waited
    assert counts.views == Counter((NOV28, url) for url in urls)
