"""Hostile lines: what attackers, broken clients and broken writers put in access logs, and
pieces to build more of them from.

Shared by the tests that check every such line gets an answer (``tests/hardening``,
``tests/logs/test_properties.py``) and by ``bench/hostile_lines.py``, which prints how long the
slowest of them takes: a speed goal is a figure there, never an assertion in a test.
"""

from __future__ import annotations

from tests.logs.cases import GET, agent, line

#: ``%k`` is not compiled: this format goes through apachelogs' regex.
FALLBACK = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %k'
#: Compiled formats unlike ``combined``: the status first, and the request logged in parts.
TWO_SPANS = '%>s %h %t "%r" %b'
SPLIT_REQUEST = '%h %t "%m %U%q %H" %>s "%{User-Agent}i"'
#: An unquoted field that may hold spaces, beside ``%h``: apachelogs' regex may split a line
#: of spaces between them in every way (``admin_hits/logs/fallback.py``).
AMBIGUOUS = '%h %l %u %{X-Forwarded-For}i %t "%r" %>s %b'
#: What the ambiguous format is fed: runs of these, just under the fallback's length limit.
AMBIGUOUS_FILLERS = (b" ", b"a ", b"\\x41 ")


def near(piece: bytes, size: int = 1000) -> bytes:
    """``piece`` repeated to ``size`` bytes: just under the apachelogs fallback's limit (1,024),
    so its regex runs on them, or long (16,000) for the compiled formats."""
    return (piece * (size // len(piece) + 1))[:size]


def ambiguous_lines(filler: bytes) -> list[bytes]:
    """Lines of ``filler`` that no field split of ``AMBIGUOUS`` matches."""
    hostile = (filler * 1024)[:1020]
    return [hostile, b"1.2.3.4 - - " + hostile, hostile + b" [x"]


def as_format(log_line: bytes, log_format: str) -> bytes:
    """The line in ``log_format``: the fallback format logs one field more (``%k``)."""
    if log_format == FALLBACK and log_line.endswith(b"\n"):
        return log_line[:-1] + b" 0\n"
    return log_line


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

# Pieces of real and hostile lines, so that fuzzing reaches deep into the regexes (and their
# backtracking) more often than random bytes do.
PIECES = [
    b"203.0.113.9", b"2001:db8::1", b" ", b"- ", b"-", b'"', b'\\"', b"\\", b"\\\\", b"[", b"]",
    b"28/Nov/2026:10:00:00 +0100", b"30/Feb/2026:10:00:00 +0100", b"GET", b"CONNECT",
    b"OPTIONS *", b"/a/?b=1", b"%2e%00%", b"HTTP/1.1", b"200", b"400", b"404", b"5120",
    b"Mozilla/5.0 (X11)", b"\\x16\\x03", b"\\x41" * 8, b"\\x", b"\\x4", b"\t", b"\x00", b"\r",
    b"\n", b"\xc3\xa9", b"\xff", b"- - ", b'" "', b"http://e.example/a", b"javascript:",
    b"<script>", b'"GET /', b' HTTP/1.1" 200 5120 "', b'" "Mozilla/5.0"\n',
    b"200 203.0.113.9 [28/Nov/2026:10:00:00 +0100] ",
]  # fmt: skip


def inserted(log_line: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    """``log_line`` with each ``(at, piece)`` of ``edits`` inserted (``at`` wraps around)."""
    for at, insert in edits:
        at %= len(log_line) + 1
        log_line = log_line[:at] + insert + log_line[at:]
    return log_line


def overwritten(log_line: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    """``log_line`` with the bytes at each ``(at, piece)`` of ``edits`` replaced by the piece."""
    for at, insert in edits:
        at %= len(log_line) + 1
        log_line = log_line[:at] + insert + log_line[at + len(insert) :]
    return log_line
