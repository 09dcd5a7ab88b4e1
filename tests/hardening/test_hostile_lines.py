"""Hostile lines: a corpus of what attackers, broken clients and broken writers put in access
logs, and property-based fuzzing of the line parser. Nothing escapes as an exception, and no
line takes more than ``SLOWEST_LINE`` to judge or parse, in a compiled format and in one
parsed by apachelogs (the fallback for directives the core does not compile).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from admin_hits.logs import Aggregator, LineParser, Verdict, ViewRules
from tests.helpers import combined
from tests.logs.cases import CASES, GET, agent, ignored, line, skipped, view

BERLIN = ZoneInfo("Europe/Berlin")
#: The issue's bound for one line. Measured in CPU time of this thread with the garbage
#: collector off, so other work on the machine does not stretch it; the worst line of the
#: corpus takes about 0.5 ms (compiled) and 0.3 ms (apachelogs); a backtracking regex seconds.
SLOWEST_LINE = 0.010
#: ``%k`` is not compiled: this format goes through apachelogs' regex.
FALLBACK = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k'
FORMATS = {"combined": "combined", "apachelogs": FALLBACK}
KINDS = {"view", "ignored", "skipped"}


def near(piece: bytes, size: int = 1000) -> bytes:
    """``piece`` repeated to ``size`` bytes: just under the apachelogs fallback's limit (1,024),
    so its regex runs on them, or long (16,000) for the compiled formats."""
    return (piece * (size // len(piece) + 1))[:size]


TLS = b"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03"
HEAD = b'1.2.3.4 - - [28/Nov/2026:10:00:00 +0100] "'
# (what it is, the line in the combined format)
CORPUS: list[tuple[str, bytes]] = [
    ("TLS handshake logged as 400", line(TLS, b"400")),
    ("no request at all", line(b"-", b"408", tail=b'"-" "-"')),
    ("empty request", line(b"", b"400")),
    ("CONNECT", line(b"CONNECT example.com:443 HTTP/1.1")),
    ("CONNECT to IPv6", line(b"CONNECT [2001:db8::1]:443 HTTP/1.1")),
    ("OPTIONS *", line(b"OPTIONS * HTTP/1.1")),
    ("HTTP/2 preface", line(b"PRI * HTTP/2.0", b"400")),
    ("absolute-form", line(b"GET http://evil.example:80/a/?b HTTP/1.1")),
    ("absolute-form, user info", line(b"GET https://u:p@evil.example/b/ HTTP/1.1")),
    ("absolute-form, IPv6 host", line(b"GET http://[::1]:8080/c/ HTTP/1.1")),
    ("scheme-relative path", line(b"GET //evil.example/ HTTP/1.1")),
    ("javascript: target", line(b"GET javascript:alert(1) HTTP/1.1")),
    ("script in the path", line(b"GET /<script>alert(1)</script>/ HTTP/1.1")),
    ("escaped quotes", line(b'GET /say\\"hi\\"/ HTTP/1.1',
                            tail=b'"-" "Mozilla/5.0 (X11) x \\"y\\" z"')),
    ("escaped backslash before a quote", line(GET, tail=b'"-" "ends \\\\"')),
    ("IPv6 client", line(GET, host=b"2001:db8::1")),
    ("IPv4-mapped client", line(GET, host=b"::ffff:192.0.2.128")),
    ("dot segments, encoded", line(b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1")),
    ("encoded NUL", line(b"GET /a%00b/ HTTP/1.1")),
    ("double encoding", line(b"GET /%252F/ HTTP/1.1")),
    ("overlong UTF-8", line(b"GET /%c0%af/ HTTP/1.1")),
    ("bad percent escapes", line(b"GET /%ZZ/%/a% HTTP/1.1")),
    ("encoded ? and #", line(b"GET /a/%3Fq=1%23f HTTP/1.1")),
    ("javascript: referrer", line(GET, tail=b'"javascript:alert(1)" "Mozilla/5.0"')),
    ("script user agent", line(GET, tail=agent(b"<script>alert(1)</script>"))),
    ("truncated", line(GET)[:60]),
    ("truncated in the date", line(GET)[:25] + b"\n"),
    ("no closing quote", line(GET)[: line(GET).rindex(b'"')] + b"\n"),
    ("binary", bytes(range(256)) + b"\n"),
    ("NUL bytes", b"\x00" * 512 + b"\n"),
    ("not UTF-8", line(b"GET /caf\xe9/ HTTP/1.1", tail=b'"\xff" "Mozilla/5.0 (X11) \xfe\xfd"')),
    # Made to send a regex into backtracking: runs of what a field may or may not hold, and
    # many \xHH escapes (which a regex may read two ways) in lines that then fail to match.
    ("spaces", near(b" ")),
    ("dash pairs", near(b"- ")),
    ("dash and two spaces", near(b"-  ")),
    ("words and spaces", near(b"a ")),
    ("brackets", near(b"[")),
    ("quote pairs", near(b'" ')),
    ("backslashes", near(b"\\")),
    ("escapes alone", near(b"\\x41")),
    ("escapes, short", b"\\x41" * 25 + b"\n"),
    ("escapes in the request, unterminated", near(HEAD + b"GET /" + near(b"\\x41", 2000))),
    ("escapes, no status", HEAD + b"GET /" + near(b"\\x41", 900) + b'"\n'),
    ("escapes, status missing", line(b"GET /" + near(b"\\x41", 800)).replace(b" 200 ", b" ")),
    ("escaped quotes, many", near(HEAD + near(b'\\"', 2000))),
    ("escaped quote and space", line(GET, tail=b'"' + near(b"\\x22 ", 800) + b'"')),
    ("escapes in the user agent", line(GET, tail=b'"-" "' + near(b"\\x41", 800))),
    ("escapes in every field", near(b"\\x41", 80) + b" - " + near(b"\\x41", 80) + b' [x] "'
     + near(b"\\x41", 800)),
    ("escapes and quotes", near(b'\\x41" ')),
    ("fields of escapes", near(b"\\x41\\x41 ")),
    ("fields and brackets", near(b"- [x] ")),
    # Long: only the compiled formats read these (the fallback skips them as too long).
    ("spaces, long", near(b" ", 16_000)),
    ("escapes, long", near(b"\\x41", 16_000)),
    ("escapes in the request, long", line(b"GET /" + near(b"\\x41", 15_000) + b" HTTP/1.1")),
    ("just under the length limit", near(HEAD + b"GET /" + near(b"\\x41", 17_000), 16_383)),
]  # fmt: skip
# Apache escapes bytes over 0x7f, so raw ones are only in lines another program wrote: the
# compiled formats read them as text, apachelogs' regex does not match them.
COMPILED_ONLY = {"not UTF-8"}

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


def as_format(log_line: bytes, log_format: str) -> bytes:
    """The line in ``log_format``: the fallback format logs one field more (``%k``)."""
    if log_format == FALLBACK and log_line.endswith(b"\n"):
        return log_line[:-1] + b" 0\n"
    return log_line


@contextmanager
def cpu_clock() -> Iterator[Callable[[], float]]:
    """CPU seconds of this thread spent inside the block, garbage collector off."""
    enabled = gc.isenabled()
    gc.disable()
    start = time.thread_time()
    end: list[float] = []
    try:
        yield lambda: end[0] - start
    finally:
        end.append(time.thread_time())
        if enabled:
            gc.enable()


class Slowest:
    """The slowest line seen per (format, function), asserted against ``SLOWEST_LINE``."""

    def __init__(self) -> None:
        self.aggregators = {name: aggregator(fmt) for name, fmt in FORMATS.items()}
        self.parsers = {name: LineParser(fmt, default_tz=BERLIN) for name, fmt in FORMATS.items()}
        self.worst: dict[str, tuple[float, bytes]] = {}

    def judge(self, log_line: bytes | str) -> dict[str, Verdict]:
        verdicts = {}
        for name, fmt in FORMATS.items():
            one = as_format(log_line, fmt) if isinstance(log_line, bytes) else log_line
            with cpu_clock() as elapsed:
                verdict = self.aggregators[name].verdict(one)
            self._note(f"{name} verdict", elapsed(), one)
            with cpu_clock() as elapsed:
                record = self.parsers[name].parse(one)
            self._note(f"{name} parse", elapsed(), one)
            assert isinstance(verdict, Verdict) and verdict.kind in KINDS
            # A line the parser refuses is never counted. (The converse does not hold: a time
            # near year 1 parses, and is a bad date once converted to the zone counted in.)
            assert record is not None or verdict.kind == "skipped"
            verdicts[name] = verdict
        return verdicts

    def _note(self, key: str, seconds: float, log_line: bytes | str) -> None:
        raw = log_line if isinstance(log_line, bytes) else log_line.encode("utf-8", "replace")
        if seconds > self.worst.get(key, (0.0, b""))[0]:
            self.worst[key] = (seconds, raw)

    def assert_fast(self) -> None:
        for key, (seconds, raw) in self.worst.items():
            assert seconds < SLOWEST_LINE, f"{key}: {seconds * 1000:.1f} ms for {raw[:100]!r}"


@pytest.fixture(scope="module")
def slowest() -> Iterator[Slowest]:
    watch = Slowest()
    yield watch
    watch.assert_fast()  # the hypothesis runs below too


@pytest.mark.parametrize(("name", "log_line"), CORPUS, ids=[name for name, _ in CORPUS])
def test_corpus(slowest: Slowest, name: str, log_line: bytes) -> None:
    verdicts = slowest.judge(log_line)
    if name in EXPECTED:
        assert verdicts["combined"] == EXPECTED[name]
        if len(log_line) <= 1024 and name not in COMPILED_ONLY:  # longer: too_long
            assert verdicts["apachelogs"] == EXPECTED[name]
    slowest.assert_fast()


def test_the_corpus_counts_without_raising(slowest: Slowest) -> None:
    for fmt in FORMATS.values():
        counting = aggregator(fmt)
        lines = [as_format(log_line, fmt) for _, log_line in CORPUS]
        counting.feed(lines)
        counts = counting.take()
        assert counts.lines == len(CORPUS)


# Pieces of real and hostile lines, so that fuzzing reaches deep into the regexes.
PIECES = [
    b"203.0.113.9", b"2001:db8::1", b" ", b"- ", b"-", b'"', b'\\"', b"\\", b"\\\\", b"[", b"]",
    b"28/Nov/2026:10:00:00 +0100", b"GET", b"CONNECT", b"OPTIONS *", b"/a/?b=1", b"%2e%00%",
    b"HTTP/1.1", b"200", b"400", b"5120", b"Mozilla/5.0 (X11)", b"\\x16\\x03", b"\\x41" * 8,
    b"\\x", b"\\x4", b"\t", b"\x00", b"\r", b"\xc3\xa9", b"\xff", b'" "', b"http://e.example/a",
    b"javascript:", b"<script>", b'"GET /', b' HTTP/1.1" 200 5120 "', b'" "Mozilla/5.0"\n',
]  # fmt: skip
pieced = st.lists(st.sampled_from(PIECES), max_size=200).map(b"".join)
mutated = st.tuples(
    st.sampled_from([case for case, _ in CASES] + [log_line for _, log_line in CORPUS]),
    st.lists(st.tuples(st.integers(0, 20_000), st.sampled_from(PIECES)), max_size=6),
).map(lambda c: _mutate(*c))


def _mutate(log_line: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    for at, insert in edits:
        at %= len(log_line) + 1
        log_line = log_line[:at] + insert + log_line[at:]
    return log_line


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))


@FUZZ
@given(st.one_of(pieced, mutated, st.binary(max_size=2000)))
def test_fuzzed_bytes(slowest: Slowest, log_line: bytes) -> None:
    slowest.judge(log_line)


@FUZZ
@given(st.text(max_size=1000))
def test_fuzzed_text(slowest: Slowest, log_line: str) -> None:
    slowest.judge(log_line)


def test_the_slowest_line_is_fast(slowest: Slowest) -> None:
    assert {key.split()[1] for key in slowest.worst} == {"verdict", "parse"}
    slowest.assert_fast()


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


AMBIGUOUS = '%h %l %u %{X-Forwarded-For}i %t "%r" %>s %b'


@pytest.mark.parametrize("filler", [b" ", b"a ", b"\\x41 "])
def test_a_format_with_ambiguous_unquoted_fields_stays_fast(filler: bytes) -> None:
    """Unquoted fields that may hold spaces let apachelogs' regex split a line of spaces in
    every way: the match runs under a time limit, so no line costs more than it."""
    aggregator = Aggregator(AMBIGUOUS, tz=ZoneInfo("UTC"), rules=ViewRules())
    parser = LineParser(AMBIGUOUS)
    hostile = (filler * 1024)[:1020]
    worst = 0.0
    for data in (hostile, b"1.2.3.4 - - " + hostile, hostile + b" [x"):
        for judge in (aggregator.verdict, parser.parse):
            started = time.process_time()
            outcome = judge(data)
            worst = max(worst, time.process_time() - started)
            assert outcome is None or outcome.kind == "skipped"
    assert worst < 0.010
    good = b'1.2.3.4 - - 5.6.7.8, 9.9.9.9 [28/Nov/2026:12:00:00 +0000] "GET /a/ HTTP/1.1" 200 5\n'
    assert aggregator.verdict(good).kind == "view"
