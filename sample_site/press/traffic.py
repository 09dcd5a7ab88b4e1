"""Realistic Apache access-log lines for the demo site (no Django needed here).

The lines are ``combined`` with the time taken at the end (``LOG_FORMAT``, the deploy recipe's
``LogFormat``): ``%O`` the bytes sent with the headers, ``%D`` the microseconds the server
took. Pages take what such pages take: the search and the big listings are slow, a release is
quick, static files quicker still, and a press kit (a PDF of a few megabytes) is long to send.

A day's traffic is a set of visits: people arriving from search engines, social sites,
newsletters or bookmarks, loading the page's assets and reading on; crawlers and AI bots;
vulnerability scanners; an editor logging in to the admin. Popularity is skewed (a few releases
get most views, new ones peak in their first days), traffic follows the hours of a day and is
lower at weekends. Lines are written when a request ends, so the file is not strictly in ``%t``
order and each day's file starts with a few requests that began before midnight.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from press.traffic_data import (
    ASSETS,
    BOTS,
    BROWSERS,
    HOUR_WEIGHTS,
    OTHER_REFERRERS,
    PROBES,
    SEARCH_ENGINE_WEIGHTS,
    SEARCH_ENGINES,
    STOP_WORDS,
    TRACKING,
)

#: The format of the lines written: Apache's ``combined`` with ``%O`` and ``%D`` at the end.
LOG_FORMAT = '%h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
#: Bytes of the response headers, which ``%O`` counts (a 304 or a redirect sends only them).
HEADERS = 320
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Page:
    """A page people look for: its path, the words they search it by, how popular it is."""

    path: str
    title: str
    weight: float = 1.0
    published: datetime.date | None = None
    download: str = ""  # its press kit (a PDF under MEDIA_URL), which some readers download

    def weight_on(self, day: datetime.date) -> float:
        if self.published is None:
            return self.weight
        age = (day - self.published).days
        if age < 0:
            return 0.0  # not published yet
        return self.weight * (4.0 if age < 5 else 1.0)


@dataclass(frozen=True)
class Site:
    """What visitors can see: the host, the pages (weighted), the listing pages, the zone."""

    host: str
    pages: list[Page]
    listings: list[str]
    tz: ZoneInfo


class Entry(NamedTuple):
    logged: datetime.datetime  # when the request ended: decides the file and the order
    line: str


def log_time(when: datetime.datetime) -> str:
    # Built by hand: strftime's %b follows the process locale, Apache's month names do not.
    return f"{when.day:02d}/{MONTHS[when.month - 1]}/{when:%Y:%H:%M:%S %z}"


def keywords(title: str, rng: random.Random) -> str:
    words = [w.strip(",.:&\"'").lower() for w in title.split()]
    words = [w for w in words if w and w not in STOP_WORDS]
    picked = rng.sample(words, k=min(len(words), rng.randint(2, 4)))
    return quote_plus(" ".join(picked))


def random_ip(rng: random.Random) -> str:
    if rng.random() < 0.12:
        groups = (rng.randrange(0x8000, 0x9FFF), rng.randrange(0xFFFF), rng.randrange(1, 0xFFFF))
        return "2a02:{:x}:{:x}::{:x}".format(*groups)
    first = rng.choice(
        [31, 46, 62, 77, 78, 79, 80, 84, 85, 87, 91, 93, 95, 109, 178, 185, 188, 217]
    )
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def page_size(path: str, rng: random.Random) -> int:
    """Bytes of a page: about the same each time (compressed, with a changing CSRF token)."""
    return 6000 + zlib.crc32(path.encode()) % 24000 + rng.randrange(-40, 40)


def kit_size(path: str) -> int:
    """Bytes of a press kit: a PDF of 1.5 to 8 MB, the same each time."""
    return 1_500_000 + zlib.crc32(path.encode()) % 6_500_000


def time_taken(path: str, status: int, size: int, rng: random.Random) -> float:
    """Seconds the server took for a request of ``path``: a lognormal spread around what
    such a request costs, and a rare stall (a cold cache, a lock) of 10 to 40 times that."""
    if status in (301, 302, 304, 404):
        median = 0.01  # no page to render
    elif path.startswith(("/static/", "/favicon")):
        median = 0.0008  # a file Apache sends itself
    elif path.startswith("/media/"):
        median = 0.05 + size / 2_500_000  # sent at 2.5 MB/s to a reader's connection
    elif path.startswith("/search/"):
        median = 0.9  # a full-text search of every release
    elif path.startswith("/companies/") and path != "/companies/":
        median = 0.06
    elif path.startswith(("/?", "/companies/")) or path == "/":
        median = 0.3  # a listing: every release (paged) or every company
    else:
        median = 0.045 + zlib.crc32(path.encode()) % 60 / 1000
    stall = rng.uniform(10, 40) if rng.random() < 0.01 else 1.0
    return median * rng.lognormvariate(0, 0.35) * stall


class DayTraffic:
    """The requests of the visits that start on one local day.

    A visit sets who is asking (address, user agent, protocol); ``request`` logs for them.
    """

    def __init__(self, site: Site, day: datetime.date, rng: random.Random) -> None:
        self.site, self.day, self.rng = site, day, rng
        self.pages = [p for p in site.pages if p.weight_on(day) > 0]
        # Each page is a little more or less popular each day than on average.
        self.weights = [p.weight_on(day) * rng.lognormvariate(0, 0.3) for p in self.pages]
        self.entries: list[Entry] = []
        self.ip, self.agent, self.protocol = "", "-", "HTTP/1.1"

    def visitor(self, agent: str, ip: str = "") -> None:
        self.ip, self.agent = ip or random_ip(self.rng), agent
        # One browser, one connection: the protocol is the visit's, not the request's.
        self.protocol = "HTTP/2.0" if self.rng.random() < 0.4 else "HTTP/1.1"

    def request(
        self,
        when: datetime.datetime,
        target: str,
        status: int = 200,
        size: int = 0,
        referrer: str = "-",
        method: str = "GET",
        slow: float = 0.0,
    ) -> datetime.datetime:
        """Log one request started at ``when``; return when it ended."""
        rng = self.rng
        size = 0 if status in (301, 302, 304) else size or page_size(target, rng)
        took = slow or time_taken(target, status, size, rng)
        line = (
            f'{self.ip} - - [{log_time(when)}] "{method} {target} {self.protocol}" '
            f'{status} {HEADERS + size} "{referrer}" "{self.agent}" {round(took * 1e6)}'
        )
        ended = when + datetime.timedelta(seconds=took)
        self.entries.append(Entry(ended, line))
        return ended

    def start_time(self) -> datetime.datetime:
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        t = datetime.time(hour, self.rng.randrange(60), self.rng.randrange(60))
        return datetime.datetime.combine(self.day, t, tzinfo=self.site.tz)

    def page(self) -> Page:
        return self.rng.choices(self.pages, weights=self.weights)[0]

    def later(self, when: datetime.datetime, low: float, high: float) -> datetime.datetime:
        return when + datetime.timedelta(seconds=self.rng.uniform(low, high))

    def url(self, target: str) -> str:
        return f"https://{self.site.host}{target}"

    def landing(self) -> tuple[str, str]:
        """Where a person arrives and from where: (target, referrer)."""
        rng = self.rng
        if rng.random() >= 0.7 or not self.pages:
            referrer = "-" if rng.random() < 0.7 else rng.choice(OTHER_REFERRERS)
            return rng.choice([*self.site.listings, "/?page=2"]), referrer
        page, source = self.page(), rng.random()
        if source < 0.35:
            engine = rng.choices(SEARCH_ENGINES, weights=SEARCH_ENGINE_WEIGHTS)[0]
            return page.path, engine.format(q=keywords(page.title, rng))
        if source < 0.5:
            return page.path, rng.choice(OTHER_REFERRERS)
        if source < 0.6:
            tracking, referrer = rng.choice(TRACKING)
            return f"{page.path}?{tracking}", referrer
        return page.path, "-"

    def human(self, when: datetime.datetime, slow: float = 0.0) -> None:
        rng = self.rng
        self.visitor(rng.choice(BROWSERS))
        returning = rng.random() < 0.3
        target, referrer = self.landing()
        status = 304 if returning and rng.random() < 0.25 else 200
        ended = self.request(when, target, status, referrer=referrer, slow=slow)
        for path, size in ASSETS:
            if path == "/favicon.ico" and (returning or rng.random() < 0.5):
                continue
            asset_status = 404 if path == "/favicon.ico" else (304 if returning else 200)
            self.request(self.later(ended, 0.01, 0.3), path, asset_status, size, self.url(target))
        ended = self.download(ended, target)
        ended, target = self.search(ended, target)
        for _ in range(rng.choices((0, 1, 2, 3), weights=(50, 25, 15, 10))[0]):
            if not self.pages:
                break
            page = self.page()
            previous, target = target, page.path
            ended = self.request(self.later(ended, 5, 150), target, referrer=self.url(previous))
            ended = self.download(ended, target)

    def download(self, ended: datetime.datetime, target: str) -> datetime.datetime:
        """A reader of a release downloads its press kit now and then: in one request, or
        in parts (range requests, 206), as PDF viewers in browsers do."""
        rng = self.rng
        kit = next((p.download for p in self.pages if p.path == target.split("?")[0]), "")
        if not kit or rng.random() >= 0.2:
            return ended
        when, referrer = self.later(ended, 3, 60), self.url(target)
        if rng.random() < 0.5:
            return self.request(when, kit, 200, kit_size(kit), referrer)
        parts = rng.randint(2, 4)
        for _ in range(parts):
            when = self.request(when, kit, 206, kit_size(kit) // parts, referrer)
        return when

    def search(self, ended: datetime.datetime, target: str) -> tuple[datetime.datetime, str]:
        """Now and then a reader searches the releases for the words of another."""
        if not self.pages or self.rng.random() >= 0.1:
            return ended, target
        found = f"/search/?q={keywords(self.page().title, self.rng)}"
        return self.request(self.later(ended, 5, 40), found, referrer=self.url(target)), found

    def bot(self, when: datetime.datetime) -> None:
        rng = self.rng
        agent, prefix = rng.choices([(a, p) for a, p, _ in BOTS], weights=[w for *_, w in BOTS])[0]
        self.visitor(agent, prefix + str(rng.randrange(1, 255)) if prefix else "")
        if agent.startswith("Mozilla") and rng.random() < 0.3:
            when = self.later(self.request(when, "/robots.txt", 404, 179), 0.5, 5)
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.08:
                target, status = "/sitemap.xml", 404
            elif roll < 0.25 or not self.pages:
                target, status = rng.choice(self.site.listings), 200
            else:
                target, status = self.page().path, 304 if rng.random() < 0.15 else 200
            when = self.later(self.request(when, target, status), 1, 30)

    def scanner(self, when: datetime.datetime) -> None:
        self.visitor(self.rng.choice(("-", "Mozilla/5.0 zgrab/0.x", "python-requests/2.31.0")))
        for method, path in self.rng.sample(PROBES, k=self.rng.randint(1, 4)):
            when = self.later(self.request(when, path, 404, 1530, method=method), 0, 2)

    def editor(self, when: datetime.datetime) -> None:
        self.visitor(self.rng.choice(BROWSERS))
        login = "/admin/login/?next=/admin/"
        steps = [
            ("GET", "/admin/", 302, "-"),
            ("GET", login, 200, "-"),
            ("POST", login, 302, self.url(login)),
            ("GET", "/admin/", 200, self.url(login)),
            ("GET", "/admin/press/pressrelease/", 200, self.url("/admin/")),
        ]
        for method, path, status, referrer in steps:
            ended = self.request(when, path, status, referrer=referrer, method=method)
            when = self.later(ended, 1, 12)

    def mistyped(self, when: datetime.datetime) -> None:
        if not self.pages:
            return
        self.visitor(self.rng.choice(BROWSERS))
        path = self.page().path
        if self.rng.random() < 0.6:  # no trailing slash: Django's APPEND_SLASH redirects
            ended = self.request(when, path.rstrip("/"), 301)
            self.request(self.later(ended, 0.05, 0.3), path)
        else:
            self.request(when, path.rstrip("/") + "-2/", 404, 1530)

    def generate(self, lines: int) -> list[Entry]:
        visits = (self.human, self.bot, self.scanner, self.editor, self.mistyped)
        while len(self.entries) < lines:
            self.rng.choices(visits, weights=(70, 18, 4, 2, 6))[0](self.start_time())
        # Requests that start in the last seconds of the day and end after midnight.
        next_day = self.day + datetime.timedelta(days=1)
        midnight = datetime.datetime.combine(next_day, datetime.time(), tzinfo=self.site.tz)
        for _ in range(self.rng.randint(2, 4)):
            start = midnight - datetime.timedelta(seconds=self.rng.uniform(1, 9))
            self.human(start, slow=(midnight - start).total_seconds() + self.rng.uniform(0.2, 3))
        return self.entries


def daily_lines(day: datetime.date, per_day: int, rng: random.Random) -> int:
    weekend = 0.65 if day.weekday() >= 5 else 1.0
    return max(20, round(per_day * weekend * rng.uniform(0.85, 1.15)))


def traffic(
    site: Site, days: Iterable[datetime.date], *, per_day: int, seed: int
) -> Iterator[Entry]:
    """The entries of the visits starting on each of ``days``; the same seed, the same lines."""
    for day in days:
        rng = random.Random(f"{seed}:{day.isoformat()}")
        yield from DayTraffic(site, day, rng).generate(daily_lines(day, per_day, rng))


def write_logs(
    pattern: str,
    site: Site,
    days: Collection[datetime.date],
    *,
    per_day: int,
    seed: int,
    until: datetime.datetime | None = None,
) -> dict[datetime.date, int]:
    """Write one cronolog-style file per day (``pattern`` is strftime'd with the day).

    The day before the first is generated too, for the requests that end after its midnight.
    Requests ending after ``until`` are left out (a day still in progress). Returns the number
    of lines written per day.
    """
    wanted = set(days)
    first = min(wanted) - datetime.timedelta(days=1)
    generated = [first + datetime.timedelta(days=n) for n in range((max(wanted) - first).days + 1)]
    files: dict[datetime.date, list[Entry]] = defaultdict(list)
    for entry in traffic(site, generated, per_day=per_day, seed=seed):
        day = entry.logged.astimezone(site.tz).date()
        if day in wanted and (until is None or entry.logged <= until):
            files[day].append(entry)
    written = {}
    for day in sorted(wanted):
        path = Path(day.strftime(pattern))
        path.parent.mkdir(parents=True, exist_ok=True)
        entries = sorted(files[day])
        path.write_text("".join(e.line + "\n" for e in entries), encoding="utf-8")
        written[day] = len(entries)
    return written
