"""Real-world combined-format lines, good and ugly, with what each counts as.

Shared by the log core's tests and the pipe's: build the aggregator with ``LOG_FORMAT``,
``TZ``, ``RULES`` and ``MAX_LINE_LENGTH`` (``aggregator()`` does) and every line of ``CASES``
must get its verdict. A view by a bot is a view whose verdict names the bot
(``bot_view``); ``counts.views`` holds the human ones.
"""

from __future__ import annotations

from datetime import date

from admin_hits.logs import Aggregator, Verdict, ViewRules

LOG_FORMAT = "combined"
TZ_NAME = "Europe/Berlin"
RULES = ViewRules(excluded_prefixes=("/static/", "/media/"))
MAX_LINE_LENGTH = 16384
# A fixed visitor salt, so that two aggregators of a test count the same visitor keys.
SALT = b"tests of the log core, not secret"
UA = b'"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"'
NOV28 = date(2026, 11, 28)


def aggregator(**kwargs: object) -> Aggregator:
    """The aggregator the cases are written for."""
    from zoneinfo import ZoneInfo

    options: dict = {
        "tz": ZoneInfo(TZ_NAME), "rules": RULES, "max_line_length": MAX_LINE_LENGTH, "salt": SALT,
    }  # fmt: skip
    return Aggregator(LOG_FORMAT, **{**options, **kwargs})


def line(
    request: bytes,
    status: bytes = b"200",
    when: bytes = b"28/Nov/2026:10:00:00 +0100",
    host: bytes = b"203.0.113.9",
    tail: bytes = b'"https://www.google.com/" ' + UA,
) -> bytes:
    """A combined line; ``request`` is what goes between the quotes of ``%r``."""
    return host + b" - - [" + when + b'] "' + request + b'" ' + status + b" 5120 " + tail + b"\n"


def view(path: str, day: date = NOV28) -> Verdict:
    return Verdict("view", "", day, path)


def bot_view(path: str, bot: str, day: date = NOV28) -> Verdict:
    return Verdict("view", "", day, path, bot)


def agent(user_agent: bytes) -> bytes:
    """A combined line's tail with ``user_agent`` and no referrer."""
    return b'"-" "' + user_agent + b'"'


def ignored(reason: str, path: str = "", day: date = NOV28) -> Verdict:
    return Verdict("ignored", reason, day, path)


def skipped(reason: str) -> Verdict:
    return Verdict("skipped", reason, None, "")


GET = b"GET /articles/hello/ HTTP/1.1"

