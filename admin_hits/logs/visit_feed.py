"""What the aggregator hands the visit tracker (``visits.py``), and when.

The chunks of one date go through ``Details``, in C up to the tracker's loop. This module has
the rest: the minute clock of logged times, and the lines the aggregator counts one by one or
by whole keys (the chunk around midnight, lines the chunk regex does not take, formats that
apachelogs parses), judged here in the order they came, with the same rules as the views.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import Any

from admin_hits.logs.counts import Counts
from admin_hits.logs.lines import Judged, LineJudge
from admin_hits.logs.rules import ViewRules
from admin_hits.logs.tally import ROBOTS_TXT, Request, Tally
from admin_hits.logs.timestamps import clf_datetime
from admin_hits.logs.visits import VisitTracker

_CACHE_LIMIT = 50_000


class MinuteClock:
    """Minutes since the epoch of logged ``(minute, zone)`` pairs, computed once per pair."""

    def __init__(self) -> None:
        self._minutes: dict[tuple[bytes, bytes], int | None] = {}
        self._by_zone: dict[bytes, dict[bytes, int | None]] = {}  # the usual case: one zone

    def of_rows(self, rows: list[Any], minute_of: Any, zone_of: Any) -> list[int | None]:
        """The minutes of ``rows`` (``minute_of(row)``, ``zone_of(row)`` as logged)."""
        zones = set(map(zone_of, rows))
        if len(zones) != 1:
            return self.many(map(minute_of, rows), map(zone_of, rows))
        zone = zones.pop()
        known = self._by_zone.get(zone)
        if known is None or len(known) > _CACHE_LIMIT:
            known = self._by_zone[zone] = {}
        minutes = list(map(minute_of, rows))
        for minute in set(minutes).difference(known):
            known[minute] = self.of(minute, zone)
        return list(map(known.__getitem__, minutes))

    def many(self, minutes: Iterable[bytes], zones: Iterable[bytes]) -> list[int | None]:
        keys = list(zip(minutes, zones, strict=True))
        known = self._minutes
        new = set(keys).difference(known)
        if len(known) + len(new) > _CACHE_LIMIT:
            known.clear()
            new = set(keys)
        for minute, zone in new:
            known[minute, zone] = self.of(minute, zone)
        return list(map(known.__getitem__, keys))

    @staticmethod
    def of(minute: Any, zone: Any = None) -> int | None:
        """The minute of a logged minute and zone, or of an aware datetime (``None``:
        no such time)."""
        when = minute if isinstance(minute, datetime) else clf_datetime(minute, 0, zone)
        if when is None:
            return None
        try:
            return int(when.timestamp()) // 60
        except (OverflowError, ValueError):
            return None


class VisitFeed:
    """The visit tracker of an aggregator (``visits``: the nightly run's; the pipe counts no
    visits, and ``tracker`` is then ``None``), and the lines it does not count by chunk."""

    def __init__(
        self, visits: bool, rules: ViewRules, tally: Tally, lines: LineJudge,
        key_of: Callable[[Any], tuple[Any, ...]], days: Collection[date] | None,
    ) -> None:  # fmt: skip
        self.tracker = VisitTracker(rules.visit_gap) if visits else None
        self.tally, self.lines = tally, lines
        self.key_of = key_of
        self.days = None if days is None else frozenset(days)
        self.clock = MinuteClock()

    def take(self, counts: Counts) -> None:
        if self.tracker is not None:
            self.tracker.take(counts)

    def starts_alone(self) -> None:
        if self.tracker is not None:
            self.tracker.alone = True

    def cut(self) -> None:
        if self.tracker is not None:
            self.tracker.cut()

    def rows(self, rows: Iterable[tuple[bytes, ...]]) -> None:
        """The matched rows of a chunk counted by whole keys (around midnight), in order."""
        if self.tracker is None:
            return
        keys = [key for key in map(self.key_of, rows) if key[0]]  # others: one by one
        minutes = self.clock.many([key[0] for key in keys], [key[1] for key in keys])
        views: list[tuple[Any, ...]] = []
        for key, minute in zip(keys, minutes, strict=True):
            found = self.lines.judge_key(key)
            if found is not None and (view := self._view(*found, minute)) is not None:
                views.append(view)
        self._send(views)

    def line(self, found: Judged, n: int) -> None:
        """The line ``LineJudge.judge`` judged last (``found``), ``n`` times."""
        if self.tracker is not None:
            view = self._view(*found, self.clock.of(*self.lines.last_time))
            if view is not None:
                self._send([view] * n)

    def _view(
        self, day: date, request: Request, host: Any, referrer: Any, agent: Any,
        minute: int | None,
    ) -> tuple[Any, ...] | None:  # fmt: skip
        """A view of a person as (date, visitor, minute, path, referrer URL), else ``None``;
        a request for robots.txt makes its client a bot."""
        tally, tracker = self.tally, self.tracker
        assert tracker is not None
        if minute is None or (self.days is not None and day not in self.days):
            return None
        if request.path == ROBOTS_TXT:
            tracker.read_robots(day, [tally.visitors.key(day, host, agent)], [minute])
        if request.reason or tally.excluded(host or "") or tally.bot(agent) is not None:
            return None
        url = tally.external_url(referrer) if referrer is not None else None
        return day, tally.visitors.key(day, host, agent), minute, request.path, url

    def _send(self, views: list[tuple[Any, ...]]) -> None:
        """Hand views over to the tracker, a call per run of one date."""
        assert self.tracker is not None
        start = 0
        while start < len(views):
            day = views[start][0]
            end = next((i for i in range(start, len(views)) if views[i][0] != day), len(views))
            _, visitors, minutes, paths, urls = zip(*views[start:end], strict=True)
            self.tracker.views(day, visitors, minutes, paths, urls)
            start = end
