"""Request spans to ``Request``s: the method, target and status in a span, split once per
distinct span and judged by the view rules (what counts as a view, and the campaign)."""

from __future__ import annotations

import re
from typing import Any

from admin_hits.logs.parser import LineParser, text
from admin_hits.logs.referrers import campaign_of
from admin_hits.logs.rules import ViewRules, split_request, split_target
from admin_hits.logs.tally import Request

# Past this many distinct spans the cache starts over (a flood of random URLs), which costs
# re-computation, never a wrong count. A busy day's distinct requests fit: each is judged once.
_CACHE_LIMIT = 100_000


def _span_fields(
    patterns: tuple[re.Pattern[bytes], ...], spans: tuple[bytes, ...]
) -> dict[str, bytes | None]:
    """The request and status fields in ``spans``, or ``{}`` when a pattern does not match."""
    fields: dict[str, bytes | None] = {}
    for pattern, span in zip(patterns, spans, strict=True):
        found = pattern.fullmatch(span)
        if found is None:
            return {}
        fields.update(found.groupdict())
    return fields


class Requests:
    """``judge(spans)``: the ``Request`` of a compiled format's span(s), cached."""

    def __init__(
        self, parser: LineParser, rules: ViewRules, cache_limit: int | None = None
    ) -> None:
        self.compiled = parser.compiled
        self.rules = rules
        self.cache_limit = cache_limit  # None: _CACHE_LIMIT
        self.judged: dict[Any, Request] = {}  # spans, or (method, target, status)

    def filling(self, more: int) -> bool:
        """Whether judging ``more`` new requests could fill the cache, which then starts over:
        the aggregator first counts the requests that wait, so that none is judged twice (a
        day's long tail of distinct requests would be judged again when its counts are
        taken)."""
        return len(self.judged) + more > (self.cache_limit or _CACHE_LIMIT)

    def judge(self, spans: Any) -> Request:
        """What a request span (or a tuple of spans) says, judged once per distinct span."""
        judged = self.judged.get(spans)
        if judged is not None:
            return judged
        compiled = self.compiled
        assert compiled is not None
        if compiled.separator is not None:
            request, _, status = spans.rpartition(compiled.separator)
            method, target = split_request(text(request))
            return self.classify(spans, method, target, 0 if status == b"-" else int(status))
        texts = (spans,) if isinstance(spans, bytes) else spans
        fields = _span_fields(compiled.fast.spans, texts) or _span_fields(
            compiled.strict.spans, texts
        )
        if "request" in fields:
            method, target = split_request(text(fields["request"]))
        else:
            method = text(fields.get("method"))
            target = text(fields.get("path")) + text(fields.get("query"))
        status = fields.get("status") or b"-"
        return self.classify(spans, method, target, 0 if status == b"-" else int(status))

    def classify(self, key: Any, method: str, target: str, status: int) -> Request:
        path, query = split_target(target)
        reason = self.rules.reason(method, path, status)
        judged = Request(path, reason, status, None if reason else campaign_of(query))
        if len(self.judged) > (self.cache_limit or _CACHE_LIMIT):
            self.judged.clear()
        self.judged[key] = judged
        return judged
