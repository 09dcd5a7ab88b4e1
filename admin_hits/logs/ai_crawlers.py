"""Crawlers that feed AI models or answer engines, named as such (``bots.AI_CRAWLERS``):
their views per path, so that the report can say what each one fetched, and what share of
the bots' views they make.

``AI_VIEWS``: (date, path, bot name) -> views, in ``Counts.extra``; counted where a bot's view
is counted (``Tally.add_many`` and the fast path's ``Details.flush``), once per distinct
(request, user agent), never per line.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from admin_hits.logs.bots import AI_CRAWLERS

AI_VIEWS = "ai_views"
_AI_NAMES = {name.lower(): name for name in AI_CRAWLERS}


def ai_name(bot: str | None) -> str | None:
    """The AI crawler's usual spelling when ``bot`` (a bot's name) is one, else ``None``."""
    return _AI_NAMES.get(bot.lower()) if bot else None


def count_ai(counter: Counter[Any], day: date, path: str, bot: str | None, n: int) -> None:
    """Count ``n`` views of ``path`` by ``bot`` into ``counter`` when it is an AI crawler."""
    name = ai_name(bot)
    if name is not None:
        counter[day, path, name] += n
