"""Where a compiled format's rows keep each group, and what a line that does not match gives.

The chunk regexes return their groups in the format's order; the counters want keys in one
order whatever the format: ``(minute, zone, *spans, host, referrer, user agent)``, a client
field the format lacks ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from admin_hits.logs.compiler import CompiledFormat


@dataclass(frozen=True)
class RowLayout:
    key_of: Any  # row -> (minute, zone, *spans, host, referrer, agent)
    minute_of: Any
    zone_of: Any
    spans_of: Any  # row -> its request span (or spans)
    host_of: Any
    referrer_of: Any
    agent_of: Any
    key_spans: Any  # key -> its request span (or spans)
    no_spans: Any  # in place of spans, for a line that does not match
    no_key: tuple[Any, ...]  # in place of a key, for a line that does not match

    @classmethod
    def of(cls, compiled: CompiledFormat | None) -> RowLayout:
        order = compiled.key_order if compiled else (0, 1, 2)
        client = compiled.client_order if compiled else (None, None, None)
        spans = len(order) - 2
        return cls(
            key_of=row_getter(order + client),
            minute_of=itemgetter(order[0]),
            zone_of=itemgetter(order[1]),
            spans_of=itemgetter(*order[2:]),
            host_of=getter(client[0]),
            referrer_of=getter(client[1]),
            agent_of=getter(client[2]),
            key_spans=itemgetter(*range(2, 2 + spans)),
            no_spans=b"" if spans == 1 else (b"",) * spans,
            no_key=(b"",) * (2 + spans) + tuple(None if i is None else b"" for i in client),
        )


def getter(index: int | None) -> Any:
    """``itemgetter(index)``, or a function giving ``None`` when the format lacks the field."""
    return itemgetter(index) if index is not None else _none


def _none(row: object) -> None:
    return None


def row_getter(indexes: tuple[int | None, ...]) -> Any:
    """A function of a row giving the groups at ``indexes`` as a tuple (``None`` where an
    index is ``None``)."""
    if None not in indexes:
        return itemgetter(*indexes) if len(indexes) > 1 else lambda row: (row[indexes[0]],)

    def get(row: tuple[bytes, ...]) -> tuple[Any, ...]:
        return tuple(None if i is None else row[i] for i in indexes)

    return get
