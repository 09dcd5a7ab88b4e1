"""Lines in, ``Counts`` out: the hot loop shared by the pipe and ``parse_log``.

Per chunk of lines, one ``findall`` over the joined chunk returns a small tuple per line
(``chunks.py``, ``compiler.py``: minute, zone, request-and-status span, bad line) without a
match object per line; counting them is C code (``Counter``). When every minute of the chunk
falls on one local date (all chunks but the one around midnight), only the spans are
counted, per date. Each distinct span is then judged once, from caches: the date per
(minute, zone), the verdict per span. ``verdict()`` judges one line through the same
functions, so ``feed`` counts exactly what ``verdict`` says.

Who sent a request (host, referrer, user agent: groups of their own) matters only for views,
404s and robots.txt (``Request.detailed``): ``details.py`` counts those rows by visitor,
referrer and campaign, still in C. Lines that go one at a time (around midnight, or that the
chunk regex does not take) are counted by ``Tally``, which the tests hold to the same sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from collections.abc import Set as AbstractSet
from datetime import date, tzinfo
from itertools import compress, islice
from operator import itemgetter, not_
from typing import Any

from admin_hits.logs.audience_counters import attach_audience
from admin_hits.logs.chunks import by_date, chunk_rows, usable
from admin_hits.logs.counts import Counts, Verdict
from admin_hits.logs.delivery import attach_delivery
from admin_hits.logs.details import Details
from admin_hits.logs.lines import BAD_DATE, LineJudge
from admin_hits.logs.new_paths import new_paths
from admin_hits.logs.parser import LineParser
from admin_hits.logs.paused_gc import paused_gc
from admin_hits.logs.reader_views import KnownReaders
from admin_hits.logs.requests import Requests
from admin_hits.logs.row_layout import RowLayout
from admin_hits.logs.rules import ViewRules
from admin_hits.logs.spans import count_spans
from admin_hits.logs.tally import Request, Tally
from admin_hits.logs.visit_feed import VisitFeed

# Bounds on memory whatever the input: a flood of random URLs makes every span distinct, so
# pending counts are judged past _RAW_LIMIT keys (and the caches of lines.py, requests.py and
# details.py start over past their limits, which costs re-computation, never a wrong count).
_RAW_LIMIT = 250_000
# The realtime pipe (``visits=False``) takes its counts every few seconds and must stay small
# (bench/pipe.py): lower bounds for its pending keys and its caches of requests.
_PIPE_RAW_LIMIT = 50_000
_PIPE_CACHE_LIMIT = 25_000
_CHUNK = 8192
_last = itemgetter(-1)


class Aggregator:
    """Counts the views in lines of ``log_format`` (see ``LineParser``).

    A line's date is its time converted to ``tz``; when ``days`` is given, lines of other
    dates are ignored as ``"other_day"``. Lines longer than ``max_line_length`` bytes (line
    break included) are skipped as ``"too_long"`` before any regex runs. ``feed`` counts
    exactly what ``verdict`` says line by line, and neither raises on any line. ``salt`` keys
    the visitor hashes (``clients.VisitorKeys``; by default a random one made when the process
    starts, which forked workers share). ``visits=False`` leaves out what only the nightly
    tables need from the fast path (visitors, referrers, campaigns): the realtime pipe keeps
    human views alone, and saves their cost. ``readers``: the visitor keys per date that asked
    for robots.txt, when known before counting (``reader_views``: then less is held).
    """

    def __init__(
        self,
        log_format: str = "combined",
        *,
        tz: tzinfo,
        rules: ViewRules,
        max_line_length: int = 16384,
        days: Collection[date] | None = None,
        salt: bytes | None = None,
        visits: bool = True,
        readers: Mapping[date, AbstractSet[int]] | None = None,
    ) -> None:
        self.parser = LineParser(log_format, default_tz=tz)
        self.tz = tz
        self.rules = rules
        self.tally = Tally(rules, salt=salt)
        if readers is not None:  # known before: views need not be kept with their visitors
            self.tally.readers = KnownReaders.of(readers)
        self.max_line_length = max_line_length
        self.days = None if days is None else frozenset(days)
        self._counts = Counts()
        self._by_key: dict[tuple[bytes, ...], int] = {}  # (minute, zone, *spans, *client)
        self._by_day: dict[date, Counter[Any]] = {}  # date: spans: lines
        self._excluded: Counter[date] = Counter()  # date: lines from excluded networks
        self._other_days: Counter[date] = Counter()  # date not asked for: lines
        self._spans_seen: dict[date, int] = {}  # date: spans already given by new_paths
        cache_limit = None if visits else _PIPE_CACHE_LIMIT
        self._raw_limit = None if visits else _PIPE_RAW_LIMIT
        self._requests = Requests(self.parser, rules, cache_limit)
        self._judge_span = self._requests.judge
        layout = self._layout = RowLayout.of(self.parser.compiled)
        self._lines = LineJudge(
            self.parser, self._requests, tz, max_line_length, layout.key_of, layout.key_spans
        )
        v = self._visits = VisitFeed(visits, rules, self.tally, self._lines, layout.key_of, days)
        self._details = Details(self.tally, self._judge_span, {
            "host": layout.host_of, "referrer": layout.referrer_of, "agent": layout.agent_of,
            "minute": layout.minute_of, "zone": layout.zone_of,
        }, layout.no_spans, visits=visits, cache_limit=cache_limit, tracker=v.tracker)  # fmt: skip
        getters = (layout.minute_of, layout.zone_of, layout.host_of)
        attach_audience(self.tally, tz, rules, getters, nightly=visits)
        self._delivery = attach_delivery(self.parser, self._requests, self._lines, self.tally,
            self.days, (*getters, layout.spans_of), layout.no_spans, nightly=visits)  # fmt: skip

    def feed(self, lines: Iterable[bytes | str]) -> None:
        """Count ``lines`` (bytes, or str encoded as UTF-8; line breaks allowed)."""
        with paused_gc():
            if self.parser.compiled is None:
                for line in lines:
                    self._count_line(line)
                return
            iterator = iter(lines)
            while chunk := list(islice(iterator, _CHUNK)):
                if self._requests.filling(len(chunk)):  # count what waits before it forgets
                    self._flush()
                    self._requests.judged.clear()
                self._feed_chunk(chunk)
                pending = sum(map(len, self._by_day.values())) + len(self._details)
                if len(self._by_key) + pending > (self._raw_limit or _RAW_LIMIT):
                    self._flush()
        # No flush here: ``take`` flushes. Counts pending over several calls judge each
        # distinct request once, not once per call (parse_log feeds a file in blocks).

    def verdict(self, line: bytes | str) -> Verdict:
        """What ``line`` counts as; never raises."""
        found = self._lines.judge(line)
        if found is None or isinstance(found, Verdict):
            return found or BAD_DATE  # (a Verdict, a non-empty tuple, is true)
        day, request, host, referrer, agent = found
        return self.tally.outcome(day, request, host, agent, referrer, self.days)

    def take(self) -> Counts:
        """What was counted since the last ``take``; counting starts again from zero."""
        with paused_gc():
            self._flush()
            counts, self._counts = self._counts, Counts()
            self._visits.take(counts)
        for name in [name for name, counter in counts.extra.items() if not counter]:
            del counts.extra[name]
        return counts

    def cut(self) -> None:
        """The lines fed next do not follow those fed so far (another range of a file)."""
        self._visits.cut()

    def starts_alone(self) -> None:
        """No line fed later is earlier than the first ones fed (until ``take``, ``cut``)."""
        self._visits.starts_alone()

    def new_paths(self) -> set[str]:
        """The paths of views counted since the last call (``logs.new_paths``)."""
        return new_paths(self)

    def _count_line(self, line: bytes | str, n: int = 1) -> None:
        found = self._lines.judge(line)
        if isinstance(found, Verdict):
            self._counts.add(found, n)
        elif found is None:
            self._counts.add(BAD_DATE, n)
        else:
            self._count(*found, n)
            self._visits.line(found, n)
            if self._delivery is not None:
                self._delivery.line(line, found, n)

    def _feed_chunk(self, lines: list[Any]) -> None:
        chunk, data = usable(lines, self.max_line_length, self._count_line)
        if not chunk:
            return
        compiled = self.parser.compiled
        assert compiled is not None
        rows, clean = chunk_rows(compiled, chunk, data)
        if rows is None:  # a line break inside a line, or lines that are not bytes
            for line in chunk:
                self._count_line(line)
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
            self._count_line(line, n)
        if empty:  # empty lines
            self._counts.add(self.verdict(b""), empty)

    def _count_rows(self, rows: list[tuple[bytes, ...]]) -> int:
        """Count the rows that matched; return how many did not."""
        minute_of, zone_of = self._layout.minute_of, self._layout.zone_of
        minutes = set(map(minute_of, rows))
        unmatched = b"" in minutes
        minutes.discard(b"")
        zones = set(map(zone_of, rows))
        day_of = self._lines.day
        days = {day_of(minute, zone) for minute in minutes for zone in zones if zone}
        parts = by_date(rows, minute_of, zone_of, day_of) if len(days) != 1 else None
        if len(days) == 1 and (day := days.pop()) is not None:
            return self._count_date(day, rows, minutes, zones, unmatched)
        if parts is None:  # an impossible date: count whole keys
            keys = Counter(map(self._layout.key_of, rows))
            self._visits.rows(rows)
            if self._delivery is not None:
                self._delivery.count_mixed(rows)
            bad = keys.pop(self._layout.no_key, 0)
            for key, n in keys.items():
                self._by_key[key] = self._by_key.get(key, 0) + n
            return bad
        bad = len(rows) - sum(len(part[1]) for part in parts)
        for day, part, part_minutes, part_zones in parts:
            bad += self._count_date(day, part, part_minutes, part_zones, False)
        return bad

    def _count_date(
        self, day: date, rows: list[tuple[bytes, ...]], minutes: set[bytes], zones: set[bytes],
        unmatched: bool,
    ) -> int:  # fmt: skip
        """Count ``rows``, the matched ones all of ``day`` (``minutes``, ``zones``: theirs,
        ``unmatched``: whether some rows did not match); return how many did not."""
        self.tally.chunk(minutes, zones)  # the chunk's hour, when it has one
        if self.days is not None and day not in self.days:
            # Another date's lines are only counted (as "other_day"): no spans needed.
            bad = list(map(self._layout.minute_of, rows)).count(b"") if unmatched else 0
            self._other_days[day] += len(rows) - bad
            return bad
        if self.tally.networks:
            excluded = list(map(self.tally.excluded, map(self._layout.host_of, rows)))
            if any(excluded):
                self._excluded[day] += sum(excluded)
                rows = list(compress(rows, map(not_, excluded)))
        spans = list(map(self._layout.spans_of, rows))
        counter = self._by_day.setdefault(day, Counter())
        counter.update(spans)
        self._details.count(day, rows, spans)
        if self._delivery is not None:
            self._delivery.count(day, rows, spans)
        return counter.pop(self._layout.no_spans, 0)

    def _flush_keys(self) -> set[str]:
        """Count the lines counted whole, by key; the paths of their views."""
        paths: set[str] = set()
        for key, n in self._by_key.items():
            found = self._lines.judge_key(key)
            if found is None:
                self._counts.add(BAD_DATE, n)
                continue
            self._count(*found, n)
            day, request = found[0], found[1]
            if not request.reason and (self.days is None or day in self.days):
                paths.add(request.path)
        self._by_key.clear()
        return paths

    def _flush(self) -> None:
        self._flush_keys()
        for day, spans in self._by_day.items():
            self._flush_day(day, spans)
        self._by_day.clear()
        self._spans_seen.clear()
        self._details.flush_visits(self._counts)
        if self._delivery is not None:
            self._delivery.flush(self._counts)
        self._excluded.clear()
        for day, n in self._other_days.items():
            self._dated(day, n)
        self._other_days.clear()

    def _dated(self, day: date, n: int) -> bool:
        """Count ``n`` understood lines of ``day``; False when it is not a day asked for (they
        are then "other_day" and nothing more is counted of them)."""
        counts = self._counts
        counts.lines += n
        counts.parsed += n
        if self.days is not None and day not in self.days:
            counts.ignored["other_day"] += n
            return False
        counts.days[day] += n
        return True

    def _flush_day(self, day: date, spans: Counter[Any]) -> None:
        """The same sums as ``_count`` for each line of one date, once per distinct span and
        per distinct detail: this runs once per distinct request, not per line."""
        counts = self._counts
        excluded = self._excluded.pop(day, 0)
        if not self._dated(day, sum(spans.values()) + excluded):
            return
        if excluded:
            counts.ignored["client"] += excluded
        known, judge = self._requests.judged, self._judge_span  # (statuses: nightly tables')
        count_spans(counts, day, spans, known, judge, statuses=self._details.with_visits)
        self._details.flush(counts, day, lambda span: known.get(span) or judge(span))

    def _count(
        self, day: date, request: Request, host: Any, referrer: Any, agent: Any, n: int
    ) -> None:
        """Count ``n`` lines of one request from one client (what ``_flush_day`` sums)."""
        counts = self._counts
        if not self._dated(day, n):
            return
        if self.tally.excluded(host):
            counts.ignored["client"] += n
            return
        self.tally.status(counts, day, request.status, n)
        if request.reason:
            counts.ignored[request.reason] += n
        if request.detailed:
            self.tally.add(counts, day, request, host, referrer, agent, n, self._lines.hour)
