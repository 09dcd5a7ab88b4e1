"""How requests were served: the time taken (``%D``, ``%T``, ``%{ms}T``...) and the bytes sent
(``%O``, or ``%b`` beside a time), counted in the log core for ``parse_log``.

Only formats that log them get a ``DeliveryCounter`` (``attach_delivery``); the others, the
common and combined formats among them, pay nothing: their regexes, rows and loops are the
same as without this module. Counted into ``Counts.extra``:

- ``SITE_TIMES`` (date, bin) and ``PAGE_TIMES`` (date, path, bin): requests per response-time
  bin of a DDSketch (``sketches.py``), of every request of the day and of each page's views;
- ``SITE_BYTES`` (date) and ``PAGE_BYTES`` (date, path): bytes sent;
- ``PAGE_REQUESTS`` (date, path): the views counted there.

A page's figures are those of the requests that count as its views, by people and bots alike:
the server served them all. Bins and bytes add up across chunks, files and processes, so
``--jobs`` merges them as it merges every other count. Per chunk, the work is ``map``,
``zip`` and ``Counter.update`` over caches (a value per distinct logged text, a path per
distinct request span), as in ``details.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from datetime import date
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from admin_hits.logs.compiler import DELIVERY_FIELDS, TIME_UNITS, bytes_letter, is_time_taken
from admin_hits.logs.counts import Counts
from admin_hits.logs.formats import Directive, tokenize
from admin_hits.logs.parser import LineParser, to_bytes
from admin_hits.logs.sketches import Binner

SITE_TIMES = "site_times"
PAGE_TIMES = "page_times"
SITE_BYTES = "site_bytes"
PAGE_BYTES = "page_bytes"
PAGE_REQUESTS = "page_requests"
NAMES = (SITE_TIMES, PAGE_TIMES, SITE_BYTES, PAGE_BYTES, PAGE_REQUESTS)
# Milliseconds per unit of each time directive: %D microseconds, %T seconds.
_TO_MS = {"D": 0.001, "T": 1000.0, "s": 1000.0, "ms": 1.0, "us": 0.001}
_CACHE_LIMIT = 100_000
# ``get(logged, logged)``: 0 for "-" (%b's 0 bytes) and "" (a row that did not match).
_no_bytes: Callable[[Any, Any], Any] = {b"-": 0, b"": 0, None: 0}.get
_NO_TIME = frozenset({b"-", b"", None})


def time_directive(log_format: str) -> Directive | None:
    """The directive of ``log_format`` (a LogFormat string) that logs the time taken."""
    return next(
        (t for t in tokenize(log_format) if isinstance(t, Directive) and is_time_taken(t)), None
    )


def to_milliseconds(directive: Directive) -> float:
    """What a logged number of ``directive`` is multiplied by to give milliseconds."""
    if directive.letter == "T" and directive.param in TIME_UNITS:
        return _TO_MS[directive.param]
    return _TO_MS[directive.letter]


def delivery_counters(counts: Counts) -> dict[str, Counter[Any]]:
    """The delivery counters of ``counts`` (what a parallel parse sends on)."""
    return {name: counts.extra[name] for name in NAMES if name in counts.extra}


class DeliveryCounter:
    """Counts the response times and bytes of the rows and lines an ``Aggregator`` counts.

    ``getters``: functions of a row giving its minute, zone, host and span(s), as the
    aggregator's; ``page_of``: the path of a span's request when it is a view, else ``None``.
    """

    def __init__(
        self, parser: LineParser, page_of: Callable[[Any], str | None],
        day_of: Callable[[bytes, bytes], date | None], excluded: Callable[[Any], bool],
        getters: tuple[Any, ...], days: Collection[date] | None,
    ) -> None:  # fmt: skip
        self.parser = parser
        self._page_of, self._day_of, self._excluded, self.days = page_of, day_of, excluded, days
        self._minute_of, self._zone_of, self._host_of, self._spans_of = getters
        directive = time_directive(parser.format)
        self._scale = to_milliseconds(directive) if directive else None
        self._sent = bytes_letter(tokenize(parser.format))
        self._timed, self._sized = directive is not None, self._sent is not None
        self._time_of, self._bytes_of = (_field_getter(parser, n) for n in DELIVERY_FIELDS)
        self._directive = directive
        self._binner = Binner(self._scale or 1.0)
        self._pages: dict[Any, str | None] = {}  # span: the path of a view
        self._reset()

    def _reset(self) -> None:
        self._site_times: Counter[Any] = Counter()
        self._page_times: Counter[Any] = Counter()
        self._site_bytes: Counter[Any] = Counter()
        self._page_bytes: Counter[Any] = Counter()
        self._page_requests: Counter[Any] = Counter()

    def count(self, day: date, rows: list[Any], spans: list[Any]) -> None:
        """Count ``rows`` (all of ``day``, the excluded clients' taken out; ``spans[i]`` is
        row i's). Rows that did not match have no time and no bytes."""
        pages = _looked_up(self._pages, spans, self._learn_page)
        if self._timed:
            timed_pages, bins = self._bins_of(pages, list(map(self._time_of, rows)))
            self._site_times.update(zip(repeat(day), bins))
            self._page_times.update(compress(zip(repeat(day), timed_pages, bins), timed_pages))
        if self._sized:
            # "-" (%b's 0) and "" (a row that did not match) as 0, the rest as logged.
            logged = list(map(self._bytes_of, rows))
            sizes: list[int] = list(map(int, map(_no_bytes, logged, logged)))
            self._site_bytes[day] += sum(sizes)
            page_bytes = self._page_bytes  # summed here: sizes are nearly all distinct
            for path, size in compress(zip(pages, sizes, strict=True), pages):
                page_bytes[day, path] += size
        self._page_requests.update(compress(zip(repeat(day), pages), pages))

    def _bins_of(self, pages: list[Any], logged: list[Any]) -> tuple[list[Any], list[Any]]:
        """The bins of the logged times, and the pages of the rows that have one."""
        try:
            return pages, self._binner.many(list(map(float, logged)))
        except ValueError:  # "-" (a conditional directive), "" (a row that did not match)
            kept = [value not in _NO_TIME for value in logged]
            numbers = list(map(float, compress(logged, kept)))
            return list(compress(pages, kept)), self._binner.many(numbers)

    def count_mixed(self, rows: list[Any]) -> None:
        """Count rows of several dates (around midnight), each row's date its own."""
        by_day: dict[date, tuple[list[Any], list[Any]]] = {}
        for row in rows:
            minute = self._minute_of(row)
            day = self._day_of(minute, self._zone_of(row)) if minute else None
            if day is None or (self.days is not None and day not in self.days):
                continue
            if self._excluded(self._host_of(row)):
                continue
            day_rows, day_spans = by_day.setdefault(day, ([], []))
            day_rows.append(row)
            day_spans.append(self._spans_of(row))
        for day, (day_rows, day_spans) in by_day.items():
            self.count(day, day_rows, day_spans)

    def line(self, line: bytes | str, judged: tuple[Any, ...], n: int) -> None:
        """Count ``n`` copies of one line the aggregator judged alone: ``judged`` is its
        (date, request, host, referrer, user agent)."""
        day, request, host = judged[0], judged[1], judged[2]
        if (self.days is not None and day not in self.days) or self._excluded(host):
            return
        path = None if request.reason else request.path
        time, size = self._record_fields(line)
        number = _number(time)
        if self._timed and number is not None:
            found = self._binner.one(number)
            self._site_times[day, found] += n
            if path is not None:
                self._page_times[day, path, found] += n
        if self._sized:
            sent = int(_number(size) or 0) * n
            self._site_bytes[day] += sent
            if path is not None:
                self._page_bytes[day, path] += sent
        if path is not None:
            self._page_requests[day, path] += n

    def flush(self, counts: Counts) -> None:
        """Add what was counted to ``counts`` and start again."""
        for name, counter in ((SITE_TIMES, self._site_times), (PAGE_TIMES, self._page_times)):
            kept = Counter({key: n for key, n in counter.items() if key[-1] is not None})
            if kept:
                counts.counter(name).update(kept)
        if self._site_bytes:
            counts.counter(SITE_BYTES).update(self._site_bytes)
        if self._page_bytes:
            counts.counter(PAGE_BYTES).update(self._page_bytes)
        if self._page_requests:
            counts.counter(PAGE_REQUESTS).update(self._page_requests)
        self._reset()

    def _record_fields(self, line: bytes | str) -> tuple[Any, Any]:
        """The logged time and bytes of one line (bytes, or numbers apachelogs read)."""
        data = to_bytes(line) or b""
        compiled = self.parser.compiled
        if compiled is not None:
            found = compiled.fast.record.match(data) or compiled.strict.record.match(data)
            if found is None:
                return None, None
            fields = found.groupdict()
            return fields.get("response_time"), fields.get("bytes")
        assert self.parser.fallback is not None
        parsed = self.parser.fallback.parse(data)
        if isinstance(parsed, str):
            return None, None
        logged = parsed[0].directives  # {"%D": 1234, "%b": None, ...}
        time = size = None
        for key, value in logged.items():
            if self._directive is not None and _is(key, self._directive):
                time = value
            elif self._sent is not None and key[-1] == self._sent and "{" not in key:
                size = value
        return time, size

    def _learn_page(self, span: Any) -> str | None:
        if len(self._pages) > _CACHE_LIMIT:
            self._pages.clear()
        found = self._pages[span] = self._page_of(span)
        return found


def _number(logged: Any) -> float | None:
    if isinstance(logged, int | float):
        return float(logged)
    if not logged or logged == b"-":
        return None
    try:
        return float(logged)
    except ValueError:
        return None


def _is(key: str, directive: Directive) -> bool:
    """Whether apachelogs' directive ``key`` ("%D", "%{ms}T") is ``directive``."""
    if key[-1] != directive.letter:
        return False
    return f"{{{directive.param}}}" in key if directive.param else "{" not in key


def _field_getter(parser: LineParser, name: str) -> Callable[[Any], Any]:
    """A function of a counting row giving the field ``name`` as logged (``None`` when the
    row does not have it)."""
    compiled = parser.compiled
    if compiled is None:
        return _nothing
    index = compiled.delivery_order[DELIVERY_FIELDS.index(name)]
    if index is not None:
        return itemgetter(index)
    # Logged inside a request span (between the request line and the status): read from
    # the span, whose regex names it.
    for n, pattern in enumerate(compiled.strict.spans):
        if name in pattern.groupindex:
            at = compiled.key_order[2 + n]
            fast, strict = compiled.fast.spans[n], pattern
            return lambda row: _in_span(row[at], fast, strict, name)
    return _nothing


def _nothing(row: object) -> None:
    return None


def _in_span(span: bytes, fast: Any, strict: Any, name: str) -> Any:
    found = fast.fullmatch(span) or strict.fullmatch(span)
    return found[name] if found else None


def _looked_up(cache: dict[Any, Any], keys: list[Any], make: Callable[[Any], Any]) -> list[Any]:
    """``[cache[k] for k in keys]``, ``make(k)`` filling the cache for new keys first."""
    for key in set(keys).difference(cache):
        make(key)
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:  # the cache started over while it was being filled
        return [cache[key] if key in cache else make(key) for key in keys]


def attach_delivery(
    parser: LineParser, requests: Any, lines: Any, tally: Any, days: Collection[date] | None,
    getters: tuple[Any, ...], no_spans: Any, *, nightly: bool,
) -> DeliveryCounter | None:  # fmt: skip
    """The aggregator's ``DeliveryCounter``, or ``None`` when the format logs neither the time
    taken nor the bytes sent (the common and combined formats), or for the realtime pipe."""
    if not nightly:
        return None
    if time_directive(parser.format) is None and bytes_letter(tokenize(parser.format)) is None:
        return None

    def page_of(span: Any) -> str | None:
        if span == no_spans:
            return None
        request = requests.judged.get(span) or requests.judge(span)
        return None if request.reason else str(request.path)

    return DeliveryCounter(parser, page_of, lines.day, tally.excluded, getters, days)
