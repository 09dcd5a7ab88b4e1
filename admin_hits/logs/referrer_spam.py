"""Referrer spam: requests whose referrer is a spammer's site, sent to get that site into
analytics reports. Their views count as bot views (under ``SPAM_BOT``), so they never reach
the referrer tables.

The list is Matomo's (matomo-org/referrer-spam-list, CC0-1.0), shipped in
``data/referrer_spam.txt`` with its commit and date, refreshed by
``scripts/refresh-referrer-spam``; ``ADMIN_HITS_REFERRER_SPAM`` adds hosts. An entry
matches the referrer's host and its subdomains (``semalt.com`` also covers
``x.semalt.com``; Matomo matches anywhere in the host, which also took ``notsemalt.com``).
Each distinct referrer is judged once (a bounded cache), a set look-up per label of its host.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files
from typing import Any

from admin_hits.logs.parser import text
from admin_hits.logs.referrers import parse_referrer

SPAM_BOT = "(referrer spam)"
_CACHE_LIMIT = 50_000


@lru_cache(maxsize=1)
def listed_hosts() -> tuple[str, ...]:
    """The shipped list's host names (lowercase)."""
    data = files("admin_hits.logs").joinpath("data/referrer_spam.txt").read_text("utf-8")
    return tuple(line.strip() for line in data.splitlines() if line and line[0] != "#")


@lru_cache(maxsize=8)
def _hosts(extra: tuple[str, ...]) -> frozenset[str]:
    return frozenset(h.strip().lower().strip(".") for h in (*listed_hosts(), *extra) if h.strip())


def is_spam_host(host: str, hosts: frozenset[str]) -> bool:
    """Whether ``host`` (lowercase) or a domain it is under is in ``hosts``."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in hosts for i in range(len(labels) - 1))


class SpamReferrers:
    """``of(raw referrer)``: whether it is referrer spam; bytes as logged, or text."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.hosts = _hosts(tuple(extra))
        self.known: dict[Any, bool] = {}

    def of(self, referrer: Any) -> bool:
        found = self.known.get(referrer)
        if found is None:
            if len(self.known) >= _CACHE_LIMIT:
                self.known.clear()
            found = self.known[referrer] = self._judge(referrer)
        return found

    def _judge(self, referrer: Any) -> bool:
        if referrer is None or referrer in (b"-", "-", b"", ""):
            return False
        parsed = parse_referrer(referrer if isinstance(referrer, str) else text(referrer))
        return parsed is not None and is_spam_host(parsed.host, self.hosts)