CASES: list[tuple[bytes, Verdict]] = [
    # Plain views, and what the path keeps or loses.
    (line(GET), view("/articles/hello/")),
    (line(b"GET /articles/hello/?utm_source=news&b=1 HTTP/2.0"), view("/articles/hello/")),
    (line(b"GET /articles/hello/#comments HTTP/1.1"), view("/articles/hello/")),
    (line(b"GET /search/?q=caf%C3%A9 HTTP/1.1"), view("/search/")),
    (line(b"GET /caf%C3%A9/ HTTP/1.1"), view("/caf%C3%A9/")),
    (line(b"GET /caf\\xc3\\xa9/ HTTP/1.1"), view("/caf\\xc3\\xa9/")),  # Apache's \xHH
    (line(b'GET /say\\"hi\\"/ HTTP/1.1'), view('/say\\"hi\\"/')),  # an escaped quote
    (line(b"GET //double//slashes HTTP/1.1"), view("//double//slashes")),
    (line(b"GET /files.d/ HTTP/1.1"), view("/files.d/")),
    (line(b"GET /about.html HTTP/1.1"), view("/about.html")),
    (line(b"GET http://example.com/articles/x/?a=1 HTTP/1.1"), view("/articles/x/")),
    (line(b"GET https://example.com HTTP/1.1"), view("/")),
    (line(b"GET /old-page"), view("/old-page")),  # HTTP/0.9: no protocol
    (line(GET, b"304"), view("/articles/hello/")),
    (line(GET, b"204"), view("/articles/hello/")),
    (line(GET).replace(b"\n", b"\r\n"), view("/articles/hello/")),
    (line(GET)[:-1], view("/articles/hello/")),  # no line break (last line of a file)
    # Hosts, users and user agents.
    (line(GET, host=b"2001:db8::1"), view("/articles/hello/")),
    (line(GET, host=b"::ffff:192.0.2.128"), view("/articles/hello/")),
    (line(GET, host=b"crawl-66-249-66-1.googlebot.com"), view("/articles/hello/")),
    (line(GET).replace(b" - - [", b' - "" ['), view("/articles/hello/")),  # empty user
    (line(GET).replace(b" - - [", b" - alice@example.com ["), view("/articles/hello/")),
    (line(GET, tail=b'"-" "-"'), bot_view("/articles/hello/", "(no user agent)")),
    (line(GET, tail=b'"" ""'), bot_view("/articles/hello/", "(no user agent)")),
    (line(GET, tail=b'"-" "Mozilla/5.0 \\"quoted\\" (x)"'), view("/articles/hello/")),
    (
        line(GET, tail=b'"-" "Mozilla/5.0 (X11) ends with a backslash\\\\"'),
        view("/articles/hello/"),
    ),
    (line(GET, tail=b'"-" "Bot\\x09\\xff\\x00"'), bot_view("/articles/hello/", "Bot")),
    (
        line(GET, tail=b'"-" "Mozilla/5.0 (X11) caf\xc3\xa9 raw UTF-8 \xff"'),
        view("/articles/hello/"),
    ),
    (
        line(GET, tail=b'"-" "Mozilla/5.0 (X11) a\ttab"'),
        view("/articles/hello/"),
    ),  # a raw tab is text
    # Bots: the dataset, AI crawlers, generic words, scripts; people's browsers are not.
    (
        line(
            GET,
            tail=agent(b"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        ),
        bot_view("/articles/hello/", "Googlebot"),
    ),
    (
        line(
            GET,
            tail=agent(
                b"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
                b"GPTBot/1.2; +https://openai.com/gptbot)"
            ),
        ),
        bot_view("/articles/hello/", "GPTBot"),
    ),
    (
        line(
            GET,
            tail=agent(
                b"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; "
                b"ClaudeBot/1.0; +claudebot@anthropic.com)"
            ),
        ),
        bot_view("/articles/hello/", "ClaudeBot"),
    ),
    (
        line(GET, tail=agent(b"CCBot/2.0 (https://commoncrawl.org/faq/)")),
        bot_view("/articles/hello/", "CCBot"),
    ),
    (line(GET, tail=agent(b"curl/8.5.0")), bot_view("/articles/hello/", "curl")),
    (
        line(GET, tail=agent(b"python-requests/2.31.0")),
        bot_view("/articles/hello/", "python-requests"),
    ),
    (
        line(GET, tail=agent(b"UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/")),
        bot_view("/articles/hello/", "UniversalFeedParser"),
    ),
    (
        line(
            GET,
            tail=agent(
                b"Mozilla/5.0 (Linux; Android 10; CUBOT X19) AppleWebKit/537.36 "
                b"(KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"
            ),
        ),
        view("/articles/hello/"),
    ),
    (
        line(
            GET,
            tail=agent(
                b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
                b"AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 "
                b"Safari/604.1"
            ),
        ),
        view("/articles/hello/"),
    ),
    # Not views: method, status, target, excluded, asset.
    (line(b"POST /articles/hello/ HTTP/1.1"), ignored("method", "/articles/hello/")),
    (line(b"HEAD /articles/hello/ HTTP/1.1"), ignored("method", "/articles/hello/")),
    (line(b"get /articles/hello/ HTTP/1.1"), ignored("method", "/articles/hello/")),
    (line(b"OPTIONS * HTTP/1.1"), ignored("method")),
    (line(b"CONNECT example.com:443 HTTP/1.1", b"405"), ignored("method")),
    (line(b"CONNECT example.com:443 HTTP/1.1"), ignored("method")),
    (line(b"-", b"408", tail=b'"-" "-"'), ignored("method")),  # connection closed, no request
    (line(b"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03", b"400"), ignored("method")),
    (line(b"", b"400"), ignored("method")),
    (line(GET, b"404"), ignored("status", "/articles/hello/")),
    (line(GET, b"301"), ignored("status", "/articles/hello/")),
    (line(GET, b"500"), ignored("status", "/articles/hello/")),
    (line(GET, b"-"), ignored("status", "/articles/hello/")),
    (line(b"GET ?x=1 HTTP/1.1"), ignored("target")),
    (line(b"GET example.com:443 HTTP/1.1"), ignored("target")),
    (line(b"GET /static/css/site.css HTTP/1.1"), ignored("excluded", "/static/css/site.css")),
    (line(b"GET /media/report HTTP/1.1"), ignored("excluded", "/media/report")),
    (line(b"GET /images/Logo.PNG HTTP/1.1"), ignored("asset", "/images/Logo.PNG")),
    (line(b"GET /download/app.tar.gz?v=2 HTTP/1.1"), ignored("download", "/download/app.tar.gz")),
    (line(b"GET /robots.txt HTTP/1.1"), ignored("asset", "/robots.txt")),
    (line(b"GET /favicon.ico HTTP/1.1", b"404"), ignored("status", "/favicon.ico")),
    # Dates: the zone of the line, converted to Europe/Berlin.
    (line(GET, when=b"28/Nov/2026:23:59:59 +0100"), view("/articles/hello/")),
    (line(GET, when=b"28/Nov/2026:23:00:00 +0000"), view("/articles/hello/", date(2026, 11, 29))),
    (line(GET, when=b"28/Nov/2026:22:59:59 +0000"), view("/articles/hello/")),
    (line(GET, when=b"29/Nov/2026:04:29:59 +0530"), view("/articles/hello/")),
    (line(GET, when=b"29/Nov/2026:04:30:00 +0530"), view("/articles/hello/", date(2026, 11, 29))),
    (line(GET, when=b"28/Nov/2026:18:00:00 -0500"), view("/articles/hello/", date(2026, 11, 29))),
    (line(GET, when=b"28/Nov/2026:10:00:60 +0100"), view("/articles/hello/")),  # leap second
    # The spring-forward day in Berlin (29 March 2026, +0100 until 01:00 UTC, then +0200).
    (line(GET, when=b"28/Mar/2026:22:59:59 +0000"), view("/articles/hello/", date(2026, 3, 28))),
    (line(GET, when=b"28/Mar/2026:23:00:00 +0000"), view("/articles/hello/", date(2026, 3, 29))),
    (line(GET, when=b"29/Mar/2026:03:30:00 +0200"), view("/articles/hello/", date(2026, 3, 29))),
    (line(GET, when=b"29/Mar/2026:21:59:59 +0000"), view("/articles/hello/", date(2026, 3, 29))),
    (line(GET, when=b"29/Mar/2026:22:00:00 +0000"), view("/articles/hello/", date(2026, 3, 30))),
    # The fall-back day (25 October 2026): 02:30 happens twice, both on the 25th.
    (line(GET, when=b"25/Oct/2026:02:30:00 +0200"), view("/articles/hello/", date(2026, 10, 25))),
    (line(GET, when=b"25/Oct/2026:02:30:00 +0100"), view("/articles/hello/", date(2026, 10, 25))),
    (line(GET, when=b"25/Oct/2026:22:59:59 +0000"), view("/articles/hello/", date(2026, 10, 25))),
    (line(GET, when=b"25/Oct/2026:23:00:00 +0000"), view("/articles/hello/", date(2026, 10, 26))),
    # Impossible dates.
    (line(GET, when=b"30/Feb/2026:10:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Foo/2026:10:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/nov/2026:10:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/0000:10:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"00/Nov/2026:10:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/2026:24:00:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/2026:10:60:00 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/2026:10:00:61 +0100"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/2026:10:00:00 +2500"), skipped("bad_date")),
    (line(GET, when=b"28/Nov/2026:10:00:00 +0199"), skipped("bad_date")),
    (line(GET, when=b"01/Jan/0001:00:30:00 +0100"), skipped("bad_date")),  # before year 1 in UTC
    # Lines that are not the format, too long, or not text.
    (b"", skipped("unparsed")),
    (b"\n", skipped("unparsed")),
    (b"hello world\n", skipped("unparsed")),
    (b" " + line(GET), skipped("unparsed")),
    (line(GET)[:150] + b"\n", skipped("unparsed")),  # cut off in the middle
    (line(GET, tail=b'"-"'), skipped("unparsed")),  # the common format in a combined log
    (line(GET)[:-1] + b" 1234\n", skipped("unparsed")),  # one field more (%D)
    (line(GET).replace(b"28/Nov/2026:10:00:00", b"2026-11-28 10:00:00"), skipped("unparsed")),
    (line(GET).replace(b" - - [", b" - john doe ["), skipped("unparsed")),  # space in a user
    (line(GET).replace(b"5120", b"lots"), skipped("unparsed")),
    (line(GET).replace(b'"GET', b"GET"), skipped("unparsed")),
    (line(b"GET /" + b"a" * 16400 + b" HTTP/1.1"), skipped("too_long")),
    (b"x" * 20000 + b"\n", skipped("too_long")),
    (b"\x00" * 64 + b"\n", skipped("binary")),
    (line(GET, tail=b'"-" "Bot\x00\x01"'), skipped("binary")),
    (line(GET).replace(b"GET", b"G\x1bET"), skipped("binary")),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00", skipped("binary")),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00\n", skipped("binary")),
]
