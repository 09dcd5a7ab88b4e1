"""One log line to one ``LogRecord``, in any Apache log format."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import NamedTuple

from admin_hits.logs.compiler import CompiledFormat, compile_format
from admin_hits.logs.fallback import FallbackFormat, entry_fields
from admin_hits.logs.formats import resolve, tokenize, validate
from admin_hits.logs.rules import split_request
from admin_hits.logs.timestamps import clf_datetime

# Apache escapes control bytes, so one in a line means the line is not text (a corrupt file,
# a binary written into the log). Tab, CR and LF may be part of a format or a line ending.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class LogRecord(NamedTuple):
    """The fields of a log line the log core uses; strings are ``""`` when the format lacks
    them or the line logs ``-``. Strings are the line's bytes decoded as UTF-8 (undecodable
    bytes as ``\\xHH``), with Apache's escapes (``\\"``, ``\\\\``, ``\\xHH``) kept as logged.
    """

    remote_host: str
    time: datetime  # aware, in the offset the line was logged with
    method: str
    target: str  # the request target as logged, query string included
    status: int  # 0 when the line logs "-"
    referrer: str
    user_agent: str


def to_bytes(line: object) -> bytes | None:
    """``line`` as bytes (``str`` encoded as UTF-8), or ``None`` when it is no text at all."""
    if isinstance(line, bytes):
        return line
    if isinstance(line, str):
        return line.encode("utf-8", "backslashreplace")
    if isinstance(line, bytearray | memoryview):
        return bytes(line)
    return None


def is_binary(line: bytes) -> bool:
    """Whether ``line`` holds a control byte Apache would have escaped."""
    return _BINARY.search(line) is not None


def text(raw: bytes | None) -> str:
    """A logged field as text; ``-`` (Apache's "no value") and absent fields give ``""``."""
    if raw is None or raw == b"-":
        return ""
    return raw.decode("utf-8", "backslashreplace")


class LineParser:
    """Parses lines of one log format.

    ``log_format`` is an apachelogs nickname (``combined``, ``common``, ``vhost_combined``,
    ``vhost_common``, ``combined_debian``, ``common_debian``; case-insensitive) or an Apache
    LogFormat string. It must log the request time (``%t`` or ``%{...}t``), the request line
    (``%r``, or ``%m`` and ``%U``) and the final status (``%>s``, or ``%s``), else
    ``LogFormatError``. ``default_tz`` is the zone of times logged without an offset (by a
    ``%{...}t`` without ``%z``): the web server's local zone.
    """

    def __init__(self, log_format: str = "combined", *, default_tz: tzinfo = UTC):
        self.format = resolve(log_format)
        tokens = tokenize(self.format)
        validate(self.format, tokens)
        self.compiled: CompiledFormat | None = compile_format(tokens)
        self.fallback = None if self.compiled else FallbackFormat(self.format, default_tz)

    def parse(self, line: bytes | str) -> LogRecord | None:
        """The record of ``line``, or ``None`` when it does not match the format (or its time
        is impossible, or it is not text)."""
        result = self.examine(line)
        return result if isinstance(result, LogRecord) else None

    def examine(self, line: bytes | str, max_line_length: int | None = None) -> LogRecord | str:
        """The record of ``line``, or why there is none: ``"too_long"``, ``"binary"``,
        ``"unparsed"`` or ``"bad_date"``. Never raises."""
        data = to_bytes(line)
        if data is None:
            return "binary"
        if max_line_length is not None and len(data) > max_line_length:
            return "too_long"
        if is_binary(data):
            return "binary"
        if self.compiled is None:
            return self._examine_fallback(data)
        # The fast regex first, as Aggregator does (see CompiledFormat).
        match = self.compiled.fast.record.match(data) or self.compiled.strict.record.match(data)
        if match is None:
            return "unparsed"
        fields = match.groupdict()
        when = None
        if fields["tbad"] is None:
            when = clf_datetime(fields["tmin"], int(fields["tsec"]), fields["tzone"])
        if when is None:
            return "bad_date"
        if "request" in fields:
            method, target = split_request(text(fields["request"]))
        else:
            method, target = text(fields["method"]), text(fields["path"])
            target += text(fields.get("query"))
        status = fields["status"]
        return LogRecord(
            text(fields.get("host")), when, method, target, 0 if status == b"-" else int(status),
            text(fields.get("referrer")), text(fields.get("user_agent")),
        )  # fmt: skip

    def _examine_fallback(self, data: bytes) -> LogRecord | str:
        assert self.fallback is not None
        parsed = self.fallback.parse(data)
        if isinstance(parsed, str):
            return parsed
        entry, when = parsed
        host, request, method, target, status, referrer, user_agent = entry_fields(entry)
        if request or not method:
            method, target = split_request(request)
        return LogRecord(host, when, method, target, status, referrer, user_agent)
