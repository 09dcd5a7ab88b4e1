"""Hostile lines: a corpus of what attackers, broken clients and broken writers put in access
logs, and property-based fuzzing of the line parser. Nothing escapes as an exception, and every
line gets a verdict and a record that agree, in a compiled format and in one parsed by
apachelogs (the fallback for directives the core does not compile).

How long the slowest of these lines takes is a figure of ``bench/hostile_lines.py``, not an
assertion here: a timed assertion fails whenever the machine is busy. What keeps apachelogs'
backtracking regex in bounds is checked as it is: the guard is in place, and a match it stops
is a skipped line.
"""

from __future__ import annotations

from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admin_hits.logs import Aggregator, LineParser, Verdict, ViewRules
from admin_hits.logs.fallback import (
    FALLBACK_MAX_LINE_LENGTH,
    FALLBACK_TIMEOUT,
    FallbackFormat,
    _TimedPattern,
)
from tests.helpers import combined
from tests.hostile import (
    AMBIGUOUS,
    AMBIGUOUS_FILLERS,
    COMPILED_ONLY,
    CORPUS,
    FALLBACK,
    PIECES,
    ambiguous_lines,
    as_format,
    inserted,
)
from tests.logs.cases import CASES, ignored, skipped, view

BERLIN = ZoneInfo("Europe/Berlin")
FORMATS = {"combined": "combined", "apachelogs": FALLBACK}
KINDS = {"view", "ignored", "skipped"}

# What the corpus's lines count as, where the answer is part of the promise.
EXPECTED: dict[str, Verdict] = {
    "TLS handshake logged as 400": ignored("method"),
    "no request at all": ignored("method"),
    "empty request": ignored("method"),
    "CONNECT": ignored("method"),
    "CONNECT to IPv6": ignored("method"),
    "OPTIONS *": ignored("method"),
    "HTTP/2 preface": ignored("method"),
    "absolute-form": view("/a/"),
    "absolute-form, user info": view("/b/"),
    "absolute-form, IPv6 host": view("/c/"),
    "javascript: target": ignored("target"),
    "IPv6 client": view("/articles/hello/"),
    "escaped quotes": view('/say\\"hi\\"/'),
    "truncated": skipped("unparsed"),
    "binary": skipped("binary"),
    "NUL bytes": skipped("binary"),
    "not UTF-8": view("/caf\\xe9/"),
    "spaces": skipped("unparsed"),
    "escapes alone": skipped("unparsed"),
    "escapes, short": skipped("unparsed"),
    "escapes, no status": skipped("unparsed"),
}


def aggregator(log_format: str) -> Aggregator:
    rules = ViewRules(excluded_prefixes=("/static/", "/media/"))
    return Aggregator(log_format, tz=BERLIN, rules=rules, max_line_length=16384)


class Judges:
    """An aggregator and a line parser per format, built once for the whole module."""

    def __init__(self) -> None:
        self.aggregators = {name: aggregator(fmt) for name, fmt in FORMATS.items()}
        self.parsers = {name: LineParser(fmt, default_tz=BERLIN) for name, fmt in FORMATS.items()}

    def judge(self, log_line: bytes | str) -> dict[str, Verdict]:
        verdicts = {}
        for name, fmt in FORMATS.items():
            one = as_format(log_line, fmt) if isinstance(log_line, bytes) else log_line
            verdict = self.aggregators[name].verdict(one)
            record = self.parsers[name].parse(one)
            assert isinstance(verdict, Verdict) and verdict.kind in KINDS
            # A line the parser refuses is never counted. (The converse does not hold: a time
            # near year 1 parses, and is a bad date once converted to the zone counted in.)
            assert record is not None or verdict.kind == "skipped"
            verdicts[name] = verdict
        return verdicts


@pytest.fixture(scope="module")
def judges() -> Judges:
    return Judges()


@pytest.mark.parametrize(("name", "log_line"), CORPUS, ids=[name for name, _ in CORPUS])
def test_corpus(judges: Judges, name: str, log_line: bytes) -> None:
    verdicts = judges.judge(log_line)
    if name in EXPECTED:
        assert verdicts["combined"] == EXPECTED[name]
        if len(log_line) <= 1024 and name not in COMPILED_ONLY:  # longer: too_long
            assert verdicts["apachelogs"] == EXPECTED[name]


