"""Formats with directives ``formats.py`` does not compile, parsed by ``apachelogs``, guarded.

apachelogs builds its regex from lazy ``.*?``-style fields, which backtrack on malformed
lines: a failed match takes time quadratic in the line's length. Measured (apachelogs 0.6.1,
one core of a small 2-core machine) with lines made of ``"- "`` pairs: 2.8 ms at 400 bytes,
11 ms at 800, 21 ms at 1,024, 84 ms at 2,048; real lines of another format fail in 0.01 to
1.4 ms. Lines longer than ``FALLBACK_MAX_LINE_LENGTH`` are therefore skipped as ``too_long``
before that regex runs, which keeps the worst line near 20 ms. Compiled formats (the common
directives) have no such limit: their regex runs in linear time.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

import apachelogs

from admin_hits.exceptions import LogFormatError

FALLBACK_MAX_LINE_LENGTH = 1024

# The fields of a parsed entry holding its time, most specific first (apachelogs names the
# time of "%{begin:...}t" begin_request_time, of "%<{...}t" original_request_time, ...).
_TIME_ATTRIBUTES = tuple(
    f"{prefix}{midfix}request_time"
    for prefix in ("", "final_", "original_")
    for midfix in ("", "begin_", "end_")
)
# What Apache escapes in logged strings (ap_escape_logitem in server/util.c).
_ESCAPED = re.compile(rb'[\x00-\x1f\x7f-\xff"\\]')
_LETTER_ESCAPES = {b"\b": "\\b", b"\n": "\\n", b"\r": "\\r", b"\t": "\\t", b"\v": "\\v"}


def apache_escape(raw: bytes | str | None) -> str:
    """``raw`` (unescaped by apachelogs) escaped back the way Apache logged it, ``"-"`` kept as
    ``""``, so that a fallback format gives the same strings as a compiled one."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    return _ESCAPED.sub(_escape_one, raw).decode("ascii")


def _escape_one(match: re.Match[bytes]) -> bytes:
    char = match[0]
    if char in b'"\\':
        return b"\\" + char
    return _LETTER_ESCAPES.get(char, f"\\x{char[0]:02x}").encode()


class FallbackFormat:
    """``apachelogs.LogParser`` for one format; ``parse`` never raises."""

    def __init__(self, fmt: str, default_tz: tzinfo) -> None:
        try:
            self._parser = apachelogs.LogParser(fmt, encoding="bytes")
        except apachelogs.Error as exc:
            raise LogFormatError(f"The log format {fmt!r} can not be used: {exc}.") from exc
        self._default_tz = default_tz

    def parse(self, line: bytes) -> tuple[Any, datetime] | str:
        """``(entry, aware time)``, or why not: ``"too_long"``, ``"unparsed"``, ``"bad_date"``."""
        if len(line) > FALLBACK_MAX_LINE_LENGTH:
            return "too_long"
        try:
            entry = self._parser.parse(line.decode("iso-8859-1"))
        except apachelogs.InvalidEntryError:
            return "unparsed"
        except (ValueError, OverflowError):  # a time field out of range: day 31 in February
            return "bad_date"
        except Exception:  # third-party converters on hostile input: never let it escape
            return "unparsed"
        when = next(
            (t for t in (getattr(entry, n, None) for n in _TIME_ATTRIBUTES) if t is not None),
            None,
        )
        if not isinstance(when, datetime):
            return "bad_date"
        if when.tzinfo is None:
            # "%{%Y-%m-%d %H:%M:%S}t" without a zone logs the server's local time.
            when = when.replace(tzinfo=self._default_tz)
        return entry, when


def entry_fields(entry: Any) -> tuple[str, str, str, str, int, str, str]:
    """``(remote_host, request, method, target, status, referrer, user_agent)`` of an entry;
    ``request`` is ``""`` when the format logs ``%m`` and ``%U`` instead of ``%r``."""
    status = getattr(entry, "final_status", None)
    if status is None:
        status = getattr(entry, "status", None)
    headers = getattr(entry, "headers_in", None) or {}
    host = getattr(entry, "remote_host", None) or getattr(entry, "remote_address", None)
    target = apache_escape(getattr(entry, "request_uri", None))
    target += apache_escape(getattr(entry, "request_query", None))
    return (
        apache_escape(host),
        apache_escape(getattr(entry, "request_line", None)) or "",
        apache_escape(getattr(entry, "request_method", None)),
        target,
        status if isinstance(status, int) else 0,
        apache_escape(headers.get("Referer")),
        apache_escape(headers.get("User-Agent")),
    )
