"""Crawlers that feed AI models or answer engines, named as such (``bots.AI_CRAWLERS``):
their views per path, so that the report can say what each one fetched, and what share of
the bots' views they make.

``AI_VIEWS``: (date, path, bot name) -> views, in ``Counts.extra``; counted where a bot's view
is counted (``Tally.add_many`` and the fast path's ``Details.flush``), once per distinct
(request, user agent), never per line.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from admin_hits.logs.counts import AI_NAMES as _AI_NAMES
from admin_hits.logs.counts import AI_VIEWS, Counts

__all__ = ["AI_VIEWS", "ai_name", "count_ai"]


@lru_cache(maxsize=4096)
def ai_name(bot: str | None) -> str | None:
    """The AI crawler's usual spelling when ``bot`` (a bot's name) is one, else ``None``
    (cached: it is asked once per distinct request and user agent of every bot)."""
    return _AI_NAMES.get(bot.lower()) if bot else None


def count_ai(counts: Counts, day: date, path: str, bot: str | None, n: int) -> None:
    """Count ``n`` views of ``path`` by ``bot`` into ``counts`` when it is an AI crawler."""
    name = ai_name(bot)
    if name is not None:
        counts.counter(AI_VIEWS)[day, path, name] += n