def test_the_corpus_counts_without_raising() -> None:
    for fmt in FORMATS.values():
        counting = aggregator(fmt)
        lines = [as_format(log_line, fmt) for _, log_line in CORPUS]
        counting.feed(lines)
        counts = counting.take()
        assert counts.lines == len(CORPUS)


pieced = st.lists(st.sampled_from(PIECES), max_size=200).map(b"".join)
mutated = st.tuples(
    st.sampled_from([case for case, _ in CASES] + [log_line for _, log_line in CORPUS]),
    st.lists(st.tuples(st.integers(0, 20_000), st.sampled_from(PIECES)), max_size=6),
).map(lambda c: inserted(*c))


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.one_of(pieced, mutated, st.binary(max_size=2000)))
def test_fuzzed_bytes(judges: Judges, log_line: bytes) -> None:
    judges.judge(log_line)


@FUZZ
@given(st.text(max_size=1000))
def test_fuzzed_text(judges: Judges, log_line: str) -> None:
    judges.judge(log_line)


def garbled(a: bytes, b: bytes) -> Iterator[bytes]:
    """The two lines a reader sees when ``b`` is written into the middle of ``a``, at every
    place (two writers of lines over PIPE_BUF, 4 KB, interleave)."""
    for cut in range(1, len(a) - 1):
        yield a[:cut] + b
        yield a[cut:]


@pytest.mark.parametrize("log_format", FORMATS.values(), ids=FORMATS)
def test_interleaved_lines_never_count_a_path_nobody_asked_for(log_format: str) -> None:
    first, second = "/first/" + "a" * 120, "/second/" + "b" * 120
    a = as_format(combined(first, referrer="https://r.example/x").encode(), log_format)
    b = as_format(combined(second).encode(), log_format)
    counting = aggregator(log_format)
    for piece in garbled(a, b):
        verdict = counting.verdict(piece)
        assert verdict.kind != "view" or verdict.path in (first, second), (piece, verdict)


@pytest.mark.parametrize("filler", AMBIGUOUS_FILLERS)
def test_a_format_with_ambiguous_unquoted_fields_skips_what_it_can_not_match(
    filler: bytes,
) -> None:
    """Unquoted fields that may hold spaces let apachelogs' regex split a line of spaces in
    every way: such a line is skipped (too long for the fallback, or unparsed), by the verdict
    and by the parser."""
    aggregator = Aggregator(AMBIGUOUS, tz=ZoneInfo("UTC"), rules=ViewRules())
    parser = LineParser(AMBIGUOUS)
    for data in ambiguous_lines(filler):
        too_long = len(data) > FALLBACK_MAX_LINE_LENGTH
        assert aggregator.verdict(data) == skipped("too_long" if too_long else "unparsed")
        assert parser.parse(data) is None
    good = b'1.2.3.4 - - 5.6.7.8, 9.9.9.9 [28/Nov/2026:12:00:00 +0000] "GET /a/ HTTP/1.1" 200 5\n'
    assert aggregator.verdict(good).kind == "view"


def test_the_fallback_match_runs_under_its_time_limit() -> None:
    """What bounds the cost of a line in a format apachelogs parses: its regex runs on an
    engine that gives up after ``FALLBACK_TIMEOUT``, and a line it gives up on is unparsed."""
    parser = LineParser(AMBIGUOUS)
    assert isinstance(parser.fallback, FallbackFormat)
    pattern = parser.fallback._parser._rgx
    assert isinstance(pattern, _TimedPattern) and pattern._seconds == FALLBACK_TIMEOUT
    good = b'1.2.3.4 - - 5.6.7.8 [28/Nov/2026:12:00:00 +0000] "GET /a/ HTTP/1.1" 200 5'
    assert parser.parse(good) is not None
    # A limit no match can keep (a nanosecond): the engine gives up at its first check, so
    # even the good line is unparsed, and so is a line of spaces that would backtrack.
    parser.fallback._parser._rgx = _TimedPattern(pattern.pattern, 1e-9)
    assert parser.fallback.parse(good) == "unparsed"
    assert parser.fallback.parse(ambiguous_lines(b" ")[0]) == "unparsed"
