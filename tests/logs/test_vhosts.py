from __future__ import annotations

import pytest

from admin_hits.logs.vhosts import SiteLines, host_reader, logs_host, normal_host

LINE = '203.0.113.5 - - [28/Nov/2026:12:00:00 +0100] "GET /a HTTP/1.1" 200 5 "-" "UA x"'


@pytest.mark.parametrize(
    ("log_format", "line", "host"),
    [
        ("vhost_combined", "www.example.com:443 " + LINE, b"www.example.com"),
        # vhost_common logs "%v %h", no port: a port would be read with the host.
        ("vhost_common", "blog.example.com " + LINE, b"blog.example.com"),
        ("%v %h %l %u %t \"%r\" %>s %b", "www.example.com " + LINE, b"www.example.com"),
        # The host after a time with spaces, and after a quoted field with an escaped quote.
        ('%h %l %u %t "%r" %>s %b %v', LINE.split(' "-"')[0] + " a.example", b"a.example"),
        ('%h %t "%{User-Agent}i" %v', '1.2.3.4 [28/Nov/2026:12:00:00 +0100] "a \\" b" b.example',
         b"b.example"),
        ('%h %t "%r" "%{Host}i"', '1.2.3.4 [28/Nov/2026:12:00:00 +0100] "GET / HTTP/1.1" '
         '"C.Example:8080"', b"C.Example:8080"),
        ("vhost_combined", "", None),
    ],
)  # fmt: skip
def test_host_reader(log_format: str, line: str, host: bytes | None) -> None:
    assert host_reader(log_format)(line.encode()) == host


@pytest.mark.parametrize(
    ("raw", "host"),
    [
        (b"www.example.com", "www.example.com"),
        (b"WWW.Example.COM.:443", "www.example.com"),
        (b"[2001:DB8::1]:8080", "[2001:db8::1]"),
        (b"[2001:db8::1]", "[2001:db8::1]"),
        (b"example.com:80", "example.com"),
    ],
)
def test_normal_host(raw: bytes, host: str) -> None:
    assert normal_host(raw) == host


def test_formats_without_a_host() -> None:
    assert not logs_host("combined")
    assert logs_host("vhost_combined")
    assert logs_host('%h %t "%r" %>s "%{Host}i"')
    with pytest.raises(ValueError, match="logs no host"):
        host_reader("combined")


def test_site_lines_keeps_its_site_and_counts_the_others_once() -> None:
    hosts = {"a.example": 1, "b.example": 2}
    lines = [b"a.example:80 " + LINE.encode(), b"B.example:80 " + LINE.encode(),
             b"c.example:80 " + LINE.encode(), b""]  # fmt: skip
    first = SiteLines("vhost_combined", hosts, 1, takes_unread=True)
    second = SiteLines("vhost_combined", hosts, 2, takes_unread=False)
    assert first.keep(lines) == [lines[0], lines[3]]  # the unreadable line is skipped once
    assert second.keep(lines) == [lines[1]]
    assert (first.other, second.other) == (1, 0)
    catch_all = SiteLines("vhost_combined", {**hosts, "*": 3}, 3, takes_unread=False)
    assert catch_all.keep(lines) == [lines[2]]
