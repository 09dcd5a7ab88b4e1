"""Who reads, on what, from where and when: human views per browser, system, device class,
country and hour of the day, counted in the log core for ``parse_log``.

One counter goes into ``Counts.extra``, ``AUDIENCE``: an ``VisitorViews`` of human views per
(date, path, local hour, ``AgentClass``, country), with the visitor key (``clients.VisitorKeys``)
of each view kept apart in a few bytes, so that the robots.txt rule of ``days.py`` (a client
that read robots.txt is a bot all day) takes a reader's views out of these figures as it
takes them out of the views.

Each distinct user agent is parsed once per run and each distinct address looked up once
(``agents.AgentClasses``, ``countries.Countries``: bounded caches); a key holds the cached
objects themselves, so a class costs a pointer per key. Per line the work is dictionary
look-ups in C, as for visitors (``details.py``). Nothing of the address is kept but its
country. The realtime pipe counts none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, tzinfo
from itertools import repeat
from typing import Any

from admin_hits.logs.agents import AgentClasses
from admin_hits.logs.countries import Countries
from admin_hits.logs.counts import Counts
from admin_hits.logs.timestamps import clf_datetime
from admin_hits.logs.visitor_views import VisitorViews

AUDIENCE = "audience"
UNKNOWN_COUNTRY = "ZZ"  # CLDR's "Unknown Region": no country for the address
_HOURS_LIMIT = 25_000


class Hours:
    """``of(minute, zone)``: the hour in ``tz`` of a logged minute (cached per pair)."""

    def __init__(self, tz: tzinfo) -> None:
        self.tz = tz
        self.known: dict[tuple[Any, Any], int] = {}

    def of(self, minute: bytes, zone: bytes) -> int:
        found = self.known.get((minute, zone))
        if found is None:
            found = self.learn((minute, zone))
        return found

    def learn(self, pair: tuple[Any, Any]) -> int:
        if len(self.known) >= _HOURS_LIMIT:
            self.known.clear()
        when = clf_datetime(pair[0], 0, pair[1])
        try:
            found = when.astimezone(self.tz).hour if when is not None else 0
        except (OverflowError, ValueError):
            found = 0
        self.known[pair] = found
        return found

    def of_chunk(
        self, minutes: set[Any], zones: set[Any]
    ) -> tuple[int | None, dict[Any, int] | None]:
        """The hour of every line of a chunk of these distinct minutes and zones (``None``:
        several), and in one zone, the hour of each minute (``None``: several zones)."""
        zones = {zone for zone in zones if zone}
        if len(zones) == 1:
            zone = next(iter(zones))
            of_minute = {minute: self.of(minute, zone) for minute in minutes}
            hours = set(of_minute.values())
        else:
            of_minute = None
            hours = {self.of(minute, zone) for minute in minutes for zone in zones}
        return (hours.pop() if len(hours) == 1 else None), of_minute


class AudienceCounter:
    """Counts human views into ``AUDIENCE``; ``flush`` hands them to ``Counts``.

    ``count_rows`` counts a chunk's human views on the fast path; ``count_one`` counts one
    request as ``tally.Tally.add`` does."""

    def __init__(self, tz: tzinfo, geoip_database: str = "",
                 new_views: Callable[[], VisitorViews] = VisitorViews) -> None:  # fmt: skip
        self.agents = AgentClasses()
        self.countries = Countries(geoip_database, unknown=UNKNOWN_COUNTRY)
        self.hours = Hours(tz)
        self.new_views = new_views
        self._views = new_views()
        self.row_getters: tuple[Callable[[Any], Any], ...] = ()  # minute, zone, host
        self.chunk_hour: int | None = None  # the hour of every line of the chunk counted
        self._minute_hours: dict[Any, int] | None = None  # the chunk's minutes' (one zone)

    def chunk(self, minutes: set[Any], zones: set[Any]) -> None:
        """Learn the chunk's hour from its distinct minutes and zones (``None``: several)."""
        self.chunk_hour, self._minute_hours = self.hours.of_chunk(minutes, zones)

    def count_rows(self, day: date, rows: list[Any], paths: list[str], visitors: list[int],
                   agents: list[Any], hosts: list[Any]) -> None:  # fmt: skip
        """Count ``rows`` (human views of ``day``, with their paths, visitor keys, agents and
        client addresses)."""
        minute_of, zone_of, _ = self.row_getters
        hours: Any = repeat(self.chunk_hour)
        if self.chunk_hour is None and self._minute_hours is not None:  # across an hour's end
            hours = map(self._minute_hours.__getitem__, map(minute_of, rows))
        elif self.chunk_hour is None:  # and across a change of zone: by (minute, zone)
            times = list(zip(map(minute_of, rows), map(zone_of, rows), strict=True))
            hours = _looked_up(self.hours.known, times, self.hours.learn)
        classes = _looked_up(self.agents.known, agents, self.agents.of)
        countries = _looked_up(self.countries.known, hosts, self.countries.of)
        keys = list(zip(repeat(day), paths, hours, classes, countries))
        self._views.add_views(keys, visitors)

    def count_one(self, day: date, path: str, visitor: int, host: Any, agent: Any, hour: int,
                  n: int) -> None:  # fmt: skip
        key = (day, path, hour, self.agents.of(agent), self.countries.of(host))
        self._views.add_view(key, visitor, n)

    def flush(self, counts: Counts) -> None:
        """Add what was counted to ``counts`` and start again."""
        if not self._views:
            return
        held = counts.extra.get(AUDIENCE)
        counts.extra[AUDIENCE] = self._views.merge_into(held) if held else self._views
        self._views = self.new_views()


def _looked_up(cache: dict[Any, Any], keys: list[Any], make: Callable[[Any], Any]) -> list[Any]:
    """``[cache[k] for k in keys]``, ``make(k)`` filling the cache for new keys first (it may
    empty the cache when full: the rest is then looked up one by one)."""
    for key in set(keys).difference(cache):
        make(key)
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:
        return [cache[key] if key in cache else make(key) for key in keys]
