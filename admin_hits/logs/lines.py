"""One line at a time: what ``Aggregator.verdict`` says of a line, and how the aggregator
judges the few lines its chunk regex does not take (an escaped quote, a bad date, a format
apachelogs parses) and the keys it counted around midnight.

A judged line is ``(date, request, host, referrer, user agent)``; a line that is not one is
a skipped ``Verdict`` (``None``: an impossible date).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, tzinfo
from typing import Any

from admin_hits.logs.audience import Hours
from admin_hits.logs.counts import Verdict
from admin_hits.logs.parser import LineParser, LogRecord, is_binary, to_bytes
from admin_hits.logs.requests import Requests
from admin_hits.logs.timestamps import local_date

Judged = tuple[date, Any, Any, Any, Any]  # date, Request, host, referrer, user agent
SKIPPED = {
    reason: Verdict("skipped", reason, None, "")
    for reason in ("too_long", "binary", "unparsed", "bad_date")
}
BAD_DATE = SKIPPED["bad_date"]
# Past this many (minute, zone) pairs the dates cache starts over (costs time, never counts).
_CACHE_LIMIT = 25_000
_MISSING: Any = object()
_USER_AGENT = re.compile(r"%[<>!,0-9]*\{user-agent\}i", re.IGNORECASE)


class LineJudge:
    """``judge(line)``, ``judge_key(key)`` and ``day(minute, zone)`` for one format.

    ``key_of`` turns the groups of a compiled match into a key (minute, zone, *spans, host,
    referrer, user agent) and ``spans_of`` a key into its spans, as the aggregator counts them.
    """

    def __init__(
        self, parser: LineParser, requests: Requests, tz: tzinfo, max_line_length: int,
        key_of: Callable[[Any], tuple[Any, ...]], spans_of: Callable[[Any], Any],
    ) -> None:  # fmt: skip
        self.parser, self.requests, self.tz = parser, requests, tz
        self.max_line_length = max_line_length
        self._key_of, self._spans_of = key_of, spans_of
        compiled = parser.compiled
        self._has_agent = (
            compiled.client_order[2] is not None
            if compiled
            else bool(_USER_AGENT.search(parser.format))
        )
        self._dates: dict[tuple[bytes, bytes], date | None] = {}
        # The time of the line ``judge`` judged last, for visits: (minute, zone) as logged,
        # or (an aware datetime, None) when apachelogs parsed it.
        self.last_time: tuple[Any, Any] = (None, None)
        self.hours = Hours(tz)
        self.hour = 0  # the local hour of the line last judged (``Tally.add`` counts it)

    def judge(self, line: bytes | str) -> Verdict | Judged | None:
        """A skipped ``Verdict``, the judged line, or ``None`` for an impossible date."""
        data = to_bytes(line)
        if data is None:
            return SKIPPED["binary"]
        if len(data) > self.max_line_length:
            return SKIPPED["too_long"]
        compiled = self.parser.compiled
        if compiled is not None and not is_binary(data):
            found = compiled.fast.line.match(data) or compiled.strict.line.match(data)
            if found is not None:
                key = self._key_of(found.groups())
                self.last_time = (key[0], key[1])
                return self.judge_key(key)
        # No match, or an uncompiled format: the slower full parse says why (binary, a bad
        # date, unparsed) or gives the record.
        record = self.parser.examine(data)
        if isinstance(record, str):
            return SKIPPED[record]
        self.last_time = (record.time, None)
        return self._judge_record(record)

    def judge_key(self, key: tuple[Any, ...]) -> Judged | None:
        """The judged line of a key, ``None``: a bad date."""
        day = self.day(key[0], key[1])
        if day is None:
            return None
        self.hour = self.hours.of(key[0], key[1])
        return (day, self.requests.judge(self._spans_of(key)), *key[-3:])

    def day(self, minute: bytes, zone: bytes) -> date | None:
        """The local date of a logged minute and zone (cached), ``None``: impossible."""
        day: date | None = self._dates.get((minute, zone), _MISSING)
        if day is _MISSING:
            if len(self._dates) > _CACHE_LIMIT:
                self._dates.clear()
            day = self._dates[minute, zone] = local_date(minute, zone, self.tz)
        return day

    def _judge_record(self, record: LogRecord) -> Judged | None:
        try:
            local = record.time.astimezone(self.tz)
            day, self.hour = local.date(), local.hour
        except (OverflowError, ValueError):
            return None
        request = (record.method, record.target, record.status)
        judged = self.requests.judged.get(request) or self.requests.classify(request, *request)
        agent = record.user_agent if self._has_agent else None
        return day, judged, record.remote_host, record.referrer, agent
