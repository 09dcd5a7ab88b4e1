"""Formats with directives ``formats.py`` does not compile, parsed by ``apachelogs``, guarded.

apachelogs builds its regex from lazy ``.*?``-style fields, which backtrack on malformed
lines, and some of its fields match the same text in two ways; a line that fails to match
tries every way to split it:

- ``\\xHH`` is ``\\x`` and two characters, or one ``\\x[0-9A-Fa-f]{2}``: a line of 25 escapes
  took seconds, 60 would take days;
- ``-`` is a string, or the "no value" alternative: twice the work per field;
- ``%h`` may hold spaces (a host never does), so a line of spaces splits between ``%h`` and
  ``%u`` in every way: 21 ms at 1,024 bytes, 84 ms at 2,048.

The regex is therefore built again (``_unambiguous``) with ``%h`` one word, as the compiled
formats read it, and without the second way of each; it matches the same lines of Apache's
and gives the same fields. The worst line found for ``combined`` plus ``%k`` then takes
0.1 ms. Every further unquoted field that may hold spaces (an unquoted
``%{X-Forwarded-For}i``) multiplies the worst case by the line's length (17 ms for 1,024
spaces with ``%h %l %u %{X-Forwarded-For}i``), so lines longer than
``FALLBACK_MAX_LINE_LENGTH`` are skipped as ``too_long`` before the regex runs, and the match
itself runs on the ``regex`` package's engine, which gives up after ``FALLBACK_TIMEOUT``
seconds (the standard library's ``re`` can not be stopped): whatever the format, no line costs
more than that, and one that would is counted as ``unparsed``. Compiled formats (the common
directives) have no such limit: their regex runs in linear time.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

import apachelogs
import regex
from apachelogs.directives import PLAIN_DIRECTIVES, format2regex
from apachelogs.util import esc_word

from admin_hits.exceptions import LogFormatError

FALLBACK_MAX_LINE_LENGTH = 1024
FALLBACK_TIMEOUT = 0.005  # seconds one line's match may take
# Redundant alternatives of apachelogs' escaped strings (util.esc_string, esc_word, CRUMB; the
# query of %q), each beside a character class that holds every hex digit and "-", and "\\.":
# "\\xHH" is also "\\." and two hex digits; a lone "-" (clf(), "no value") is also a string.
_REDUNDANT = ((r"|\\x[0-9A-Fa-f]{2}", ""), (r"|\\.)*?|-)", r"|\\.)*?)"))
_DIRECTIVES = {**PLAIN_DIRECTIVES, "h": ("remote_host", esc_word)}

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
        _unambiguous(self._parser, fmt)
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


def _unambiguous(parser: apachelogs.LogParser, fmt: str) -> None:
    """Give ``parser`` the regex without redundant ways to match (see the module's docstring);
    its groups stay those apachelogs converts."""
    groups, pattern = format2regex(fmt, plain_directives=_DIRECTIVES)
    for redundant, kept in _REDUNDANT:
        pattern = pattern.replace(redundant, kept)
    if len(groups) != len(parser._group_defs):  # apachelogs' own: LogParser.__attrs_post_init__
        pattern = parser._rgx.pattern
    parser._rgx = _TimedPattern(pattern, FALLBACK_TIMEOUT)


class _TimedPattern:
    """The ``fullmatch`` apachelogs calls, on an engine that stops after ``seconds``: a line
    that would take longer raises ``TimeoutError`` (``FallbackFormat.parse``: unparsed)."""

    def __init__(self, pattern: str, seconds: float) -> None:
        self.pattern = pattern
        self._compiled = regex.compile(pattern)
        self._seconds = seconds

    def fullmatch(self, text: str) -> Any:
        return self._compiled.fullmatch(text, timeout=self._seconds)


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
