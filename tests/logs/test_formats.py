from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from admin_hits.exceptions import AdminHitsError, LogFormatError
from admin_hits.logs import Aggregator, LineParser, LogRecord, Verdict, ViewRules
from admin_hits.logs.fallback import FALLBACK_MAX_LINE_LENGTH, apache_escape
from tests.logs.cases import GET, line

BERLIN = ZoneInfo("Europe/Berlin")
PLUS1 = timezone(timedelta(hours=1))
WHEN = datetime(2026, 11, 28, 10, 0, 0, tzinfo=PLUS1)
COMBINED = (
    b'203.0.113.9 - - [28/Nov/2026:10:00:00 +0100] "GET /a/?x=1 HTTP/1.1" 200 5120 '
    b'"https://www.google.com/" "Mozilla/5.0 \\"quoted\\""\n'
)
COMMON = COMBINED.split(b' "https')[0]
RECORD = LogRecord(
    "203.0.113.9",
    WHEN,
    "GET",
    "/a/?x=1",
    200,
    "https://www.google.com/",
    'Mozilla/5.0 \\"quoted\\"',
)


@pytest.mark.parametrize(
    ("log_format", "log_line", "record"),
    [
        ("combined", COMBINED, RECORD),
        ("COMBINED", COMBINED, RECORD),
        ("Combined_Debian", COMBINED, RECORD),
        ("common", COMMON, RECORD._replace(referrer="", user_agent="")),
        ("common_debian", COMMON, RECORD._replace(referrer="", user_agent="")),
        ("vhost_combined", b"www.example.com:443 " + COMBINED, RECORD),
        ("vhost_common", b"www.example.com " + COMMON,
         RECORD._replace(referrer="", user_agent="")),
        # A LogFormat pasted from an Apache config, \" and all.
        ('%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-agent}i\\"', COMBINED, RECORD),
        # Fields in another order, %m %U%q %H in place of %r, %a in place of %h, extras.
        ('%t %a "%m %U%q %H" %>s %D "%{X-Forwarded-For}i" "%{User-Agent}i"',
         b'[28/Nov/2026:10:00:00 +0100] 203.0.113.9 "GET /a/?x=1 HTTP/1.1" 200 1234 '
         b'"10.0.0.1, 10.0.0.2" "UA"',
         RECORD._replace(referrer="", user_agent="UA")),
        ('%v %p %h %l %u %t "%r" %s %O %I %B %T "%{Referer}i" "%{User-Agent}i" %V %%',
         b'example.com 443 203.0.113.9 - - [28/Nov/2026:10:00:00 +0100] "GET /a/?x=1 HTTP/1.1" '
         b'200 7 8 9 0 "https://www.google.com/" "ua" www.example.com %',
         RECORD._replace(user_agent="ua")),
        # Conditional directives log "-" when their condition does not hold.
        ('%h %t "%r" %>s %!200,304b "%400,500{Referer}i"',
         b'203.0.113.9 [28/Nov/2026:10:00:00 +0100] "GET /a/?x=1 HTTP/1.1" 200 - "-"',
         RECORD._replace(referrer="", user_agent="")),
        # %<s is the original status, %>s the final one.
        ('%h %t "%r" %<s %>s', b'203.0.113.9 [28/Nov/2026:10:00:00 +0100] "GET /a/?x=1" 302 200',
         RECORD._replace(referrer="", user_agent="")),
    ],
)  # fmt: skip
def test_formats_parse(log_format: str, log_line: bytes, record: LogRecord) -> None:
    parser = LineParser(log_format)
    assert parser.compiled is not None
    assert parser.parse(log_line) == record
    assert parser.parse(log_line.decode()) == record


def test_status_is_that_of_percent_s_without_percent_greater_s() -> None:
    parser = LineParser('%h %t "%r" %s')
    record = parser.parse(b'1.2.3.4 [28/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 304')
    assert record is not None and record.status == 304


@pytest.mark.parametrize(
    ("log_format", "missing"),
    [
        ('%h "%r" %>s', ["request time"]),
        ("%h %t %>s %b", ["request line"]),
        ('%h %t "%m %q" %>s', ["request line"]),
        ('%h %t "%r"', ["final status"]),
        ('%h %t "%r" %<s', ["final status"]),
        ("%h %l %u", ["request time", "request line", "final status"]),
        ("", ["request time", "request line", "final status"]),
    ],
)
def test_unusable_formats_say_what_is_missing(log_format: str, missing: list[str]) -> None:
    with pytest.raises(LogFormatError) as caught:
        LineParser(log_format)
    for what in missing:
        assert what in str(caught.value)
    assert isinstance(caught.value, AdminHitsError)


