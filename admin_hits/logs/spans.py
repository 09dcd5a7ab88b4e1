"""A date's distinct request spans, with how many lines had each, to the status codes and the
reasons lines are not views: a loop per distinct request, not per line, with the judgements
read from the cache of ``requests.Requests``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from admin_hits.logs.counts import STATUSES, Counts
from admin_hits.logs.tally import Request


def count_spans(
    counts: Counts, day: date, spans: Mapping[Any, int], known: Mapping[Any, Request],
    judge: Callable[[Any], Request], *, statuses: bool,
) -> None:  # fmt: skip
    """Add the lines of ``spans`` (span: lines) of ``day`` to ``counts``: their reasons to
    ``ignored``, and with ``statuses`` their status codes (``STATUSES``). A span's request
    is ``known[span]``, else ``judge(span)``."""
    found = known.get
    by_status = counts.counter(STATUSES) if statuses else None
    reasons: dict[str, int] = {}
    for span, n in spans.items():
        _, reason, status, _ = found(span) or judge(span)
        if by_status is not None:
            key = (day, status)
            by_status[key] = by_status.get(key, 0) + n
        if reason:
            reasons[reason] = reasons.get(reason, 0) + n
    counts.ignored.update(reasons)
