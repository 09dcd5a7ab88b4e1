"""Lines in, ``Counts`` out: the hot loop shared by the pipe and ``parse_log``.

Per chunk of lines, one ``findall`` over the joined chunk returns a small tuple per line
(``compiler.py``: minute, zone, request-and-status span, bad line) without a match object
per line; counting them is C code (``Counter``). When every minute of the chunk falls on one
local date (all chunks but the one around midnight), only the spans are counted, per date.
Each distinct span is then judged once, from caches: the date per (minute, zone), the
verdict per span. ``verdict()`` judges one line through the same functions, so ``feed`` counts
exactly what ``verdict`` says. A new dimension (bots, referrers, ...) widens the span or adds
a group, judges it in ``_judge_span`` and counts into ``Counts.extra``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import date, tzinfo
from itertools import islice, repeat
from operator import itemgetter
from typing import Any

from admin_hits.logs.counts import Counts, Verdict
from admin_hits.logs.parser import LineParser, LogRecord, is_binary, text, to_bytes
from admin_hits.logs.rules import ViewRules, split_request, split_target
from admin_hits.logs.timestamps import local_date

# Bounds on memory whatever the input: a flood of random URLs makes every span distinct, so
# pending counts are judged past _RAW_LIMIT keys and the caches start over past _CACHE_LIMIT
# entries (which costs re-computation, never a wrong count).
_RAW_LIMIT = 200_000
_CACHE_LIMIT = 100_000
_CHUNK = 8192
_MISSING: Any = object()
_SKIPPED = {
    reason: Verdict("skipped", reason, None, "")
    for reason in ("too_long", "binary", "unparsed", "bad_date")
}
_last = itemgetter(-1)
# Every byte but the control bytes Apache escapes (tab, LF and CR may be in a line).
_NOT_BINARY = bytes(b for b in range(256) if not (b < 32 and b not in b"\t\n\r" or b == 127))


def _span_fields(
    patterns: tuple[re.Pattern[bytes], ...], spans: tuple[bytes, ...]
) -> dict[str, bytes | None]:
    """The request and status fields in ``spans``, or ``{}`` when a pattern does not match."""
    fields: dict[str, bytes | None] = {}
    for pattern, span in zip(patterns, spans, strict=True):
        found = pattern.fullmatch(span)
        if found is None:
            return {}
        fields.update(found.groupdict())
    return fields


class Aggregator:
    """Counts the views in lines of ``log_format`` (see ``LineParser``).

    A line's date is its time converted to ``tz``; when ``days`` is given, lines of other
    dates are ignored as ``"other_day"``. Lines longer than ``max_line_length`` bytes (line
    break included) are skipped as ``"too_long"`` before any regex runs. ``feed`` counts
    exactly what ``verdict`` says line by line, and neither raises on any line.
    """

    def __init__(
        self,
        log_format: str = "combined",
        *,
        tz: tzinfo,
        rules: ViewRules,
        max_line_length: int = 16384,
        days: Collection[date] | None = None,
    ) -> None:
        self.parser = LineParser(log_format, default_tz=tz)
        self.tz = tz
        self.rules = rules
        self.max_line_length = max_line_length
        self.days = None if days is None else frozenset(days)
        self._counts = Counts()
        self._by_key: dict[tuple[bytes, ...], int] = {}  # (minute, zone, *spans): lines
        self._by_day: dict[date, Counter[Any]] = {}  # date: spans: lines
        self._dates: dict[tuple[bytes, bytes], date | None] = {}
        self._judged: dict[Any, tuple[str, str]] = {}  # spans or request: (path, reason)
        compiled = self.parser.compiled
        order = compiled.key_order if compiled else (0, 1, 2)
        spans = len(order) - 2
        # Rows and matches give their groups in the format's order; keys are always
        # (minute, zone, *spans).
        self._key_of = itemgetter(*order)
        self._minute_of, self._zone_of = itemgetter(order[0]), itemgetter(order[1])
        self._row_spans = itemgetter(*order[2:])
        self._spans_of = itemgetter(*range(2, 2 + spans))
        # What a line that does not match gives in place of spans and of a key.
        self._no_spans: Any = b"" if spans == 1 else (b"",) * spans
        self._no_key = (b"",) * (2 + spans)

    def feed(self, lines: Iterable[bytes | str]) -> None:
        """Count ``lines`` (bytes, or str encoded as UTF-8; line breaks allowed)."""
        if self.parser.compiled is None:
            for line in lines:
                self._counts.add(self.verdict(line))
            return
        iterator = iter(lines)
        while chunk := list(islice(iterator, _CHUNK)):
            self._feed_chunk(chunk)
            if len(self._by_key) + sum(map(len, self._by_day.values())) > _RAW_LIMIT:
                self._flush()
        self._flush()

    def verdict(self, line: bytes | str) -> Verdict:
        """What ``line`` counts as; never raises."""
        data = to_bytes(line)
        if data is None:
            return _SKIPPED["binary"]
        if len(data) > self.max_line_length:
            return _SKIPPED["too_long"]
        compiled = self.parser.compiled
        if compiled is not None and not is_binary(data):
            found = compiled.fast.line.match(data) or compiled.strict.line.match(data)
            if found is not None:
                return self._judge_key(self._key_of(found.groups()))
        # No match, or an uncompiled format: the slower full parse says why (binary, a bad
        # date, unparsed) or gives the record.
        return self._judge_record(self.parser.examine(data))

    def take(self) -> Counts:
        """What was counted since the last ``take``; counting starts again from zero."""
        self._flush()
        counts, self._counts = self._counts, Counts()
        return counts

    def _feed_chunk(self, lines: list[Any]) -> None:
        chunk, ends = self._usable(lines)
        if not chunk:
            return
        compiled = self.parser.compiled
        assert compiled is not None
        data = b"".join(chunk)
        last = chunk[-1].endswith(b"\n")
        # The fast regex would match a line with a control byte, which is "binary".
        clean = not data.translate(None, _NOT_BINARY)
        rows = []
        if ends == len(chunk) - (not last):  # all lines but the last end with a line break
            matcher = compiled.fast if clean else compiled.strict
            rows = matcher.chunk.findall(data, 0, len(data) - last)
        if len(rows) != len(chunk):
            # A line break inside a line (a list was fed, not a file): one by one.
            for line in chunk:
                self._counts.add(self.verdict(line))
            return
        bad = self._count_rows(rows)
        if not bad:
            return
        misses = list(filter(None, map(_last, rows)))  # "" for the lines that matched
        empty = bad - len(misses)
        if misses and clean:  # the lines with an escaped quote, and those that do not match
            rows = compiled.strict.chunk.findall(b"\n".join(misses))
            misses = list(filter(None, map(_last, rows))) if self._count_rows(rows) else []
        for line, n in Counter(misses).items():
            self._counts.add(self.verdict(line), n)
        if empty:  # empty lines
            self._counts.add(self.verdict(b""), empty)

    def _count_rows(self, rows: list[tuple[bytes, ...]]) -> int:
        """Count the rows that matched; return how many did not."""
        minutes = set(map(self._minute_of, rows))
        minutes.discard(b"")
        zones = set(map(self._zone_of, rows))
        days = {self._day(minute, zone) for minute in minutes for zone in zones if zone}
        if len(days) == 1 and None not in days:
            spans = self._by_day.setdefault(days.pop(), Counter())  # type: ignore[arg-type]
            spans.update(map(self._row_spans, rows))
            return spans.pop(self._no_spans, 0)
        # Midnight, a zone change, impossible dates: count whole keys.
        keys = Counter(map(self._key_of, rows))
        bad = keys.pop(self._no_key, 0)
        for key, n in keys.items():
            self._by_key[key] = self._by_key.get(key, 0) + n
        return bad

    def _usable(self, chunk: list[Any]) -> tuple[list[bytes], int]:
        """The lines of ``chunk`` as bytes within the length limit (other lines are counted
        here) and how many of them end with a line break."""
        try:
            if max(map(len, chunk)) <= self.max_line_length:
                # Raises TypeError unless every line is bytes.
                return chunk, sum(map(bytes.endswith, chunk, repeat(b"\n")))
        except TypeError:
            pass
        usable = []
        for line in chunk:
            data = to_bytes(line)
            if data is None or len(data) > self.max_line_length:
                self._counts.add(self.verdict(line))
            else:
                usable.append(data)
        return usable, sum(map(bytes.endswith, usable, repeat(b"\n")))

    def _flush(self) -> None:
        counts = self._counts
        for key, n in self._by_key.items():
            counts.add(self._judge_key(key), n)
        self._by_key.clear()
        # The same sums as counts.add(self._decide(day, *self._judge_span(span)), n) for each
        # span, without building a Verdict per span: this runs once per distinct request.
        judged, judge = self._judged.get, self._judge_span
        views, ignored = counts.views, counts.ignored
        for day, spans in self._by_day.items():
            lines = sum(spans.values())
            counts.lines += lines
            counts.parsed += lines
            if self.days is not None and day not in self.days:
                ignored["other_day"] += lines
                continue
            counts.days[day] += lines
            for span, n in spans.items():
                path, reason = judged(span) or judge(span)
                if reason:
                    ignored[reason] += n
                else:
                    views[day, path] += n
        self._by_day.clear()

    def _day(self, minute: bytes, zone: bytes) -> date | None:
        day = self._dates.get((minute, zone), _MISSING)
        if day is _MISSING:
            if len(self._dates) > _CACHE_LIMIT:
                self._dates.clear()
            day = self._dates[minute, zone] = local_date(minute, zone, self.tz)
        return day

    def _judge_key(self, key: tuple[bytes, ...]) -> Verdict:
        day = self._day(key[0], key[1])
        if day is None:
            return _SKIPPED["bad_date"]
        return self._decide(day, *self._judge_span(self._spans_of(key)))

    def _judge_span(self, spans: Any) -> tuple[str, str]:
        judged = self._judged.get(spans)
        if judged is not None:
            return judged
        compiled = self.parser.compiled
        assert compiled is not None
        if compiled.separator is not None:
            request, _, status = spans.rpartition(compiled.separator)
            method, target = split_request(text(request))
            return self._classify(spans, method, target, 0 if status == b"-" else int(status))
        texts = (spans,) if isinstance(spans, bytes) else spans
        fields = _span_fields(compiled.fast.spans, texts) or _span_fields(
            compiled.strict.spans, texts
        )
        if "request" in fields:
            method, target = split_request(text(fields["request"]))
        else:
            method = text(fields.get("method"))
            target = text(fields.get("path")) + text(fields.get("query"))
        status = fields.get("status") or b"-"
        return self._classify(spans, method, target, 0 if status == b"-" else int(status))

    def _judge_record(self, record: LogRecord | str) -> Verdict:
        if isinstance(record, str):
            return _SKIPPED[record]
        try:
            day = record.time.astimezone(self.tz).date()
        except (OverflowError, ValueError):
            return _SKIPPED["bad_date"]
        request = (record.method, record.target, record.status)
        judged = self._judged.get(request) or self._classify(request, *request)
        return self._decide(day, *judged)

    def _classify(self, key: Any, method: str, target: str, status: int) -> tuple[str, str]:
        path = split_target(target)[0]
        judged = path, self.rules.reason(method, path, status)
        if len(self._judged) > _CACHE_LIMIT:
            self._judged.clear()
        self._judged[key] = judged
        return judged

    def _decide(self, day: date, path: str, reason: str) -> Verdict:
        if self.days is not None and day not in self.days:
            return Verdict("ignored", "other_day", day, path)
        if reason:
            return Verdict("ignored", reason, day, path)
        return Verdict("view", "", day, path)
