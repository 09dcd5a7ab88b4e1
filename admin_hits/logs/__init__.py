"""The log core: Apache access-log lines in, page-view counts out.

Pure Python with no Django import, so the piped-log program and ``manage.py parse_log`` share
it and can never count differently.
"""

from __future__ import annotations

from admin_hits.logs.aggregator import Aggregator
from admin_hits.logs.bots import BotClassifier
from admin_hits.logs.counts import Counts, Verdict
from admin_hits.logs.days import DayTraffic, days_of
from admin_hits.logs.parser import LineParser, LogRecord
from admin_hits.logs.referrers import campaign_of, parse_referrer, search_of
from admin_hits.logs.rules import DEFAULT_ASSET_EXTENSIONS, ViewRules, split_request, split_target

__all__ = [
    "DEFAULT_ASSET_EXTENSIONS",
    "Aggregator",
    "BotClassifier",
    "Counts",
    "DayTraffic",
    "LineParser",
    "LogRecord",
    "Verdict",
    "ViewRules",
    "campaign_of",
    "days_of",
    "parse_referrer",
    "search_of",
    "split_request",
    "split_target",
]
