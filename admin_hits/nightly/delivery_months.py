"""Each finished month's response times and bytes sent, merged from its days.

Computed by ``month_totals.refresh`` for the months it computes, in the same transaction and
under the same ``MonthTotals`` stamp, so a month is read from here exactly when its totals
are. Sketches do not add up in SQL: the days' sketches are decoded, their bins added (which is
how DDSketches merge: the month's percentiles are those of its days merged, to the bin) and
encoded again, one page after the other, with the rows read in order of page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from admin_hits.logs.sketches import decode, encode, merged
from admin_hits.models import PageDelivery, PageDeliveryMonth, SiteDelivery, SiteDeliveryMonth

_BATCH = 2000
_PAGE = itemgetter(0, 2, 3)  # path hash, content type, object id


def _last_day(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)


def refresh(months: Sequence[datetime.date], *, using: str) -> None:
    """Store the delivery of ``months`` (first days), replacing what is stored of them."""
    for model in (SiteDeliveryMonth, PageDeliveryMonth):
        model._default_manager.using(using).filter(month__in=months)._raw_delete(using)
    for month in months:
        _site(month, using)
        _pages(month, using)


def drop(using: str, before: datetime.date | None) -> None:
    """The months before ``before`` (all of them for None): their days were pruned."""
    for model in (SiteDeliveryMonth, PageDeliveryMonth):
        rows = model._default_manager.using(using).all()
        if before is not None:
            rows = rows.filter(month__lt=before)
        rows._raw_delete(using)


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


def _site(month: datetime.date, using: str) -> None:
    days = SiteDelivery.objects.using(using).filter(date__gte=month, date__lte=_last_day(month))
    rows = list(days.values_list("requests", "bytes", "sketch"))
    if rows:
        requests, sent, sketch = _added(rows)
        SiteDeliveryMonth.objects.using(using).create(
            month=month, requests=requests, bytes=sent, sketch=sketch
        )


def _pages(month: datetime.date, using: str) -> None:
    """The month's timed pages (the rows "Slow pages" reads), one row per page and object."""
    timed = PageDelivery.objects.using(using).filter(
        date__gte=month, date__lte=_last_day(month), p50__isnull=False
    )
    rows = (
        timed.order_by("path_hash", "content_type_id", "object_id")
        .values_list(
            "path_hash", "path", "content_type", "object_id", "requests", "bytes", "sketch"
        )  # fmt: skip
        .iterator(chunk_size=_BATCH)
    )
    batch: list[PageDeliveryMonth] = []
    for (key, content_type, object_id), page in groupby(rows, key=_PAGE):
        days = list(page)
        requests, sent, sketch = _added(days)
        batch.append(PageDeliveryMonth(
            month=month, path_hash=key, path=days[0][1], content_type_id=content_type,
            object_id=object_id, requests=requests, bytes=sent, sketch=sketch,
        ))  # fmt: skip
        if len(batch) >= _BATCH:
            PageDeliveryMonth.objects.using(using).bulk_create(batch)
            batch = []
    PageDeliveryMonth.objects.using(using).bulk_create(batch)
