"""Visits: one visitor's human views with gaps under ``ViewRules.visit_gap`` minutes.

A visitor is the daily visitor key (``clients.VisitorKeys``: client address and user agent,
hashed with the day, never stored). Since that key changes at midnight, a visit never crosses
it: a visitor who reads on from 23:50 to 00:10 makes two visits, one on each day, the second
landing on its first view after midnight. So each day's figures come from that day's lines
alone, whichever files hold the days around it.

Times are read to the minute, as the log core reads them (``compiler.py``): a gap is the
difference of two views' minutes, and a visit lasts from the minute of its first view to that
of its last (a one-view visit lasts 0).

The log is in time order, so a visit is closed, counted and forgotten once its visitor has
been away for the gap: the state held is that of the visitors of the last half hour, not of
the day. Lines may come in several stretches that do not follow one another (the byte ranges
of a parallel parse, files read backwards): a stretch is cut (``VisitTracker.cut``), and the
visits that may go on in another stretch (those that start within the gap of the stretch's
first view, and those still open at its end) are kept whole as open visits (``OPEN_VISITS``),
which ``join_open_visits`` joins once every stretch is counted, in time order per visitor.

A client that reads ``/robots.txt`` is a bot for the day (``days.py``): its visits are left out
when the read came before the visit was over (before the gap passed after its last view;
crawlers read it first), by the minutes logged, so that the order lines are counted in (a
chunk at once, or one by one) changes nothing. The open visits are judged with the first
requests for robots.txt of every stretch (``ROBOTS_TIMES``).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable
from datetime import date
from itertools import compress, groupby, repeat
from operator import itemgetter, not_, sub
from typing import Any

from admin_hits.logs.counts import ROBOTS, Counts, add_counts
from admin_hits.logs.downloads import DOWNLOADS

LANDINGS = "landings"  # (date, path): visits that started there
BOUNCES = "bounces"  # (date, path): one-view visits of that path
EXITS = "exits"  # (date, path): visits whose last view was there
LANDING_REFERRERS = "landing_referrers"  # (date, path, referrer URL): visits from other sites
VISIT_LENGTHS = "visit_lengths"  # (date, minutes from first to last view): visits
VISIT_VIEWS = "visit_views"  # (date,): human views in visits
# (date, visitor, start, last, landing, referrer URL or None, exit, views, the first minute of
# its stretch): 1, a visit that may go on in another stretch of lines (``join_open_visits``).
OPEN_VISITS = "open_visits"
ROBOTS_TIMES = "robots_times"  # (date, visitor, minute): a request for robots.txt, for visits
DIMENSIONS = (LANDINGS, BOUNCES, EXITS, LANDING_REFERRERS, VISIT_LENGTHS, VISIT_VIEWS)

# A visit's state: [start, last, landing, referrer URL, exit, views, date].
_START, _LAST, _LANDING, _URL, _EXIT, _VIEWS, _DAY = range(7)
_BATCH = 10_000  # joined visits counted at a time


class VisitTracker:
    """Visits of human views fed in time order (``views``), counted as they close."""

    def __init__(self, gap: int) -> None:
        self.gap = gap
        self._open: OrderedDict[int, list[Any]] = OrderedDict()  # least recently seen first
        # Visitors who asked for robots.txt: the minute they first did, with their date.
        self._readers: dict[int, tuple[date, int]] = {}
        self._first: int | None = None  # the minute of the stretch's first view
        # The stretch follows no other (``starts_alone``): its first visits are not pieces.
        self.alone = False
        self._now = 0  # the latest minute of the stretch
        self._counters = DayCounters()
        self._cut: Counter[Any] = Counter()
        self._closing: list[tuple[int, list[Any]]] = []  # closed, to count or keep

    def __len__(self) -> int:
        """How many visits are open."""
        return len(self._open)

    def views(
        self, day: date, visitors: Iterable[int], minutes: Iterable[int], paths: Iterable[str],
        urls: Iterable[Any],
    ) -> None:  # fmt: skip
        """Count human views in time order: ``visitors[i]`` viewed ``paths[i]`` at minute
        ``minutes[i]`` (any whole-minute clock: minutes since the epoch, say), from another
        site's page ``urls[i]`` (``None`` when it did not)."""
        visits, gap, get, to_end = self._open, self.gap, self._open.get, self._open.move_to_end
        now = self._now
        for visitor, minute, path, url in zip(visitors, minutes, paths, urls, strict=True):
            state = get(visitor)
            if state is not None and minute - state[_LAST] < gap:
                if minute > state[_LAST]:
                    state[_LAST] = minute
                state[_EXIT] = path
                state[_VIEWS] += 1
                to_end(visitor)
            else:
                if state is not None:
                    self._closing.append((visitor, visits.pop(visitor)))
                visits[visitor] = [minute, minute, path, url, path, 1, day]
            if minute > now:
                now = minute
        if self._first is None and visits:
            self._first = min(state[_START] for state in visits.values())
        self._now = now
        self._close_idle()
        self._settle()

    def read_robots(self, day: date, visitors: Iterable[int], minutes: Iterable[int]) -> None:
        """Visitors who asked for robots.txt at ``minutes``: their visits are not counted,
        those that were not over (the gap passed after the last view) by then."""
        readers = self._readers
        for visitor, minute in zip(visitors, minutes, strict=True):
            if visitor not in readers or minute < readers[visitor][1]:
                readers[visitor] = (day, minute)

    def cut(self) -> None:
        """The lines fed next do not follow those fed so far: every open visit is kept whole
        for ``join_open_visits``."""
        self._settle()
        visits = self._open
        while visits:  # each state freed as it is kept: not all of them held twice
            self._keep(*visits.popitem(last=False))
        self._first, self._now, self.alone = None, 0, False

    def take(self, counts: Counts) -> None:
        """Cut, and add what was counted to ``counts.extra``; counting starts again."""
        self.cut()
        self._counters.into(counts)
        if self._cut:
            counts.counter(OPEN_VISITS).update(self._cut)
            self._cut = Counter()
        if self._readers:  # for the open visits, joined with everyone's readers
            times = counts.counter(ROBOTS_TIMES)
            times.update((day, v, minute) for v, (day, minute) in self._readers.items())

    def _close_idle(self) -> None:
        """Close the visits whose visitor has been away for the gap (the first ones)."""
        visits, until, closing = self._open, self._now - self.gap, self._closing
        pop = visits.popitem
        while visits:
            visitor, state = pop(last=False)
            if state[_LAST] > until:
                visits[visitor] = state
                visits.move_to_end(visitor, last=False)
                break
            closing.append((visitor, state))

    def _settle(self) -> None:
        """Count the visits closed (or keep those that may go on from the stretch before)."""
        closing, self._closing = self._closing, []
        if not closing:
            return
        readers = self._readers
        if readers and not readers.keys().isdisjoint(map(itemgetter(0), closing)):
            gap = self.gap
            closing = [(v, state) for v, state in closing
                       if v not in readers or readers[v][1] >= state[_LAST] + gap]  # fmt: skip
        states = list(map(itemgetter(1), closing))
        if self._first is None:
            counted = [False] * len(states)
        elif self.alone:
            counted = [True] * len(states)
        else:  # it may go on from a visit of the stretch before when it starts within the gap
            counted = list(map((self._first + self.gap).__le__, map(itemgetter(_START), states)))
        if not all(counted):
            for visitor, state in compress(closing, map(not_, counted)):
                self._keep(visitor, state)
        count_visits(self._counters, list(compress(states, counted)))

    def _keep(self, visitor: int, state: list[Any]) -> None:
        """Keep a visit whole for ``join_open_visits``, with the minute of its stretch's
        first view: of two pieces of one minute, the one of the earlier stretch comes first."""
        self._cut[(state[_DAY], visitor, *state[:_DAY], self._first)] += 1


