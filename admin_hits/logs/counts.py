"""What a line counts as (``Verdict``) and what an ``Aggregator`` counted (``Counts``).

Counts are plain counters that add up across chunks, files and processes (a ``Counts``
pickles, so parallel parsing can send it between processes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple

from admin_hits.logs.bots import AI_CRAWLERS

# The further dimensions an Aggregator counts into ``Counts.extra`` (see ``Counts``).
BOT_VIEWS = "bot_views"  # (date, path): views by bots
BOTS = "bots"  # (date, bot name): views by each bot
VISITS = "visits"  # (date, path) and visitor key: human views (a ``VisitorViews``)
REFERRALS = "referrals"  # (date, path, visitor key, referrer URL: a SearchURL for a search)
CAMPAIGNS = "campaigns"  # (date, path, visitor key, source, medium, campaign)
STATUSES = "statuses"  # (date, status): requests, views or not
NOT_FOUND = "not_found"  # (date, path, referrer URL or ""): 404 responses
ROBOTS = "robots"  # (date, visitor key): requests for /robots.txt
AI_VIEWS = "ai_views"  # (date, path, AI crawler name): views by AI crawlers (bots.AI_CRAWLERS)
#: Each AI crawler's usual spelling, by its lower-case name (``logs.ai_crawlers.ai_name``).
AI_NAMES = {name.lower(): name for name in AI_CRAWLERS}


def add_counts(target: Counter[Any], new: Mapping[Any, int]) -> None:
    """``target.update(new)``, in C when no key of ``new`` is in ``target`` yet (keys of
    another date, another dimension): ``Counter`` adds a mapping to a counter that is not
    empty in a Python loop, a key at a time."""
    if target and not target.keys().isdisjoint(new):
        target.update(new)
    else:
        dict.update(target, new)


class Verdict(NamedTuple):
    """What one line counts as.

    ``kind`` ``"view"`` (``reason`` ``""``), ``"ignored"`` (``"other_day"``, ``"client"``,
    ``"method"``, ``"download"``, ``"status"``, ``"target"``, ``"excluded"``, ``"asset"``) or
    ``"skipped"`` (``"too_long"``, ``"binary"``, ``"unparsed"``, ``"bad_date"``). ``date`` is
    the line's local date (``None`` when skipped), ``path`` its request path (``""`` when it
    has none).
    ``bot`` names the bot that sent it (``None``: a person, or not known as a bot).
    """

    kind: Literal["view", "ignored", "skipped"]
    reason: str
    date: date | None
    path: str
    bot: str | None = None


@dataclass
class Counts:
    """Counters of one or more runs of the log core.

    ``views``: human views per ``(local date, path)`` (bots' views are in
    ``extra["bot_views"]``). ``lines``: every line fed. ``parsed``: lines
    that matched the format with a possible date (``lines - skipped_total``). ``skipped``:
    lines not understood, by reason. ``ignored``: understood lines that are not views, by
    reason. ``days``: understood lines per local date, views or not (lines of days not asked
    for excluded). ``extra``: further dimensions by name (each a ``Counter``), summed by
    ``merge`` like the others, so new ones need no new plumbing.
    """

    views: Counter[tuple[date, str]] = field(default_factory=Counter)
    lines: int = 0
    parsed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    days: Counter[date] = field(default_factory=Counter)
    extra: dict[str, Counter[Any]] = field(default_factory=dict)

    def add(self, verdict: Verdict, lines: int = 1) -> None:
        """Count ``lines`` lines that got ``verdict``."""
        self.lines += lines
        kind, reason, day, path, bot = verdict
        if kind == "skipped":
            self.skipped[reason] += lines
            return
        self.parsed += lines
        if kind == "view":
            if bot is None:
                self.views[day, path] += lines  # type: ignore[index]  # not skipped: a date
            else:
                self.counter(BOT_VIEWS)[day, path] += lines
                self.counter(BOTS)[day, bot] += lines
                if (name := AI_NAMES.get(bot.lower())) is not None:
                    self.counter(AI_VIEWS)[day, path, name] += lines
        else:
            self.ignored[reason] += lines
            if reason == "other_day":
                return
        self.days[day] += lines  # type: ignore[index]  # not skipped: a date

    def merge(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        self.views.update(other.views)
        self.lines += other.lines
        self.parsed += other.parsed
        self.skipped.update(other.skipped)
        self.ignored.update(other.ignored)
        self.days.update(other.days)
        for name, counter in other.extra.items():
            # A counter kept compactly (``visitor_views``) adds itself to what is held.
            if (merge_into := getattr(counter, "merge_into", None)) is not None:
                self.extra[name] = merge_into(self.extra.get(name))
            else:
                add_counts(self.extra.setdefault(name, Counter()), counter)

    def absorb(self, other: Counts) -> None:
        """``merge`` of counts that are not used after (``Aggregator.take``'s): a counter
        these do not have yet is taken over, not copied. A day's counters are taken at the
        end of a file whole, and copying them held the biggest of them twice."""
        if not self.views:
            self.views, other.views = other.views, Counter()
        for name in set(other.extra).difference(self.extra):
            self.extra[name] = other.extra.pop(name)
        self.merge(other)

    def counter(self, name: str) -> Counter[Any]:
        """The ``extra`` counter ``name``, created empty when missing."""
        found = self.extra.get(name)
        if found is None:
            found = self.extra[name] = Counter()
        return found

    def dates(self) -> set[date]:
        """The local dates of the understood lines (views or not)."""
        return set(self.days)

    @property
    def skipped_total(self) -> int:
        """How many lines were skipped, whatever the reason."""
        return sum(self.skipped.values())

    @property
    def views_total(self) -> int:
        """How many views were counted, on all dates and paths."""
        return sum(self.views.values())
