"""Traffic analytics from web-server access logs, shown in the Django admin."""

from __future__ import annotations

__version__ = "0.1.0"


def is_bot(user_agent: str) -> bool:
    """Whether ``user_agent`` is a bot's (see ``admin_hits.conf``). Importable and usable
    without configured Django settings: then the built-in bot list alone decides."""
    from admin_hits.conf import is_bot as judge

    return judge(user_agent)
