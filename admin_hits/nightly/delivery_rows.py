"""A day's delivery (``logs.delivery_days.DayDelivery``) as ``SiteDelivery`` and
``PageDelivery`` rows, each page matched to its object as its views are.

Both tables are written with every day, empty when the format logs neither figure, so that a
day read again from files of another format keeps no row of the old one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from admin_hits.logs.delivery_days import DayDelivery
from admin_hits.logs.sketches import Bins, encode, percentiles
from admin_hits.models import PageDelivery, SiteDelivery
from admin_hits.nightly.resolvers import ObjectRef
from admin_hits.nightly.rollups import PathHashes
from admin_hits.nightly.rows import Table

_FIGURES = ("requests", "bytes", "p50", "p95", "p99", "sketch")


def _figures(requests: int, bins: Bins, sent: int | None, timed: bool) -> tuple[object, ...]:
    if not timed or not bins:
        return (requests, sent, None, None, None, b"")
    found = percentiles(bins)
    return (requests, sent, found["p50"], found["p95"], found["p99"], encode(bins))


def delivery_rows(
    day: datetime.date,
    delivery: DayDelivery | None,
    refs: Mapping[str, ObjectRef],
    hashes: Mapping[str, str] | None = None,
    lines: int = 0,
) -> list[Table]:
    """The day's ``SiteDelivery`` row and a ``PageDelivery`` row per page; ``lines``: the
    day's requests, when the format logs no time to count them by."""
    site = Table(SiteDelivery, ("date", *_FIGURES))
    pages = Table(
        PageDelivery, ("date", "path", "path_hash", "content_type", "object_id", *_FIGURES)
    )
    if delivery is None or not (delivery.timed or delivery.sized):
        return [site, pages]
    hashes = hashes if isinstance(hashes, PathHashes) else PathHashes(hashes or {})
    requests = sum(delivery.bins.values()) if delivery.timed else lines
    site.rows.append((day, *_figures(requests, delivery.bins, delivery.bytes, delivery.timed)))
    for path in sorted(delivery.pages):
        page = delivery.pages[path]
        ref = refs.get(path)
        head = (day, path, hashes[path], *((ref.content_type_id, ref.object_id) if ref else
                                             (None, "")))  # fmt: skip
        pages.rows.append((*head, *_figures(page.requests, page.bins, page.bytes, delivery.timed)))
    return [site, pages]
