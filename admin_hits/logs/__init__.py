"""The log core: Apache access-log lines in, page-view counts out.

Pure Python with no Django import, so the piped-log program and ``manage.py parse_log`` share
it and can never count differently.
"""

from __future__ import annotations

from admin_hits.logs.aggregator import Aggregator
from admin_hits.logs.counts import Counts, Verdict
from admin_hits.logs.parser import LineParser, LogRecord
from admin_hits.logs.rules import DEFAULT_ASSET_EXTENSIONS, ViewRules, split_request, split_target

__all__ = [
    "DEFAULT_ASSET_EXTENSIONS",
    "Aggregator",
    "Counts",
    "LineParser",
    "LogRecord",
    "Verdict",
    "ViewRules",
    "split_request",
    "split_target",
]
