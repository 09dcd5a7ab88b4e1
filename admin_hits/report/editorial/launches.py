"""Launch curves: how an object did in its first days, against its model's other objects.

An object's launch starts on its publication day (``publication``): the views of that day
(``first_day``), of it and the six days after (``first_7_days``), of its first 30 days
(``first_30_days``) and its busiest day among them (``peak_date``), summed from the daily
``Hits`` rows. Its peers are the other objects of the same model, the ``PEERS`` most recently
published of those old enough to have as many complete days behind them; at each age their
cumulative views give a median and a 75th percentile (``Band``). With fewer than two peers
there is no band: one object is no "typical" one. Of one site of several (``site``), an
object's launch is its views on that site, and its peers' theirs.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from admin_hits.models import Hits, ObjectLaunch
from admin_hits.models.launches import ALL_SITES, HORIZON
from admin_hits.models.publication import publication_dates, published_between
from admin_hits.report.owners import Owner

PEERS = 100  # recently published objects an object is compared with
_CHUNK = 100  # objects per query: one condition each
_STORED_CHUNK = 500  # objects per query of their stored launches (SQLite's parameter limit)


@dataclass
class Launch:
    """The first days of one object, from its publication day; ``days`` holds the views of
    each day counted so far (at most ``HORIZON``), ``age`` the complete days among them."""

    published: datetime.date
    days: list[int] = field(default_factory=list)
    age: int = 0

    def first(self, count: int) -> int:
        """Views in the first ``count`` days (those counted so far when it is younger)."""
        return sum(self.days[:count])

    @property
    def first_day(self) -> int:
        return self.first(1)

    @property
    def first_7_days(self) -> int:
        return self.first(7)

    @property
    def first_30_days(self) -> int:
        return self.first(HORIZON)

    @property
    def peak_date(self) -> datetime.date | None:
        """The busiest of its first days (the earliest on a tie); None without views."""
        if not any(self.days):
            return None
        index = max(range(len(self.days)), key=lambda i: (self.days[i], -i))
        return self.published + datetime.timedelta(days=index)

    def cumulative(self) -> list[int]:
        """Views up to each day, for the complete days."""
        total, found = 0, []
        for views in self.days[: self.age]:
            total += views
            found.append(total)
        return found


@dataclass
class Band:
    """The peers' cumulative views at each age (index 0: the publication day)."""

    peers: int
    median: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)  # 75th percentile

    @property
    def shown(self) -> bool:
        return self.peers >= 2

    def median_at(self, days: int) -> float | None:
        """The peers' median views in their first ``days`` days."""
        return self.median[days - 1] if self.shown and 0 < days <= len(self.median) else None


def complete_days(published: datetime.date, today: datetime.date) -> int:
    """Days from ``published`` up to yesterday (today is still being counted), at most
    ``HORIZON``."""
    return max(0, min((today - published).days, HORIZON))


def _stored(
    ct: ContentType, starts: dict[str, datetime.date], site: int | None
) -> dict[str, list[int]]:
    """The days ``parse_log`` stored (``ObjectLaunch``) of the objects whose launch starts on
    the day it has, on ``site`` (None: every site's): a row each, one query per
    ``_STORED_CHUNK`` objects."""
    found: dict[str, list[int]] = {}
    ids = list(starts)
    for index in range(0, len(ids), _STORED_CHUNK):
        rows = ObjectLaunch.objects.filter(
            content_type=ct, object_id__in=ids[index : index + _STORED_CHUNK],
            site=ALL_SITES if site is None else site, days__isnull=False,
        ).values_list("object_id", "published", "days")  # fmt: skip
        found.update(
            (oid, days) for oid, published, days in rows if days and starts[oid] == published
        )
    return found


def _windows(
    ct: ContentType, starts: dict[str, datetime.date], length: int, site: int | None = None
) -> dict[str, list[int]]:
    """``{object id: views per day}`` of ``length`` days from each object's start, on
    ``site`` (None: every site's): those stored by ``parse_log``, else one query per
    ``_CHUNK`` objects, each read from the (content type, object, date) index."""
    stored = _stored(ct, starts, site) if length <= HORIZON else {}
    found = {object_id: days[:length] for object_id, days in stored.items()}
    found.update((object_id, [0] * length) for object_id in starts if object_id not in stored)
    items = [(object_id, start) for object_id, start in starts.items() if object_id not in stored]
    for index in range(0, len(items), _CHUNK):
        condition = Q()
        for object_id, start in items[index : index + _CHUNK]:
            end = start + datetime.timedelta(days=length - 1)
            condition |= Q(object_id=object_id, date__gte=start, date__lte=end)
        if site is not None:
            condition &= Q(site=site)
        rows = Hits.objects.filter(condition, content_type=ct).values_list(
            "object_id", "date", "views"
        )
        for object_id, day, views in rows:
            found[object_id][(day - starts[object_id]).days] += views
    return found


def launches(
    model: type[models.Model],
    starts: dict[str, datetime.date],
    today: datetime.date,
    site: int | None = None,
) -> dict[str, Launch]:
    """The launches of the objects published on ``starts`` (``{object id: day}``), on
    ``site`` (None: every site)."""
    started = {pk: day for pk, day in starts.items() if day <= today}
    ct = ContentType.objects.get_for_model(model)
    windows = _windows(ct, started, HORIZON, site)
    found = {}
    for pk, day in started.items():
        counted = min((today - day).days + 1, HORIZON)  # today's stored rows, if any
        found[pk] = Launch(day, windows[pk][:counted], complete_days(day, today))
    return found


def launch_of(obj: models.Model, today: datetime.date, site: int | None = None) -> Launch | None:
    pk = str(obj.pk)
    published = publication_dates(type(obj), [pk]).get(pk)
    if published is None:
        return None
    return launches(type(obj), {pk: published}, today, site).get(pk)


def band(
    model: type[models.Model],
    days: int,
    today: datetime.date,
    exclude: Iterable[str] = (),
    owner: Owner | None = None,
    site: int | None = None,
) -> Band:
    """The cumulative views of the ``PEERS`` objects of ``model`` most recently published
    with at least ``days`` complete days behind them, but those of ``exclude``; of
    ``owner``'s objects only, when given (a scoped user learns nothing of others'); their
    views on ``site`` only, when given."""
    if days <= 0:
        return Band(0)
    excluded = set(exclude)
    last = today - datetime.timedelta(days=days)
    peers = published_between(model, None, last, limit=PEERS + len(excluded))
    peers = {pk: day for pk, day in peers.items() if pk not in excluded}
    ct = ContentType.objects.get_for_model(model)
    if owner is not None:
        allowed = {pk for _, pk in owner.allowed((ct.pk, pk) for pk in peers)}
        peers = {pk: day for pk, day in peers.items() if pk in allowed}
    peers = dict(list(peers.items())[:PEERS])
    if len(peers) < 2:
        return Band(len(peers))
    curves = _windows(ct, peers, days, site)
    median, upper = [], []
    cumulative = dict.fromkeys(curves, 0)
    for day in range(days):
        for pk, views in curves.items():
            cumulative[pk] += views[day]
        values = sorted(cumulative.values())
        median.append(float(statistics.median(values)))
        upper.append(float(statistics.quantiles(values, n=4, method="inclusive")[2]))
    return Band(len(peers), median, upper)


def ratio(views: int, typical: float | None) -> float | None:
    """``views`` as a multiple of ``typical``; None when there is no typical figure."""
    if typical is None or typical <= 0:
        return None
    return views / typical
