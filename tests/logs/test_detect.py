"""Telling the usual log formats apart from a file's first lines (``parse_log --format auto``)."""

from __future__ import annotations

import pytest

from admin_hits.logs.detect import (
    COMBINED_MICROSECONDS,
    COMBINED_SECONDS,
    VHOST_WITHOUT_PORT,
    detect,
    option_text,
)

REQUEST = '[28/Nov/2026:12:00:00 +0100] "GET /a/ HTTP/1.1" 200 512'
UA = '"-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0"'


@pytest.mark.parametrize(
    ("line", "option"),
    [
        (f"203.0.113.9 - - {REQUEST}\n", "common"),
        (f"www.example.com 203.0.113.9 - - {REQUEST}\n", "vhost_common"),
        (f"203.0.113.9 - - {REQUEST} {UA}\n", "combined"),
        (f"2001:db8::1 - bob {REQUEST} {UA}\n", "combined"),
        (f"www.example.com:443 203.0.113.9 - - {REQUEST} {UA}\n", "vhost_combined"),
        (f"www.example.com 203.0.113.9 - - {REQUEST} {UA}\n", VHOST_WITHOUT_PORT),
        (b"203.0.113.9 - - " + REQUEST.encode() + b"\r\n", "common"),  # bytes, CRLF
        (f"203.0.113.9 - - {REQUEST} {UA} 4512\n", COMBINED_MICROSECONDS),
        (f"203.0.113.9 - - {REQUEST} {UA} 0.004\n", COMBINED_SECONDS),  # nginx
    ],
)
def test_each_usual_format_is_told_apart(line: str | bytes, option: str) -> None:
    found = detect([line] * 3)
    assert found is not None and found.option == option


def test_most_lines_decide_and_blank_lines_do_not_count() -> None:
    combined = f"203.0.113.9 - - {REQUEST} {UA}\n"
    assert detect([combined, "\n", "junk\n", combined]).option == "combined"
    assert detect(["junk\n", "junk\n", combined]) is None  # not more than half
    assert detect([]) is None and detect(["\n", "  \n"]) is None
    assert detect(['{"json": 1}\n'] * 5) is None


def test_option_text_quotes_a_format_string() -> None:
    assert option_text(detect([f"www.example.com 203.0.113.9 - - {REQUEST} {UA}\n"])) == (
        f"'{VHOST_WITHOUT_PORT}'"
    )
