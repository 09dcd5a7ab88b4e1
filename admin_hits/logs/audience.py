"""Who reads, on what, from where and when: human views per browser, system, device class,
country and hour of the day, counted in the log core for ``parse_log``.

Two counters go into ``Counts.extra``, keyed by the visitor key (``clients.VisitorKeys``), so
that the robots.txt rule of ``days.py`` (a client that read robots.txt is a bot all day) takes
a reader's views out of these figures as it takes them out of the views:

- ``AUDIENCE_VIEWS``: (date, path, visitor key, local hour) -> human views;
- ``AUDIENCE_VISITORS``: (date, visitor key, browser, browser version, system, device class,
  country) -> views, read as a map of each visitor to what its user agent and address say
  (a visitor key is a hash of the address and the user agent, so they are one per key).

The user agent of a visitor is parsed once per distinct user agent and the address looked up
once per distinct address (``agents.AgentClasses``, ``countries.Countries``); nothing of the
address is kept but its country. The realtime pipe counts none of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, tzinfo
from itertools import compress, repeat
from typing import Any

from admin_hits.logs.agents import AgentClasses
from admin_hits.logs.countries import Countries
from admin_hits.logs.counts import Counts
from admin_hits.logs.timestamps import clf_datetime

AUDIENCE_VIEWS = "audience_views"
AUDIENCE_VISITORS = "audience_visitors"
UNKNOWN_COUNTRY = "ZZ"  # CLDR's "Unknown Region": no country for the address
_SEEN_LIMIT = 1_000_000
_HOURS_LIMIT = 25_000


class Hours:
    """``of(minute, zone)``: the hour in ``tz`` of a logged minute (cached per pair)."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self._known: dict[tuple[Any, Any], int] = {}

    def of(self, minute: bytes, zone: bytes) -> int:
        found = self._known.get((minute, zone))
        if found is None:
            if len(self._known) >= _HOURS_LIMIT:
                self._known.clear()
            when = clf_datetime(minute, 0, zone)
            try:
                found = when.astimezone(self.tz).hour if when is not None else 0
            except (OverflowError, ValueError):
                found = 0
            self._known[minute, zone] = found
        return found


class AudienceCounter:
    """Counts human views into the two audience counters; ``flush`` hands them to ``Counts``.

    ``count_rows`` counts a chunk's human views on the fast path (per row in C, Python once
    per new visitor); ``count_one`` counts one request as ``tally.Tally.add`` does."""

    def __init__(self, tz: tzinfo, geoip_database: str = "") -> None:
        self.agents = AgentClasses()
        self.countries = Countries(geoip_database)
        self.hours = Hours(tz)
        self._views: Counter[Any] = Counter()
        self._visitors: Counter[Any] = Counter()
        self._seen: set[int] = set()
        self.row_getters: tuple[Callable[[Any], Any], ...] = ()  # minute, zone, host

    def count_rows(self, day: date, rows: list[Any], paths: list[str], visitors: list[int],
                   agents: list[Any]) -> None:  # fmt: skip
        """Count ``rows`` (human views of ``day``, with their paths, visitor keys, agents)."""
        minute_of, zone_of, host_of = self.row_getters
        hours = map(self.hours.of, map(minute_of, rows), map(zone_of, rows))
        self._views.update(zip(repeat(day), paths, visitors, hours))
        new = set(visitors).difference(self._seen)
        if new:
            fresh = compress(
                zip(visitors, rows, agents, strict=True), map(new.__contains__, visitors)
            )
            for visitor, row, agent in fresh:
                if visitor in new:
                    new.discard(visitor)
                    self._learn(day, visitor, host_of(row), agent)

    def count_one(self, day: date, path: str, visitor: int, host: Any, agent: Any, hour: int,
                  n: int) -> None:  # fmt: skip
        self._views[day, path, visitor, hour] += n
        if visitor not in self._seen:
            self._learn(day, visitor, host, agent)

    def _learn(self, day: date, visitor: int, host: Any, agent: Any) -> None:
        if len(self._seen) >= _SEEN_LIMIT:
            self._seen.clear()  # the visitor is then learnt again: the same key, never a count
        self._seen.add(visitor)
        found = self.agents.of(agent)
        country = self.countries.of(host) or UNKNOWN_COUNTRY
        key = (day, visitor, found.browser, found.version, found.os, found.device, country)
        self._visitors[key] = 1

    def flush(self, counts: Counts) -> None:
        """Add what was counted to ``counts`` and start again (visitors are learnt again:
        each ``Counts`` holds the class of every visitor of its views)."""
        self._seen.clear()
        if self._views:
            counts.counter(AUDIENCE_VIEWS).update(self._views)
            self._views = Counter()
        if self._visitors:
            held = counts.counter(AUDIENCE_VISITORS)
            for key in self._visitors:
                held[key] = 1
            self._visitors = Counter()
