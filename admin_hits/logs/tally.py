"""Counting one judged request, with who sent it, into ``Counts``: human or bot, visitor,
referrer, campaign, 404s and robots.txt.

The aggregator calls ``Tally.add`` once per distinct (request span, host, referrer, user agent)
of a day, with how many lines had it, so everything here runs per distinct value, never per
line; and every judgement (bot or not, the referrer's URL) is cached per raw value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar, cast

from admin_hits.logs import counts as dims
from admin_hits.logs.ai_crawlers import ai_name, count_ai
from admin_hits.logs.audience import AudienceCounter
from admin_hits.logs.bots import BotClassifier
from admin_hits.logs.clients import NetworkFilter, VisitorKeys
from admin_hits.logs.counts import Counts, Verdict
from admin_hits.logs.downloads import DOWNLOAD, downloads_of
from admin_hits.logs.live_hours import LiveHours
from admin_hits.logs.parser import text
from admin_hits.logs.reader_views import KnownReaders, ReaderViews
from admin_hits.logs.referrer_spam import SPAM_BOT, SpamReferrers
from admin_hits.logs.referrers import Campaign, is_own_host, kept_url, parse_referrer
from admin_hits.logs.rules import ViewRules
from admin_hits.logs.visitor_views import VisitorViews

_CACHE_LIMIT = 25_000
ROBOTS_TXT = "/robots.txt"
_UNKNOWN: Any = object()


class Request(NamedTuple):
    """What the request span says, judged once per distinct span."""

    path: str
    reason: str  # "" for a view, else why not (ViewRules.reason)
    status: int
    campaign: Campaign | None

    @property
    def detailed(self) -> bool:
        """Whether who sent it matters: a view, a 404, robots.txt or a download."""
        reason = self.reason
        return not reason or self.status == 404 or self.path == ROBOTS_TXT or reason == DOWNLOAD


@lru_cache(maxsize=8)
def classifier(bot_patterns: tuple[str, ...], human_patterns: tuple[str, ...]) -> BotClassifier:
    """One classifier per set of patterns in a process (compiling the dataset takes ~50 ms)."""
    return BotClassifier(bot_patterns, human_patterns)


_K = TypeVar("_K")
_V = TypeVar("_V")


def _bounded_get(cache: dict[_K, _V], key: _K, make: Callable[[_K], _V]) -> _V:
    found = cache.get(key, cache)
    if found is cache:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        found = cache[key] = make(key)
    return cast(_V, found)  # the cache itself stands for "missing", never a value


class Tally:
    """Counts requests into ``Counts`` (see ``counts.py`` for the dimensions)."""

    def __init__(self, rules: ViewRules, *, salt: bytes | None = None) -> None:
        self.bots = classifier(rules.bot_patterns, rules.human_patterns)
        self.networks = NetworkFilter(rules.excluded_networks)
        self.visitors = VisitorKeys(salt)
        self.own_hosts = rules.own_hosts
        self._bot_of: dict[Any, str | None] = {}
        self._external_of: dict[Any, str | None] = {}
        # Public for the fast path, which reads it with map(); external_url fills it.
        self.external_urls = self._external_of
        self._url_of: dict[Any, str] = {}
        self.any_urls = self._url_of  # for the fast path, as external_urls; any_url fills it
        self.audience: AudienceCounter | None = None  # set by an aggregator that counts it
        self.spam = SpamReferrers(rules.referrer_spam)
        self.live_hours: LiveHours | None = None  # set by the pipe's aggregator
        # The robots.txt readers of the days counted, when known before (``parse_log``).
        self.readers: KnownReaders | None = None

    def new_views(self, unique: bool = True) -> VisitorViews:
        """An empty store of people's views per key: each remembered with its visitor until
        the day's robots.txt readers are known, or, when they are, the readers' set apart
        and the others' visitors per key (``unique``) kept as they come."""
        if self.readers is None:
            return VisitorViews()
        return ReaderViews(self.readers, unique)

    def bot(self, user_agent: bytes | str | None) -> str | None:
        """The bot's name for a logged user agent (bytes as logged, or text); ``None`` when
        the log format does not record user agents: then everyone is a person."""
        if user_agent is None:
            return None
        return _bounded_get(self._bot_of, user_agent, self._judge_bot)

    def view_bot(self, user_agent: Any, referrer: Any) -> str | None:
        """Who sent a view: the bot's name, ``SPAM_BOT`` for a person's user agent with a
        spam referrer, ``None`` for a person."""
        bot = self.bot(user_agent)
        return SPAM_BOT if bot is None and self.spam.of(referrer) else bot

    def chunk(self, minutes: set[Any], zones: set[Any]) -> None:
        """Tell the hour counters the distinct minutes and zones of the chunk counted next."""
        for hours in (self.live_hours, self.audience):
            if hours is not None:
                hours.chunk(minutes, zones)

    def excluded(self, host: bytes | str) -> bool:
        """Whether a logged client address is in the excluded networks."""
        if not self.networks:
            return False
        return self.networks.excluded(_text(host))

    def add(
        self, counts: Counts, day: date, request: Request, host: Any, referrer: Any,
        user_agent: Any, n: int, hour: int = 0,
    ) -> None:  # fmt: skip
        """Count ``n`` requests of ``day`` from one client with one referrer (the status and
        the lines themselves are counted by the caller); ``hour``: their local hour."""
        self.add_many(counts, day, {(request, host, referrer, user_agent): n}.items(), _same)
        human = self.bot(user_agent) is None and not self.spam.of(referrer)
        if self.audience is not None and not request.reason and human:
            visitor = self.visitors.key(day, host, user_agent)
            self.audience.count_one(day, request.path, visitor, host, user_agent, hour, n)
        if self.live_hours is not None and not request.reason and human:
            self.live_hours.counter[day, hour] += n

    def add_many(  # noqa: C901  (the hot loop: flat, no call per line but the rare ones)
        self, counts: Counts, day: date, items: Iterable[tuple[tuple[Any, ...], int]],
        request_of: Callable[[Any], Request],
    ) -> None:  # fmt: skip
        """``add`` for each ``((span, host, referrer, user agent), n)`` of ``items``, the
        request of a span given by ``request_of``. The hottest loop after the regex: plain
        dict operations on local names, every judgement cached per raw value."""
        views, bot_views = counts.views, counts.counter(dims.BOT_VIEWS)
        bots, visits = counts.counter(dims.BOTS), counts.extra.get(dims.VISITS)
        if not isinstance(visits, VisitorViews):  # (none yet, or an empty counter)
            visits = counts.extra[dims.VISITS] = self.new_views()
        # People's views with their visitors, added to ``visits`` at once after the loop.
        seen_paths: list[tuple[date, str]] = []
        seen_by: list[int] = []
        seen_n: list[int] = []
        add_path, add_by, add_n = seen_paths.append, seen_by.append, seen_n.append
        referrals, campaigns = counts.counter(dims.REFERRALS), counts.counter(dims.CAMPAIGNS)
        not_found, robots = counts.counter(dims.NOT_FOUND), counts.counter(dims.ROBOTS)
        downloads = downloads_of(counts)
        bot_of, external_of = self._bot_of, self._external_of
        visitor_key = self.visitors.key
        ai_names = _AI_NAMES
        for (span, host, referrer, agent), n in items:
            path, reason, status, campaign = request_of(span)
            bot = bot_of.get(agent, _UNKNOWN)
            if bot is _UNKNOWN:
                bot = self.bot(agent)
            if bot is None and self.spam.of(referrer):
                bot = SPAM_BOT  # referrer spam: a bot's view, never a referral
            if not reason:
                if bot is not None:
                    key: Any = (day, path)
                    bot_views[key] = bot_views.get(key, 0) + n
                    key = (day, bot)
                    bots[key] = bots.get(key, 0) + n
                    if ai_names[bot]:
                        count_ai(counts, day, path, bot, n)
                else:
                    key = (day, path)
                    views[key] = views.get(key, 0) + n
                    visitor = visitor_key(day, host, agent)
                    add_path((day, path))
                    add_by(visitor)
                    add_n(n)
                    url = external_of.get(referrer, _UNKNOWN)
                    if url is _UNKNOWN:
                        url = _bounded_get(external_of, referrer, self._external_url)
                    if url is not None:
                        key = (day, path, visitor, url)
                        referrals[key] = referrals.get(key, 0) + n
                    if campaign is not None:
                        key = (day, path, visitor, *campaign)
                        campaigns[key] = campaigns.get(key, 0) + n
            elif status == 404:
                key = (day, path, _bounded_get(self._url_of, referrer, self._any_url))
                not_found[key] = not_found.get(key, 0) + n
            elif reason == DOWNLOAD and bot is None:
                downloads.add(day, path, visitor_key(day, host, agent), n)
            if path == ROBOTS_TXT:
                key = (day, visitor_key(day, host, agent))
                robots[key] = robots.get(key, 0) + n
        if seen_paths:
            visits.add_views(seen_paths, seen_by, seen_n)

    def outcome(self, day: date, request: Request, host: Any, agent: Any, referrer: Any,
                days: AbstractSet[date] | None) -> Verdict:  # fmt: skip
        """What a line of ``request`` from one client counts as, lines of other dates than
        ``days`` (all when ``None``) ignored: ``Aggregator.verdict``'s answer."""
        path, reason = request.path, request.reason
        if days is not None and day not in days:
            return Verdict("ignored", "other_day", day, path)
        if self.excluded(host):
            return Verdict("ignored", "client", day, path)
        if reason:
            return Verdict("ignored", reason, day, path)
        return Verdict("view", "", day, path, self.view_bot(agent, referrer))

    @staticmethod
    def status(counts: Counts, day: date, status: int, n: int) -> None:
        counts.counter(dims.STATUSES)[day, status] += n

    def _judge_bot(self, user_agent: bytes | str) -> str | None:
        return self.bots.name(_text(user_agent))

    def external_url(self, referrer: Any) -> str | None:
        """The URL of a logged referrer when it is another site's page, else ``None``."""
        url: str | None = self._external_of.get(referrer, _UNKNOWN)
        if url is _UNKNOWN:
            url = _bounded_get(self._external_of, referrer, self._external_url)
        return url

    def _external_url(self, referrer: bytes | str) -> str | None:
        """The referrer's URL when it is another site's page, else ``None``; a search
        engine's carries its search, read here before the URL is cut (``SearchURL``)."""
        parsed = parse_referrer(_text(referrer))
        if parsed is None or is_own_host(parsed.host, self.own_hosts):
            return None
        return kept_url(parsed)

    def any_url(self, referrer: Any) -> str:
        """The URL of a logged referrer, own pages included, or "" (for 404s)."""
        return _bounded_get(self._url_of, referrer, self._any_url)

    @staticmethod
    def _any_url(referrer: bytes | str) -> str:
        """The referrer's URL, own pages included (a broken link on the site), or ""."""
        parsed = parse_referrer(_text(referrer))
        return parsed.url if parsed is not None else ""


def _same(request: Request) -> Request:
    return request


def _text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else text(value)


class _AIKnown(dict[str, bool]):
    """Whether a bot's name is an AI crawler's, asked once per name."""

    def __missing__(self, name: str) -> bool:
        known = self[name] = ai_name(name) is not None
        return known


#: The bots whose views per path are counted as AI crawlers' (``AICrawlerHits``).
_AI_NAMES = _AIKnown()