class DayCounters(dict[date, dict[str, Counter[Any]]]):
    """Closed visits per date, keyed without the date (faster to count), until ``into``."""

    def __missing__(self, day: date) -> dict[str, Counter[Any]]:
        found = self[day] = {name: Counter() for name in DIMENSIONS}
        return found

    def into(self, counts: Counts) -> None:
        """Add them to ``counts.extra`` (keys with their date) and start again."""
        for day, counters in self.items():
            for name, counter in counters.items():
                if not counter:
                    continue
                if name in (LANDING_REFERRERS, VISIT_VIEWS):  # keys that are tuples
                    keys: Any = map(tuple.__add__, repeat((day,)), counter)
                else:
                    keys = zip(repeat(day), counter)
                # Keys with the date: new keys, added in C (``add_counts``).
                add_counts(counts.counter(name), dict(zip(keys, counter.values(), strict=True)))
        self.clear()


def count_visits(counters: DayCounters, states: list[list[Any]]) -> None:
    """Add closed visits (states: [start, last, landing, referrer URL, exit, views, date]) to
    ``counters``, in C but for a loop per date."""
    days = {state[_DAY] for state in states} if states else set()
    for day in days:
        of_day = states if len(days) == 1 else [s for s in states if s[_DAY] == day]
        _count_day(counters[day], of_day)