@pytest.mark.parametrize(
    ("log_format", "message"),
    [
        ("combinedd", "Unknown log format nickname 'combinedd': use one of combined, "),
        ("nginx", "Unknown log format nickname"),
        ('%h %t "%r" %>s %', "Invalid directive at index 15"),
        ('%h %t "%r" %>s %Z', "Unknown log format directive: '%Z'"),
        ('%h %t "%r" %>s %{nope}p', "Unknown log format directive"),
    ],
)
def test_bad_formats_raise_log_format_error(log_format: str, message: str) -> None:
    with pytest.raises(LogFormatError, match=message.replace("(", r"\(")):
        LineParser(log_format)


@pytest.mark.parametrize(
    "log_format",
    [
        '%h %t "%r" %>s %k',  # a directive not compiled
        '%h %t "%r" %>s %{X-Forwarded-For}i',  # a header not between quotes: spaces in it
        "%h %t %r %>s",  # a request line not between quotes
        '%h %{%d/%b/%Y:%H:%M:%S %z}t "%r" %>s',  # a custom time format
        '%{c}a %t "%r" %>s',
    ],
)
def test_formats_apachelogs_parses(log_format: str) -> None:
    parser = LineParser(log_format)
    assert parser.compiled is None and parser.fallback is not None


def test_uncompiled_directive_falls_back_to_apachelogs() -> None:
    parser = LineParser(
        '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k %{ms}T %{tid}P %X'
    )
    assert parser.compiled is None and parser.fallback is not None
    record = parser.parse(COMBINED[:-1] + b" 3 12 140 +\n")
    assert record == RECORD
    assert parser.parse(COMBINED) is None
    assert parser.examine(b"\x00 binary") == "binary"
    assert parser.examine((COMBINED[:-1] + b" 3 12 140 +").replace(b"2026", b"0000")) == "bad_date"


def test_custom_time_format_falls_back_and_uses_the_default_zone() -> None:
    log_format = '%h %{%Y-%m-%d %H:%M:%S}t "%r" %>s "%{User-Agent}i"'
    log_line = b'203.0.113.9 2026-11-28 23:30:00 "GET /a/?x=1 HTTP/1.1" 200 "ua/1 (x)"'
    assert LineParser(log_format).parse(log_line) == LogRecord(
        "203.0.113.9",
        datetime(2026, 11, 28, 23, 30, tzinfo=UTC),
        "GET",
        "/a/?x=1",
        200,
        "",
        "ua/1 (x)",
    )
    record = LineParser(log_format, default_tz=BERLIN).parse(log_line)
    assert record is not None and record.time.utcoffset() == timedelta(hours=1)
    utc = Aggregator(log_format, tz=BERLIN, rules=ViewRules())
    # The time has no zone: it is the web server's, taken to be the zone counted in.
    assert utc.verdict(log_line) == Verdict("view", "", date(2026, 11, 28), "/a/")
    assert utc.verdict(log_line.replace(b"11-28", b"02-30")) == Verdict(
        "skipped", "bad_date", None, ""
    )
    assert utc.verdict(b"nonsense") == Verdict("skipped", "unparsed", None, "")


def test_custom_time_format_with_zone() -> None:
    log_format = '%h [%{%d/%b/%Y:%H:%M:%S %z}t] "%r" %>s %b "%{Referer}i" "%{User-Agent}i"'
    aggregator = Aggregator(log_format, tz=BERLIN, rules=ViewRules())
    counts = Aggregator("combined", tz=BERLIN, rules=ViewRules())
    lines = [line(GET).replace(b" - - [", b" ["), line(GET, when=b"28/Nov/2026:23:30:00 +0000")]
    lines[1] = lines[1].replace(b" - - [", b" [")
    aggregator.feed(lines)
    assert aggregator.take().views == {
        (date(2026, 11, 28), "/articles/hello/"): 1,
        (date(2026, 11, 29), "/articles/hello/"): 1,
    }
    assert counts.verdict(lines[0]).reason == "unparsed"


