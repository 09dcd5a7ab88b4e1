"""The made-up line of ``admin-hits-pipe --check``: every readable format reads it back."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from admin_hits.logs import LineParser
from admin_hits.logs.formats import NICKNAMES
from admin_hits.logs.samples import SAMPLE_PATH, sample_line

WHEN = datetime.datetime(2026, 11, 29, 9, 5, 7, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    "log_format",
    [
        *sorted(NICKNAMES),
        '%v %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
        '%a %l %u %{%d/%b/%Y:%H:%M:%S %z}t "%m %U%q %H" %>s %B %D',
        '%{X-Forwarded-For}i %t "%r" %s %T 100%%',
        '%h %t \\"%r\\" %>s',  # pasted from an Apache config
    ],
)
def test_each_format_reads_its_sample_back(log_format: str) -> None:
    record = LineParser(log_format).examine(sample_line(log_format, WHEN))
    assert not isinstance(record, str), (log_format, record)
    assert (record.method, record.target, record.status) == ("GET", SAMPLE_PATH, 200)
    assert record.time == WHEN


def test_the_sample_is_one_line_of_a_browser() -> None:
    line = sample_line("combined", WHEN)
    assert line.count("\n") == 1 and line.endswith("\n")
    assert line.startswith('203.0.113.5 - - [29/Nov/2026:09:05:07 +0100] "GET /admin-hits')
    assert '"Mozilla/5.0 (X11; Linux x86_64)' in line
