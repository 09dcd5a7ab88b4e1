"""Who sent the requests of a one-date chunk, counted in C.

The aggregator's fast path hands over the chunk's rows (one ``findall`` tuple per line) and
their request spans. Everything per row here is ``map``, ``zip``, ``compress`` and
``Counter.update`` over caches (a dict per span, user agent and referrer) and the built-in
``hash`` (visitor keys), so the Python code runs once per new distinct value, not per line:

- human views: per span (views), per (date, path) and visitor (``VISITS``), per (date, path,
  visitor, referrer URL) for other sites' referrers, per campaign;
- bots' views: per (span, user agent);
- 404s per (date, path, referrer URL), and who read robots.txt per (date, visitor);
- people's downloads per (date, path, visitor) (``downloads.py``), and their views, in time
  order, to the visit tracker (``visits.py``).

It counts exactly what ``Tally.add`` counts line by line (the tests hold both to it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from itertools import compress, repeat
from operator import and_, not_
from typing import Any, cast

from admin_hits.logs import counts as dims
from admin_hits.logs.ai_crawlers import count_ai
from admin_hits.logs.counts import Counts
from admin_hits.logs.downloads import DOWNLOAD, Downloads, add_downloads
from admin_hits.logs.referrer_spam import SPAM_BOT
from admin_hits.logs.tally import ROBOTS_TXT, Request, Tally
from admin_hits.logs.visit_feed import MinuteClock
from admin_hits.logs.visits import VisitTracker

_CACHE_LIMIT = 100_000
# What a span that is not a view counts for in the nightly tables (bits of ``_flags``).
_NOT_FOUND, _ROBOTS, _DOWNLOAD = 1, 2, 4


class Details:
    """Per-date detail counters of the fast path, flushed into ``Counts`` by ``flush``."""

    def __init__(
        self, tally: Tally, judge: Callable[[Any], Request], getters: dict[str, Any],
        no_spans: Any, *, visits: bool = True, cache_limit: int | None = None,
        tracker: VisitTracker | None = None,
    ) -> None:  # fmt: skip
        self.tally = tally
        self.cache_limit = cache_limit  # None: _CACHE_LIMIT
        self.with_visits = visits
        self.judge = judge
        self._host_of, self._referrer_of, self._agent_of = (
            getters["host"], getters["referrer"], getters["agent"],
        )  # fmt: skip
        self._no_spans = no_spans
        self.tracker = tracker  # visits (nightly only), with the minutes of the rows
        self._minute_of, self._zone_of = getters.get("minute"), getters.get("zone")
        self._clock = MinuteClock()
        self._view: dict[Any, bool] = {}  # span: a view
        self._flags: dict[Any, int] = {}  # span: _NOT_FOUND | _ROBOTS | _DOWNLOAD (nightly)
        self._path: dict[Any, str] = {}  # span of a view, 404, robots.txt or download: path
        self._human: dict[Any, bool] = {}  # raw user agent: a person's
        self._reset_spans()
        self._human_spans: dict[date, Counter[Any]] = {}
        self._bot_spans: dict[date, Counter[Any]] = {}
        self._spam_spans: dict[date, Counter[Any]] = {}  # views with a spam referrer
        self._visits = self.tally.new_views()  # (date, path), with who made each view
        self._referrals: Counter[Any] = Counter()
        self._campaigns: Counter[Any] = Counter()
        self._not_found: Counter[Any] = Counter()
        self._robots: Counter[Any] = Counter()
        self._downloads = Downloads()

    def __len__(self) -> int:
        """How many keys wait to be judged (the aggregator bounds its memory by it); visits,
        referrals, campaigns, 404s and robots.txt are counted already, as what the run returns."""
        pending = (self._human_spans, self._bot_spans, self._spam_spans)
        return sum(len(c) for by_day in pending for c in by_day.values())

    def count(self, day: date, rows: list[tuple[bytes, ...]], spans: list[Any]) -> None:
        """Count the detail of ``rows`` (all of date ``day``; ``spans[i]`` is row i's)."""
        self._learn(spans)
        if self.with_visits:  # 404s and robots.txt feed the nightly tables only
            flags = list(map(self._flags.__getitem__, spans))
            if any(flags):
                self._count_others(day, rows, spans, flags)
        selected = list(map(self._view.__getitem__, spans))
        views = list(compress(rows, selected))
        if not views:
            return
        view_spans = list(compress(spans, selected))
        agents = list(map(self._agent_of, views))
        human = self._human
        new = set(agents).difference(human)
        if len(human) + len(new) > (self.cache_limit or _CACHE_LIMIT):
            human.clear()
            new = set(agents)
        for agent in new:
            human[agent] = self.tally.bot(agent) is None
        mask = list(map(human.__getitem__, agents))
        if not all(mask):
            bots = compress(zip(view_spans, agents, strict=True), map(not_, mask))
            self._bot_spans.setdefault(day, Counter()).update(bots)
        if any(mask):
            mask = self._without_spam(day, views, view_spans, mask)
        if any(mask) and not self.with_visits:
            self._human_spans.setdefault(day, Counter()).update(compress(view_spans, mask))
            if self.tally.live_hours is not None:
                self.tally.live_hours.count(day, views, mask)
        elif any(mask):
            self._count_people(
                day, list(compress(views, mask)), list(compress(view_spans, mask)),
                list(compress(agents, mask)),
            )  # fmt: skip

    def _without_spam(
        self, day: date, views: list[Any], spans: list[Any], mask: list[bool]
    ) -> list[bool]:
        """``mask`` (people's views) without those whose referrer is spam, which are counted
        apart as bots' views (``tally.Tally.add_many`` does the same)."""
        spam = self.tally.spam
        referrers = list(map(self._referrer_of, views))
        if not any(list(map(spam.of, set(referrers)))):  # nearly always: one per referrer
            return mask
        found = list(map(spam.of, referrers))  # (cached: a look-up each)
        flagged = list(map(and_, mask, found))
        self._spam_spans.setdefault(day, Counter()).update(compress(spans, flagged))
        return list(map(and_, mask, map(not_, found)))

    def _count_people(
        self, day: date, rows: list[Any], spans: list[Any], agents: list[Any]
    ) -> None:
        self._human_spans.setdefault(day, Counter()).update(spans)
        tally = self.tally
        # Visitor keys in C: the hash of (day key, host, user agent) as logged (clients.py).
        day_key = tally.visitors.day_key(day)
        hosts = list(map(self._host_of, rows))
        visitors = list(map(hash, zip(repeat(day_key), hosts, agents)))
        paths = list(map(self._path.__getitem__, spans))
        self._visits.add_views(list(zip(repeat(day), paths)), visitors)
        urls = _looked_up(tally.external_urls, map(self._referrer_of, rows), tally.external_url)
        if any(urls):
            self._referrals.update(compress(zip(repeat(day), paths, visitors, urls), urls))
        if self.tracker is not None:
            minutes = self._clock.of_rows(rows, self._minute_of, self._zone_of)
            # Rows of a day all have a minute: only an impossible time has none, and no day.
            self.tracker.views(day, visitors, cast(list[int], minutes), paths, urls)
        if tally.audience is not None:
            tally.audience.count_rows(day, rows, paths, visitors, agents, hosts)
        if self._campaign_spans.intersection(spans):
            campaign = self._campaign_of
            self._campaigns.update(
                (day, path, visitor, *campaign[span])
                for span, path, visitor in zip(spans, paths, visitors, strict=True)
                if span in campaign
            )

    def _count_others(self, day: date, rows: list[Any], spans: list[Any], flags: list[int]) -> None:
        """404s per (path, referrer URL) and who read robots.txt, as ``Tally.add`` does."""
        tally = self.tally
        not_found = list(map(and_, flags, repeat(_NOT_FOUND)))
        if any(not_found):
            missed = list(compress(rows, not_found))
            paths = map(self._path.__getitem__, compress(spans, not_found))
            urls = _looked_up(tally.any_urls, map(self._referrer_of, missed), tally.any_url)
            self._not_found.update(zip(repeat(day), paths, urls))
        robots = list(map(and_, flags, repeat(_ROBOTS)))
        if any(robots):
            readers = list(compress(rows, robots))
            hosts, agents = map(self._host_of, readers), map(self._agent_of, readers)
            day_key = tally.visitors.day_key(day)
            visitors = list(map(hash, zip(repeat(day_key), hosts, agents)))
            self._robots.update(zip(repeat(day), visitors))
            if self.tracker is not None:
                minutes = self._clock.of_rows(readers, self._minute_of, self._zone_of)
                self.tracker.read_robots(day, visitors, cast(list[int], minutes))
        if any(map(and_, flags, repeat(_DOWNLOAD))):
            self._count_downloads(day, rows, spans, flags)

    def _count_downloads(
        self, day: date, rows: list[Any], spans: list[Any], flags: list[int]
    ) -> None:
        """People's requests for files per (date, path, visitor), as ``Tally.add`` does."""
        selected = list(map(and_, flags, repeat(_DOWNLOAD)))
        got = list(compress(rows, selected))
        agents = list(map(self._agent_of, got))
        people = [self.tally.bot(agent) is None for agent in agents]
        day_key = self.tally.visitors.day_key(day)
        visitors = map(hash, zip(repeat(day_key), map(self._host_of, got), agents))
        paths = map(self._path.__getitem__, compress(spans, selected))
        self._downloads.add_many(day, compress(paths, people), compress(visitors, people))

    def _learn(self, spans: list[Any]) -> None:
        """Judge the spans not seen yet (starting over past the cache limit)."""
        new = set(spans).difference(self._view)
        if not new:
            return
        if len(self._view) + len(new) > (self.cache_limit or _CACHE_LIMIT):
            self._reset_spans()
            new = set(spans)
            new.discard(self._no_spans)
        for span in new:
            request = self.judge(span)
            view = not request.reason
            flags = 0
            if self.with_visits:  # (without visits, nothing counts who read robots.txt)
                flags = (
                    (_NOT_FOUND if request.reason and request.status == 404 else 0)
                    | (_ROBOTS if request.path == ROBOTS_TXT else 0)
                    | (_DOWNLOAD if request.reason == DOWNLOAD else 0)
                )
            self._view[span] = view
            self._flags[span] = flags
            if view or flags:
                self._path[span] = request.path
            if view and request.campaign is not None:
                self._campaign_of[span] = request.campaign
                self._campaign_spans.add(span)

    def _reset_spans(self) -> None:
        self._view, self._flags, self._path = {self._no_spans: False}, {self._no_spans: 0}, {}
        self._campaign_of: dict[Any, tuple[str, ...]] = {}
        self._campaign_spans: set[Any] = set()

    def flush(self, counts: Counts, day: date, request_of: Callable[[Any], Request]) -> None:
        """Add what was counted for ``day`` to ``counts`` (its lines are counted apart)."""
        views, path_of = counts.views, self._path.get  # (a view's path is never "")
        for span, n in self._human_spans.pop(day, Counter()).items():
            key = (day, path_of(span) or request_of(span).path)
            views[key] = views.get(key, 0) + n
        for span, n in self._spam_spans.pop(day, Counter()).items():
            counts.counter(dims.BOT_VIEWS)[day, request_of(span).path] += n
            counts.counter(dims.BOTS)[day, SPAM_BOT] += n
        bot_spans = self._bot_spans.pop(day, None)
        if bot_spans:
            bot_views, bots = counts.counter(dims.BOT_VIEWS), counts.counter(dims.BOTS)
            for (span, agent), n in bot_spans.items():
                path, name = request_of(span).path, self.tally.bot(agent)
                bot_views[day, path] += n
                bots[day, name] += n
                count_ai(counts, day, path, name, n)

    def flush_visits(self, counts: Counts) -> None:
        """Add the visits, referrals, campaigns, 404s and robots.txt readers of every date to
        ``counts``."""
        if self.tally.audience is not None:
            self.tally.audience.flush(counts)
        if self.tally.live_hours is not None:
            self.tally.live_hours.flush(counts)
        if self._visits:
            held = counts.extra.get(dims.VISITS)
            counts.extra[dims.VISITS] = self._visits.merge_into(held) if held else self._visits
            self._visits = self.tally.new_views()
        if self._downloads:
            add_downloads(counts, self._downloads)
            self._downloads = Downloads()
        for dimension, name in ((dims.REFERRALS, "_referrals"),
                                (dims.CAMPAIGNS, "_campaigns"), (dims.NOT_FOUND, "_not_found"),
                                (dims.ROBOTS, "_robots")):  # fmt: skip
            counter: Counter[Any] = getattr(self, name)
            if not counter:
                continue
            # Handed over whole (a day's visits are 100,000 keys to copy), what ``counts``
            # already holds (a few lines counted one by one, say) added to it: the smaller
            # into the bigger.
            if (held := counts.extra.get(dimension)) and len(held) >= len(counter):
                held.update(counter)
                counter.clear()
                continue
            if held:
                counter.update(held)
            counts.extra[dimension] = counter
            setattr(self, name, Counter())


def _looked_up(cache: dict[Any, Any], keys: Any, make: Callable[[Any], Any]) -> list[Any]:
    """``[cache[k] for k in keys]``, ``make(k)`` filling the cache for new keys first (``make``
    adds to ``cache``, which it may empty when full: then it is filled again)."""
    keys = list(keys)
    for key in set(keys).difference(cache):
        make(key)
    try:
        return list(map(cache.__getitem__, keys))
    except KeyError:  # the cache started over while it was being filled
        return [cache[key] if key in cache else make(key) for key in keys]