def test_fallback_skips_long_lines_before_its_regex() -> None:
    log_format = '%h %t "%r" %>s %k'
    aggregator = Aggregator(log_format, tz=BERLIN, rules=ViewRules())
    short = b'1.2.3.4 [28/Nov/2026:10:00:00 +0100] "GET /a HTTP/1.1" 200 0'
    long = short.replace(b"/a", b"/" + b"a" * FALLBACK_MAX_LINE_LENGTH)
    assert aggregator.verdict(short).kind == "view"
    assert aggregator.verdict(long) == Verdict("skipped", "too_long", None, "")
    aggregator.feed([short, long, b"- " * 400, short.decode()])
    counts = aggregator.take()
    assert (counts.views_total, counts.skipped["too_long"], counts.skipped["unparsed"]) == (2, 1, 1)


def test_fallback_and_compiled_formats_give_the_same_strings() -> None:
    compiled = LineParser("combined")
    fallback = LineParser('%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k')
    ugly = (
        b'2001:db8::1 - - [28/Nov/2026:10:00:00 +0100] "GET /caf\\xc3\\xa9/\\"q\\"?a=\\\\ HTTP/1.1"'
        b' 200 1 "-" "Bot \\"x\\" \\t \\x7f\\\\"'
    )
    assert compiled.parse(ugly) == fallback.parse(ugly + b" 0")
    assert fallback.parse(b'1.2.3.4 - - [28/Nov/2026:10:00:00 +0100] "-" 408 0 "-" "-" 0') == (
        LogRecord("1.2.3.4", WHEN, "", "", 408, "", "")
    )


@pytest.mark.parametrize(
    ("raw", "logged"),
    [
        (None, ""),
        (b"plain", "plain"),
        (b'say "hi" \\ ok', 'say \\"hi\\" \\\\ ok'),
        (b"\x16\x03\x01\xff\t\n", "\\x16\\x03\\x01\\xff\\t\\n"),
        ("already text", "already text"),
    ],
)
def test_apache_escape(raw: bytes | str | None, logged: str) -> None:
    assert apache_escape(raw) == logged


@pytest.mark.parametrize(
    ("log_format", "template"),
    [
        # The request as %m %U%q %H: judged by the span regexes, not the combined shortcut.
        ('%a %t "%m %U%q %H" %>s "%{User-Agent}i"',
         b'1.2.3.4 [{when}] "GET {target} HTTP/1.1" {status} "ua/1 (x)"'),
        # The status before the time, the request after it: two spans.
        ('%>s %h [%t] "%r" %b', b'{status} 1.2.3.4 [[{when}]] "GET {target} HTTP/1.1" 12'),
        # Something between the request and the status.
        ('%h %t "%r" %D %>s', b'1.2.3.4 [{when}] "GET {target} HTTP/1.1" 1234 {status}'),
    ],
)  # fmt: skip
def test_other_layouts_count_alike(log_format: str, template: bytes) -> None:
    def make(target: bytes, status: bytes = b"200", when: bytes = b"28/Nov/2026:23:30:00 +0100"):
        return (
            template.replace(b"{target}", target)
            .replace(b"{status}", status)
            .replace(b"{when}", when)
        )

    aggregator = Aggregator(log_format, tz=BERLIN, rules=ViewRules())
    assert aggregator.parser.compiled is not None
    nov28, nov29 = date(2026, 11, 28), date(2026, 11, 29)
    bad_date = Verdict("skipped", "bad_date", None, "")
    cases = [
        (make(b"/a/?x=1"), Verdict("view", "", nov28, "/a/")),
        (make(b"/a/", when=b"28/Nov/2026:23:30:00 +0000"), Verdict("view", "", nov29, "/a/")),
        (make(b"/a/", b"404"), Verdict("ignored", "status", nov28, "/a/")),
        (make(b"/a/", b"-"), Verdict("ignored", "status", nov28, "/a/")),
        (make(b"/x.css"), Verdict("ignored", "asset", nov28, "/x.css")),
        (make(b"/a/", when=b"31/Nov/2026:23:30:00 +0100"), bad_date),
        (make(b"/a/b\\x41/"), Verdict("view", "", nov28, "/a/b\\x41/")),
        (make(b"/a/").replace(b"1.2.3.4", b"1.2.3.4 x"), Verdict("skipped", "unparsed", None, "")),
    ]  # fmt: skip
    for log_line, expected in cases:
        assert aggregator.verdict(log_line) == expected, log_line
    lines = [log_line for log_line, _ in cases] * 3
    aggregator.feed(lines)
    counts = aggregator.take()
    assert counts.views == {(date(2026, 11, 28), "/a/"): 3, (date(2026, 11, 29), "/a/"): 3,
                            (date(2026, 11, 28), "/a/b\\x41/"): 3}  # fmt: skip
    assert counts.skipped == {"bad_date": 3, "unparsed": 3}
