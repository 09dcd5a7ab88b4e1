"""Generated logs whose visits are known: each line is made from an event, and ``expected``
works the visits out from the events alone, by the definition (a visitor's human views, split
where the minutes of two views are ``gap`` or more apart or the local date changes).

Shared by the log core's tests and ``parse_log``'s.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

BROWSERS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15",
]
BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
PAGES = ["/", "/articles/a/", "/articles/b/", "/about/", "/articles/c/"]
REFERRERS = ["-", "https://www.google.com/", "https://news.example.org/today", "-"]
# Gaps in minutes between a visitor's views: just under and at the limit of 30, and others.
GAPS = [0, 0, 1, 2, 5, 29, 29, 30, 30, 31, 45, 120]


@dataclass(frozen=True)
class Event:
    when: datetime  # aware
    ip: str
    agent: str
    path: str
    status: int = 200
    referrer: str = "-"

    def line(self) -> str:
        stamp = self.when.strftime("%d/%b/%Y:%H:%M:%S %z")
        return (
            f'{self.ip} - - [{stamp}] "GET {self.path} HTTP/1.1" {self.status} 512 '
            f'"{self.referrer}" "{self.agent}"\n'
        )


@dataclass
class Expected:
    visits: Counter[date] = field(default_factory=Counter)
    bounces: Counter[date] = field(default_factory=Counter)
    views: Counter[date] = field(default_factory=Counter)
    landings: Counter[tuple[date, str]] = field(default_factory=Counter)
    landing_bounces: Counter[tuple[date, str]] = field(default_factory=Counter)
    exits: Counter[tuple[date, str]] = field(default_factory=Counter)
    referrers: Counter[tuple[date, str, str]] = field(default_factory=Counter)
    lengths: Counter[tuple[date, int]] = field(default_factory=Counter)


def events(seed: int, visitors: int, start: datetime) -> list[Event]:
    """Visitors that each read a few pages with gaps of ``GAPS``, bots, assets and 404s
    among them, one client that reads robots.txt, in time order (a stable sort: the lines of
    one minute stay in the order they were made)."""
    rng = random.Random(seed)
    made = []
    for n in range(visitors):
        ip = f"198.51.{n // 250}.{n % 250}"
        agent = BOT if n % 17 == 0 else rng.choice(BROWSERS)
        when = start + timedelta(minutes=rng.randrange(0, 26 * 60), seconds=rng.randrange(60))
        for _ in range(rng.randrange(1, 7)):
            path = rng.choice(PAGES)
            made.append(Event(when, ip, agent, path, referrer=rng.choice(REFERRERS)))
            if rng.random() < 0.3:
                made.append(Event(when, ip, agent, "/static/site.css"))
            if rng.random() < 0.05:
                made.append(Event(when, ip, agent, "/missing/", status=404))
            when += timedelta(minutes=rng.choice(GAPS), seconds=rng.randrange(0, 60))
    reader = Event(start + timedelta(hours=5), "192.0.2.99", BROWSERS[0], "/robots.txt")
    made += [reader, *(Event(reader.when + timedelta(minutes=i), reader.ip, reader.agent,
                             "/articles/a/") for i in range(1, 4))]  # fmt: skip
    return sorted(made, key=lambda event: event.when)


def is_view(event: Event) -> bool:
    return event.status == 200 and not event.path.startswith(("/static/", "/robots.txt"))


def expected(made: list[Event], tz: tzinfo, gap: int = 30) -> Expected:
    """The visits of ``made``, by the definition."""
    readers = {(e.when.astimezone(tz).date(), e.ip, e.agent) for e in made
               if e.path == "/robots.txt"}  # fmt: skip
    views: dict[tuple[date, str, str], list[Event]] = defaultdict(list)
    for event in made:
        key = (event.when.astimezone(tz).date(), event.ip, event.agent)
        if is_view(event) and event.agent != BOT and key not in readers:
            views[key].append(event)
    found = Expected()
    for (day, _, _), seen in views.items():
        visit = [seen[0]]
        for event in seen[1:]:
            if _minute(event) - _minute(visit[-1]) >= gap:
                _count(found, day, visit)
                visit = []
            visit.append(event)
        _count(found, day, visit)
    return found


def _minute(event: Event) -> int:
    return int(event.when.astimezone(UTC).timestamp()) // 60


def _count(found: Expected, day: date, visit: list[Event]) -> None:
    first, last = visit[0], visit[-1]
    found.visits[day] += 1
    found.views[day] += len(visit)
    found.landings[day, first.path] += 1
    found.exits[day, last.path] += 1
    found.lengths[day, _minute(last) - _minute(first)] += 1
    if len(visit) == 1:
        found.bounces[day] += 1
        found.landing_bounces[day, first.path] += 1
    if first.referrer != "-":
        found.referrers[day, first.path, first.referrer] += 1
