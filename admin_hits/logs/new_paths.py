"""``Aggregator.new_paths``: the paths of views counted since the last call, for a parallel
parse that matches them to objects while it still counts."""

from __future__ import annotations

from itertools import islice
from typing import Any


def new_paths(aggregator: Any) -> set[str]:  # an Aggregator, which calls it
    """The paths of views counted since the last call (but those of odd lines that go
    one by one: ``take`` has them). A parallel parse matches them to objects while it
    still counts. No work is added: the lines counted whole (around midnight or a zone
    change) are counted now instead of by ``take``, and the requests judged here are
    those ``take`` would judge (it finds them in the cache)."""
    paths: set[str] = aggregator._flush_keys()
    judged, judge = aggregator._requests.judged.get, aggregator._judge_span
    for day, spans in aggregator._by_day.items():
        seen = aggregator._spans_seen.get(day, 0)
        if len(spans) == seen:
            continue
        # A Counter keeps its keys in the order they came: the new ones are at the end.
        for span in islice(spans, seen, None):
            request = judged(span) or judge(span)
            if not request.reason:
                paths.add(request.path)
        aggregator._spans_seen[day] = len(spans)
    return paths
