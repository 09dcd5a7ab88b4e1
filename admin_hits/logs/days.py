"""A day's traffic from ``Counts``: what ``parse_log`` stores, with the robots.txt rule applied.

The rule: a client (IP address and user agent) that asked for ``/robots.txt`` on a day is a bot
for that whole day, even if its user agent looks like a browser. Which clients did is only
known once the whole day is read, so the aggregator counts human views per visitor
(``VISITS``, ``REFERRALS``, ``CAMPAIGNS`` carry the visitor key) and this module moves the
views of those clients to the bots at the end, under the name ``ROBOTS_BOT``. The realtime pipe
never calls it: it counts what it sees, line by line.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from admin_hits.logs import counts as dims
from admin_hits.logs.audience_days import DayAudience, add_audience
from admin_hits.logs.counts import Counts
from admin_hits.logs.referrers import Search, search_of_url
from admin_hits.logs.unique import Visitors, united
from admin_hits.logs.visitor_views import VisitorViews

ROBOTS_BOT = "(read robots.txt)"


@dataclass
class DayTraffic:
    """Everything counted for one day, per path; visitor keys only as sets per path
    (``unique.Visitors``: exact up to ``EXACT_LIMIT`` visitors, a HyperLogLog sketch past it).

    ``views`` (human) and ``bot_views`` per path; ``bots`` per name; ``visitors`` the set of
    visitor keys per path (per object and for the site, the union: a visitor of two pages
    is one visitor); ``referrers`` per (path, URL); ``searches`` per (path, engine,
    keyword); ``campaigns`` per (path, source, medium, campaign); ``statuses`` per status;
    ``not_found`` per (path, referrer URL or ""); ``lines`` requests of the day.
    """

    views: Counter[str] = field(default_factory=Counter)
    bot_views: Counter[str] = field(default_factory=Counter)
    bots: Counter[str] = field(default_factory=Counter)
    visitors: dict[str, AbstractSet[int]] = field(default_factory=lambda: defaultdict(set))
    referrers: Counter[tuple[str, str]] = field(default_factory=Counter)
    searches: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    campaigns: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    not_found: Counter[tuple[str, str]] = field(default_factory=Counter)
    lines: int = 0
    audience: DayAudience = field(default_factory=DayAudience)  # browsers, countries, hours

    def merge(self, other: DayTraffic) -> None:
        """Add ``other``'s traffic of the same day (another process's lines) to this one:
        counts add up, each path's visitor sets unite."""
        pairs: list[tuple[Counter[Any], Counter[Any]]] = [
            (self.views, other.views), (self.bot_views, other.bot_views),
            (self.bots, other.bots), (self.referrers, other.referrers),
            (self.searches, other.searches), (self.campaigns, other.campaigns),
            (self.statuses, other.statuses), (self.not_found, other.not_found),
        ]  # fmt: skip
        for mine, theirs in pairs:
            mine.update(theirs)
        visitors = self.visitors
        for path, seen in other.visitors.items():
            held = visitors.get(path)
            if held is None:
                visitors[path] = seen
                continue
            if not isinstance(held, Visitors):  # a plain set cannot take a sketch in
                held = visitors[path] = Visitors(held)
            held |= seen
        self.lines += other.lines
        self.audience.merge(other.audience)

    def take_details(self) -> DayTraffic:
        """A ``DayTraffic`` of this one's referrers, searches, campaigns and 404s, which
        this one then no longer holds (what ``rollups.detail_tables`` reads)."""
        details = DayTraffic(referrers=self.referrers, searches=self.searches,
                             campaigns=self.campaigns, not_found=self.not_found)  # fmt: skip
        self.referrers, self.searches = Counter(), Counter()
        self.campaigns, self.not_found = Counter(), Counter()
        return details

    def paths(self) -> set[str]:
        """Every path viewed that day, by people or bots."""
        return set(self.views) | set(self.bot_views)

    def site_visitors(self) -> int:
        """Unique human visitors of the whole site."""
        return len(united(self.visitors.values())) if self.visitors else 0


Readers = Mapping[date, AbstractSet[int]]


def robots_readers(counts: Counts) -> dict[date, set[int]]:
    """The visitor keys, per date, of the clients in ``counts`` that asked for robots.txt."""
    readers: dict[date, set[int]] = defaultdict(set)
    for day, visitor in counts.extra.get(dims.ROBOTS, ()):
        readers[day].add(visitor)
    return dict(readers)


def days_of(
    counts: Counts, *, robots_rule: bool = True, readers: Readers | None = None
) -> dict[date, DayTraffic]:
    """The traffic of each date in ``counts``, the robots.txt rule applied unless asked not.

    ``readers``: the visitor keys per date that asked for robots.txt, when ``counts`` hold
    only part of the lines (a parallel parse: another process may have read the request).
    Default: those in ``counts`` (``robots_readers``)."""
    days: dict[date, DayTraffic] = defaultdict(DayTraffic)
    extra = counts.extra
    robots: Readers = {}
    if robots_rule:
        robots = robots_readers(counts) if readers is None else readers
    for day, n in counts.days.items():
        days[day].lines += n
    for (day, path), n in extra.get(dims.BOT_VIEWS, Counter()).items():
        days[day].bot_views[path] += n
    for (day, name), n in extra.get(dims.BOTS, Counter()).items():
        days[day].bots[name] += n
    _visits(days, cast(VisitorViews | None, extra.get(dims.VISITS)), robots)
    _referrals(days, extra.get(dims.REFERRALS, Counter()), robots)
    for (day, path, visitor, *campaign), n in extra.get(dims.CAMPAIGNS, Counter()).items():
        if visitor not in robots.get(day, ()):
            days[day].campaigns[(path, *campaign)] += n
    for (day, status), n in extra.get(dims.STATUSES, Counter()).items():
        days[day].statuses[status] += n
    for (day, path, url), n in extra.get(dims.NOT_FOUND, Counter()).items():
        days[day].not_found[path, url] += n
    add_audience(days, extra, robots)
    return dict(days)


def _visits(days: dict[date, DayTraffic], visits: VisitorViews | None, robots: Readers) -> None:
    """Human views and visitors per path, views of robots.txt readers to the bots. Views come
    summed per (date, path) already; the readers' are taken off (``VisitorViews``)."""
    if not visits:
        return
    taken = visits.readers_views(robots)
    for (day, path), n in visits.items():
        traffic = days[day]
        off = taken.get((day, path), 0)
        if off:
            traffic.bot_views[path] += off
            traffic.bots[ROBOTS_BOT] += off
        if n > off:
            traffic.views[path] += n - off
    for (day, path), seen in visits.visitors_of(robots).items():
        days[day].visitors[path] = seen


def _referrals(days: dict[date, DayTraffic], referrals: Counter[Any], robots: Readers) -> None:
    # The search comes with the URL (``SearchURL``): read from the whole referrer, not again
    # from the cut URL. Rows get plain ``str`` URLs, one per distinct URL.
    seen: dict[str, tuple[str, Search | None]] = {}
    for (day, path, visitor, url), n in referrals.items():
        if visitor in robots.get(day, ()):
            continue
        traffic = days[day]
        found = seen.get(url)
        if found is None:
            found = seen[url] = (str(url), search_of_url(url))
        url, search = found
        if search is not None:
            traffic.searches[path, search.engine, search.keyword] += n
        traffic.referrers[path, url] += n