def _count_day(counters: dict[str, Counter[Any]], states: list[list[Any]]) -> None:
    landings = list(map(itemgetter(_LANDING), states))
    views = list(map(itemgetter(_VIEWS), states))
    counters[LANDINGS].update(landings)
    counters[EXITS].update(map(itemgetter(_EXIT), states))
    counters[BOUNCES].update(compress(landings, map((1).__eq__, views)))
    counters[VISIT_LENGTHS].update(
        map(sub, map(itemgetter(_LAST), states), map(itemgetter(_START), states))
    )
    urls = list(map(itemgetter(_URL), states))
    if any(urls):
        counters[LANDING_REFERRERS].update(compress(zip(landings, urls, strict=True), urls))
    counters[VISIT_VIEWS][()] += sum(views)


def join_open_visits(counts: Counts, gap: int) -> None:
    """Join the open visits in ``counts`` (of every stretch of lines, from every process) in
    time order per visitor, where a gap is under ``gap`` minutes, and count them as closed
    visits, but those of visitors who asked for robots.txt before the visit was over."""
    found = counts.extra.pop(OPEN_VISITS, None)
    if not found:
        return
    readers = _readers(counts)
    counters = DayCounters()
    visits: list[list[Any]] = []
    # By visitor (an int the key holds: nothing made per piece), so that a visitor's pieces
    # follow one another; the few visitors with several are put in time order. Counted a
    # batch at a time: the open visits of a busy day are many, and never held twice.
    for visitor, group in groupby(sorted(found, key=itemgetter(1)), key=itemgetter(1)):
        keys = list(group)
        if len(keys) > 1:
            keys.sort(key=_day_order)
        for day, of_day in groupby(keys, key=itemgetter(0)):
            pieces = [key[2:] for key in of_day for _ in range(found[key])]
            read = readers.get((day, visitor))
            visits.extend([*visit, day] for visit in _joined(pieces, gap)
                          if read is None or read >= visit[_LAST] + gap)  # fmt: skip
        if len(visits) >= _BATCH:
            count_visits(counters, visits)
            visits = []
    count_visits(counters, visits)
    counters.into(counts)


def visit_counters(counts: Counts) -> dict[str, Counter[Any]]:
    """The counters of ``counts`` that visits and downloads are worked out from once every
    process is done (their robots.txt readers among them): what a parallel parse sends on."""
    names = (*DIMENSIONS, OPEN_VISITS, ROBOTS_TIMES, ROBOTS, DOWNLOADS)
    return {name: counts.extra[name] for name in names if name in counts.extra}


def _day_order(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A piece's date, then its time: start, last view, its stretch's first minute."""
    return key[0], key[2 + _START], key[2 + _LAST], key[-1] or 0


def _joined(pieces: list[tuple[Any, ...]], gap: int) -> Iterable[tuple[Any, ...]]:
    """Pieces of one visitor's visits, by start, joined where a gap is under ``gap``."""
    current = list(pieces[0])
    current.pop()  # the stretch's first minute, which only orders the pieces
    for start, last, landing, url, exit_path, views, _ in pieces[1:]:
        if start - current[_LAST] < gap:
            if last >= current[_LAST]:
                current[_LAST], current[_EXIT] = last, exit_path
            current[_VIEWS] += views
            continue
        yield tuple(current)
        current = [start, last, landing, url, exit_path, views]
    yield tuple(current)


def _readers(counts: Counts) -> dict[tuple[date, int], int]:
    """The first minute each (date, visitor) asked for robots.txt, of every process."""
    readers: dict[tuple[date, int], int] = {}
    for day, visitor, minute in counts.extra.pop(ROBOTS_TIMES, ()):
        if minute < readers.get((day, visitor), minute + 1):
            readers[day, visitor] = minute
    return readers
