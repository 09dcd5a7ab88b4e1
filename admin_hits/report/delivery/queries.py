"""Rows and figures of delivery (``models.delivery``): slow pages, bytes sent, and the site's
response times of a period, each period's percentiles from its days' sketches merged (a
period longer than a month: its stored months' and edge days', ``delivery_months``).

Written by the nightly import only, and only when the log format logs the time taken or the
bytes sent: a site whose format logs neither has no row, and the report shows nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q, Sum

from admin_hits.logs.sketches import decode, merged, percentiles
from admin_hits.models import PageDelivery
from admin_hits.models.periods import Period
from admin_hits.report.delivery import months as delivery_months
from admin_hits.report.queries import object_filter
from admin_hits.report.scope import Scope

# The pages a period's table ranks: those most requested. A page asked for a few times has
# percentiles of a few values, and merging every page's sketches of a long period would read
# them all.
MAX_PAGES = 500


def timed(page: Any) -> bool:
    """Whether the period of a report page (or the one before) has response times stored
    (``ReportPage.delivery``): the log format logs the time taken."""
    return bool(page.delivery.timed)


def slow_pages(scope: Scope) -> list[dict[str, Any]]:
    """The period's most requested pages with their response-time percentiles (from their
    days' sketches merged) and bytes sent; with an object, its paths."""
    if scope.period.is_live:
        return []
    period = scope.period
    condition = object_filter(scope)
    how = None if scope.object_ref is not None else delivery_months.split_period(scope, period)
    if how is not None:
        top, sketches = delivery_months.top_pages(how, condition, MAX_PAGES)
    else:
        top, sketches = _top_pages(condition, period)
    bins: dict[str, list[dict[int, int]]] = {row["path_hash"]: [] for row in top}
    for path_hash, sketch in sketches:
        bins[path_hash].append(decode(sketch))
    sized = any(row["bytes"] is not None for row in top)
    for row in top:
        row.update(percentiles(merged(bins[row["path_hash"]])))
        # Numbers to sort by, whatever the format logged; "sized" hides the column.
        row["bytes"], row["sized"] = row["bytes"] or 0, sized
    return top


def _top_pages(
    condition: Q, period: Period
) -> tuple[list[dict[str, Any]], Iterator[tuple[str, Any]]]:
    """The period's most requested pages from its days, and their days' sketches."""
    rows = PageDelivery.objects.filter(
        condition, date__gte=period.start, date__lte=period.end, p50__isnull=False
    )
    top: list[dict[str, Any]] = [
        dict(row)
        for row in (
            rows.values("path_hash")
            .annotate(
                requests=Sum("requests"),
                bytes=Sum("bytes"),
                page=Min("path"),
                object_type=Max("content_type"),
                object_pk=Max("object_id"),
            )  # fmt: skip
            .order_by("-requests", "path_hash")[:MAX_PAGES]
        )
    ]
    hashes = [row["path_hash"] for row in top]
    return top, iter(rows.filter(path_hash__in=hashes).values_list("path_hash", "sketch"))


@dataclass
class SiteDeliveryFigures:
    """A period's bytes sent and response-time percentiles (ms), and the previous period's
    (``None``: no day of it has them stored)."""

    bytes: int | None = None
    previous_bytes: int | None = None
    p50: float | None = None
    p95: float | None = None
    previous_p50: float | None = None
    previous_p95: float | None = None

    @property
    def timed(self) -> bool:
        return self.p50 is not None or self.previous_p50 is not None


def site_figures(scope: Scope) -> SiteDeliveryFigures:
    """The site's figures of the period and of the one before (one query, and one of stored
    months for a period longer than a month)."""
    found = SiteDeliveryFigures()
    if scope.period.is_live:
        return found
    current: list[dict[int, int]] = []
    previous: list[dict[int, int]] = []
    rows = delivery_months.site_rows(scope)
    for period, sketches, name in ((scope.period, current, "bytes"),
                                   (scope.previous, previous, "previous_bytes")):  # fmt: skip
        for sent, sketch in rows[period]:
            if sent is not None:
                setattr(found, name, (getattr(found, name) or 0) + sent)
            if sketch:
                sketches.append(decode(sketch))
    if current:
        now = percentiles(merged(current))
        found.p50, found.p95 = now["p50"], now["p95"]
    if previous:
        before = percentiles(merged(previous))
        found.previous_p50, found.previous_p95 = before["p50"], before["p95"]
    return found
