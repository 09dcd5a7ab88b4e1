"""``is_bot(user_agent)``: the log core's bot list, with the site's patterns when Django's
settings are configured (and the built-in list alone when they are not)."""

from __future__ import annotations

from django.conf import settings as django_settings

from admin_hits.logs.bots import BotClassifier
from admin_hits.logs.tally import classifier


def bot_classifier() -> BotClassifier:
    """The classifier ``parse_log`` and the pipe use: ``ADMIN_HITS_BOT_PATTERNS`` and
    ``ADMIN_HITS_HUMAN_PATTERNS`` added to the bot list (read on each call, cached per value)."""
    if not django_settings.configured:
        return classifier((), ())
    from admin_hits.conf import settings

    return classifier(tuple(settings.BOT_PATTERNS), tuple(settings.HUMAN_PATTERNS))


def is_bot(user_agent: str) -> bool:
    """Whether ``user_agent`` (a ``User-Agent`` header) is a bot's: crawlers, AI crawlers,
    scripts and HTTP libraries, monitors, and no user agent at all."""
    return bot_classifier().is_bot(user_agent or "")


def bot_name(user_agent: str) -> str | None:
    """The bot's name (``Googlebot``, ``GPTBot``, ``curl``), or ``None`` for a person."""
    return bot_classifier().name(user_agent or "")
