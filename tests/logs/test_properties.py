"""Hostile input: whatever the bytes, the log core answers, quickly, and feed() agrees with
verdict()."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from admin_hits.logs import Aggregator, Counts, LineParser, Verdict, ViewRules, split_target
from admin_hits.logs.visits import join_open_visits
from tests.logs.cases import CASES, aggregator
from tests.logs.test_aggregator import base

BERLIN = ZoneInfo("Europe/Berlin")
# A format parsed by apachelogs (%k is not compiled), to put its guard to the test too.
FALLBACK = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k'
AGGREGATORS = {
    "combined": aggregator(),
    "fallback": Aggregator(FALLBACK, tz=BERLIN, rules=ViewRules()),
    "two spans": Aggregator('%>s %h %t "%r" %b', tz=BERLIN, rules=ViewRules()),
    "%m %U%q": Aggregator('%h %t "%m %U%q %H" %>s "%{User-Agent}i"', tz=BERLIN, rules=ViewRules()),
}
# Per line, far above the microseconds a line takes: only a backtracking regex gets near.
# Measured in CPU time of this thread, which a busy machine does not stretch.
SLOWEST_LINE = 0.050
KINDS = {"view", "ignored", "skipped"}
PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def judged_in_time(line: bytes | str) -> None:
    for name, counting in AGGREGATORS.items():
        start = time.thread_time()
        verdict = counting.verdict(line)
        elapsed = time.thread_time() - start
        assert isinstance(verdict, Verdict) and verdict.kind in KINDS
        assert elapsed < SLOWEST_LINE, f"{name}: {elapsed * 1000:.1f} ms for {line[:80]!r}"


@PROPERTY_SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(line: bytes) -> None:
    judged_in_time(line)


@PROPERTY_SETTINGS
@given(st.text(max_size=2000))
def test_random_text(line: str) -> None:
    judged_in_time(line)


# Pieces of real lines, to reach deep into the regexes (and their backtracking) more often
# than random bytes do.
PIECES = [
    b"203.0.113.9", b"2001:db8::1", b" ", b"-", b'"', b'\\"', b"\\", b"\\\\", b"[", b"]",
    b"28/Nov/2026:10:00:00 +0100", b"30/Feb/2026:10:00:00 +0100", b"GET", b"/a/?b=1",
    b"HTTP/1.1", b"200", b"404", b"5120", b"Mozilla/5.0 (X11)", b"\\x16\\x03", b"\t", b"\x00",
    b"\r", b"\n", b"\xc3\xa9", b"\xff", b"- - ", b'" "', b"http://example.com/a",
    b"200 203.0.113.9 [28/Nov/2026:10:00:00 +0100] ",
]  # fmt: skip
pieced = st.lists(st.sampled_from(PIECES), max_size=120).map(b"".join)
# Real lines with a few bytes changed, cut or doubled.
mutated = st.tuples(
    st.sampled_from([case for case, _ in CASES]),
    st.lists(st.tuples(st.integers(0, 400), st.binary(max_size=3)), max_size=4),
).map(lambda c: _mutate(*c))


def _mutate(line: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for at, insert in edits:
        at = at % (len(line) + 1)
        line = line[:at] + insert + line[at + len(insert) :]
    return line


@PROPERTY_SETTINGS
@given(st.one_of(pieced, mutated))
def test_pieced_and_mutated_lines(line: bytes) -> None:
    judged_in_time(line)


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(pieced, mutated, st.binary(max_size=300)), max_size=60))
@example([b'! ! ! [01/Nov/0001:00:00:00 +0000] "GET /" 200 0 "" "("\n',
          b'! ! ! [01/Mar/0001:00:00:00 +0000] "GET /" 200 0 "" "("'])  # fmt: skip
def test_feed_agrees_with_verdict(lines: list[bytes]) -> None:
    for counting in AGGREGATORS.values():
        expected = Counts()
        for line in lines:
            expected.add(counting.verdict(line))
        counting.take()
        for line in lines:
            counting._count_line(line)
        one_by_one = counting.take()
        counting.feed(lines)
        counted = counting.take()
        # Out of time order, which visits are kept whole to join depends on how the lines
        # come (a chunk split by date, or one by one): the visits joined are the same.
        for counts in (counted, one_by_one):
            join_open_visits(counts, counting.rules.visit_gap)
        assert counted == one_by_one
        assert base(counted) == base(expected)


@PROPERTY_SETTINGS
@given(st.one_of(st.text(max_size=300), pieced.map(lambda b: b.decode("latin-1"))))
def test_split_target_gives_a_path_or_nothing(target: str) -> None:
    path, query = split_target(target)
    assert path == "" or path.startswith("/")
    assert "?" not in path and "#" not in path and "#" not in query


@PROPERTY_SETTINGS
@given(st.one_of(pieced, mutated))
def test_records_have_aware_times(line: bytes) -> None:
    for log_format in ("combined", FALLBACK):
        record = LineParser(log_format).parse(line)
        assert record is None or record.time.utcoffset() is not None
