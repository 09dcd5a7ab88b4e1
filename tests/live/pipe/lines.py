"""One table of access-log lines, ugly ones included, with what each counts as.

Used to show that the pipe and ``parse_log`` count exactly alike: both go through the same
``Aggregator``, and ``tests/live/pipe/test_same_counts.py`` runs this table through all three.
"""

from __future__ import annotations

from tests.helpers import combined

# (line, verdict kind, reason, path); dates in Europe/Berlin (tests/settings.py TIME_ZONE).
LINES: list[tuple[str, str, str, str]] = [
    (combined("/articles/a/"), "view", "", "/articles/a/"),
    (combined("/articles/a/?utm_source=news&x=1"), "view", "", "/articles/a/"),
    (combined("/articles/a/#top"), "view", "", "/articles/a/"),
    (combined("/articles/a/", status=304), "view", "", "/articles/a/"),
    (combined("/articles/b/", "28/Nov/2026:23:59:59 +0100"), "view", "", "/articles/b/"),
    (combined("/next-day/", "28/Nov/2026:23:30:00 +0000"), "view", "", "/next-day/"),
    (combined("/early/", "27/Nov/2026:23:30:00 +0000"), "view", "", "/early/"),
    (combined("/ipv6/", ip="2001:db8::1"), "view", "", "/ipv6/"),
    (combined("/caf%C3%A9/"), "view", "", "/caf%C3%A9/"),
    (combined("/café/"), "view", "", "/café/"),
    (combined("/esc\\x1b[2J/"), "view", "", "/esc\\x1b[2J/"),  # Apache escapes control bytes
    (combined("http://example.com/absolute/?q"), "view", "", "/absolute/"),
    (combined("/quoted/", user_agent='Bot \\"x\\" 1.0'), "view", "", "/quoted/"),
    (combined("/articles/a/", method="POST"), "ignored", "method", "/articles/a/"),
    (combined("/articles/a/", method="HEAD"), "ignored", "method", "/articles/a/"),
    (combined("/articles/b/", status=404), "ignored", "status", "/articles/b/"),
    (combined("/articles/b/", status=301), "ignored", "status", "/articles/b/"),
    (combined("/static/site.css"), "ignored", "excluded", "/static/site.css"),
    (combined("/static/page/"), "ignored", "excluded", "/static/page/"),
    (combined("/media/x/"), "ignored", "download", "/media/x/"),  # MEDIA_URL: a file
    (combined("/articles/a/logo.PNG"), "ignored", "asset", "/articles/a/logo.PNG"),
    (combined("*", method="OPTIONS"), "ignored", "method", ""),
    (combined("/x/", "31/Nov/2026:10:00:00 +0100"), "skipped", "bad_date", ""),
    ("garbage that is no log line\n", "skipped", "unparsed", ""),
    (
        '1.2.3.4 - - [28/Nov/2026:12:00:00 +0100] "GET /cut/ HTTP/1.1" 200\n',
        "skipped",
        "unparsed",
        "",
    ),  # fmt: skip
    ("\n", "skipped", "unparsed", ""),
    (combined("/long/" + "x" * 20_000), "skipped", "too_long", ""),
]
