"""Each finished month's response times and bytes sent, merged from its days.

Computed by ``month_totals.refresh`` for the months and sites it computes, in the same
transaction and under the same ``MonthTotals`` stamps, so a month is read from here exactly
when its totals are. Sketches do not add up in SQL: the days' sketches are decoded, their bins
added (which is how DDSketches merge: the month's percentiles are those of its days merged, to
the bin) and encoded again, one page after the other, with the rows read in order of page
(of site and page, for the sites' own rows).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Q, QuerySet

from admin_hits.logs.sketches import decode, encode, merged
from admin_hits.models import PageDelivery, PageDeliveryMonth, SiteDelivery, SiteDeliveryMonth
from admin_hits.models.month_totals import ALL_SITES

_BATCH = 2000
_PAGE_FIELDS = ("site", "path_hash", "path", "content_type", "object_id", "requests",
                "bytes", "sketch")  # fmt: skip
_PAGE = itemgetter(1, 3, 4)  # path hash, content type, object id


def _last_day(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)


def refresh(todo: Mapping[datetime.date, Sequence[int]], stale: Q, *, using: str) -> None:
    """Store the delivery of the months of ``todo`` (first days), each for its sites
    (``ALL_SITES``: every site's days), replacing the ``stale`` rows."""
    for model in (SiteDeliveryMonth, PageDeliveryMonth):
        model._default_manager.using(using).filter(stale)._raw_delete(using)
    for month, sites in todo.items():
        if ALL_SITES in sites:
            _site(month, using, None)
            _pages(month, using, None)
        own = [site for site in sites if site != ALL_SITES]
        if own:
            _site(month, using, own)
            _pages(month, using, own)


def drop(using: str, before: datetime.date | None) -> None:
    """The months before ``before`` (all of them for None): their days were pruned."""
    for model in (SiteDeliveryMonth, PageDeliveryMonth):
        rows = model._default_manager.using(using).all()
        if before is not None:
            rows = rows.filter(month__lt=before)
        rows._raw_delete(using)


def drop_sites(using: str, sites: Collection[int]) -> None:
    """The months of ``sites`` (no longer configured)."""
    for model in (SiteDeliveryMonth, PageDeliveryMonth):
        model._default_manager.using(using).filter(site__in=sites)._raw_delete(using)


def _added(rows: Iterable[tuple[Any, ...]]) -> tuple[int, int | None, bytes]:
    """Requests, bytes (None: no day logged them) and sketch of ``rows`` (their last three
    values: requests, bytes, sketch) added up."""
    requests, sent, sketches = 0, None, []
    for *_, day_requests, day_bytes, sketch in rows:
        requests += day_requests
        if day_bytes is not None:
            sent = (sent or 0) + day_bytes
        if sketch:
            sketches.append(decode(sketch))
    bins = merged(sketches)
    return requests, sent, encode(bins) if bins else b""


def _of_sites(rows: QuerySet, sites: Sequence[int] | None) -> tuple[QuerySet, tuple[str, ...]]:
    """``rows`` of ``sites`` (of every site: None), and the order that keeps a site's rows
    together."""
    return (rows, ()) if sites is None else (rows.filter(site__in=sites), ("site",))


def _month_site(sites: Sequence[int] | None) -> Callable[[tuple[Any, ...]], int]:
    """The ``site`` of the month row of a day's row (its first value: its site)."""
    return (lambda row: ALL_SITES) if sites is None else itemgetter(0)


def _site(month: datetime.date, using: str, sites: Sequence[int] | None) -> None:
    days = SiteDelivery.objects.using(using).filter(date__gte=month, date__lte=_last_day(month))
    days, order = _of_sites(days, sites)
    rows = days.order_by(*order).values_list("site", "requests", "bytes", "sketch")
    SiteDeliveryMonth.objects.using(using).bulk_create(
        SiteDeliveryMonth(month=month, site=site, requests=requests, bytes=sent, sketch=sketch)
        for site, site_rows in groupby(rows, key=_month_site(sites))
        for requests, sent, sketch in [_added(site_rows)]
    )


def _pages(month: datetime.date, using: str, sites: Sequence[int] | None) -> None:
    """The month's timed pages (the rows "Slow pages" reads), one row per page and object."""
    timed = PageDelivery.objects.using(using).filter(
        date__gte=month, date__lte=_last_day(month), p50__isnull=False
    )
    timed, order = _of_sites(timed, sites)
    rows = (
        timed.order_by(*order, "path_hash", "content_type_id", "object_id")
        .values_list(*_PAGE_FIELDS)
        .iterator(chunk_size=_BATCH)
    )
    batch: list[PageDeliveryMonth] = []
    site_of = _month_site(sites)
    for (site, key, content_type, object_id), page in groupby(
        rows, key=lambda row: (site_of(row), *_PAGE(row))
    ):
        days = list(page)
        requests, sent, sketch = _added(days)
        batch.append(PageDeliveryMonth(
            month=month, site=site, path_hash=key, path=days[0][2],
            content_type_id=content_type, object_id=object_id, requests=requests, bytes=sent,
            sketch=sketch,
        ))  # fmt: skip
        if len(batch) >= _BATCH:
            PageDeliveryMonth.objects.using(using).bulk_create(batch)
            batch = []
    PageDeliveryMonth.objects.using(using).bulk_create(batch)
