"""What a digest says: the period's headline figures against the period before, top objects,
risers and fallers, new referring sites and the 404s to fix, through the report's queries; of
the reader's site when they chose one (``Reader.site``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce

from admin_hits.models import Hits, ReferrerHits
from admin_hits.models.periods import Period, change
from admin_hits.notify.audience import Reader
from admin_hits.notify.periods import before
from admin_hits.report.naming import anonymous_name
from admin_hits.report.objects import attach_objects
from admin_hits.report.owners import Owner
from admin_hits.report.queries import (
    daily_views,
    object_filter,
    object_hits,
    object_rows,
    site_daily_views,
)
from admin_hits.report.scope import Scope
from admin_hits.report.totals import site_totals
from admin_hits.report.traffic.queries import not_found

#: Rows per table: a digest is read on a phone, between two other e-mails.
TOP = 10
MOVERS = 5
#: A referring host is new when it sent no view in this many days before the period.
NEW_REFERRER_DAYS = 28


@dataclass
class Figure:
    label: str
    current: int | None
    previous: int | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return change(self.current, self.previous)


@dataclass
class ObjectLine:
    name: str
    current: int
    previous: int

    @property
    def change(self) -> float | None:
        return change(self.current, self.previous)


@dataclass
class Digest:
    reader: Reader
    period: Period
    previous: Period
    figures: list[Figure] = field(default_factory=list)
    top: list[ObjectLine] = field(default_factory=list)
    risers: list[ObjectLine] = field(default_factory=list)
    fallers: list[ObjectLine] = field(default_factory=list)
    new_referrers: list[tuple[str, int]] = field(default_factory=list)
    not_found: list[tuple[str, int]] = field(default_factory=list)

    @property
    def views(self) -> Figure:
        return self.figures[0]


def build(reader: Reader, period: Period) -> Digest:
    """The digest of ``period`` as ``reader`` may read it (a fixed number of queries)."""
    from django.utils.translation import gettext

    previous = before(period)
    owner = reader.owner
    scope = Scope(period, previous, owner=owner, site=reader.site)
    if owner is None:
        views = site_daily_views(previous.start, period.end, scope.site_filter())
    else:  # a scoped reader's views are their objects'; the site's figures are not theirs
        views = daily_views(object_hits(scope), previous.start, period.end)
    digest = Digest(reader, period, previous)
    digest.figures = [
        Figure(
            gettext("Views"),
            sum(v for d, v in views.items() if d in period),
            sum(v for d, v in views.items() if d in previous),
        )
    ]
    if owner is None:
        totals = site_totals(scope)
        digest.figures += [
            Figure(gettext("Visitors"), *totals.get("visitors")),
            Figure(gettext("Bot views"), *totals.get("bot_views")),
        ]
        digest.not_found = [(r["page"], r["current"]) for r in list(not_found(scope)[:TOP])]
    top = list(object_rows(scope)[:TOP])
    risers, fallers = movers(scope)
    names = Names(reader, [*top, *risers, *fallers])
    digest.top = [names.line(row) for row in top]
    digest.risers = [names.line(row) for row in risers]
    digest.fallers = [names.line(row) for row in fallers]
    digest.new_referrers = new_referrers(period, owner, reader.site)
    return digest


class Names:
    """Object names as ``reader`` may read them; the objects of ``rows`` fetched at once, one
    query per model (``attach_objects``), whatever the number of rows."""

    def __init__(self, reader: Reader, rows: Iterable[dict[str, Any]] = ()) -> None:
        self.reader = reader
        rows = [dict(row) for row in rows]
        attach_objects(rows)
        self.objects = {(r["object_type"], r["object_pk"]): r["object"] for r in rows}

    def line(self, row: dict[str, Any]) -> ObjectLine:
        return ObjectLine(self.name(row["object_type"], row["object_pk"]), row["current"],
                          row["previous"])  # fmt: skip

    def name(self, type_id: int, object_pk: str) -> str:
        model = ContentType.objects.get_for_id(type_id).model_class()
        if not self.reader.may_name(model):
            return anonymous_name(type_id, object_pk)
        key = (type_id, object_pk)
        if key not in self.objects:
            self.objects.update(Names(self.reader, [{"object_type": type_id,
                                                     "object_pk": object_pk}]).objects)  # fmt: skip
        obj = self.objects[key]
        return str(obj) if obj is not None else anonymous_name(type_id, object_pk)


def movers(scope: Scope) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The objects whose views grew most, and those that lost most, against the period before."""

    def in_(period: Period) -> Q:
        return Q(date__gte=period.start, date__lte=period.end)

    rows = (
        Hits.objects.filter(date__gte=scope.previous.start, date__lte=scope.period.end)
        .filter(object_filter(scope))
        .values(object_type=F("content_type"), object_pk=F("object_id"))
        .annotate(
            current=Coalesce(Sum("views", filter=in_(scope.period)), 0),
            previous=Coalesce(Sum("views", filter=in_(scope.previous)), 0),
        )
        .annotate(delta=F("current") - F("previous"))
    )
    risers = rows.filter(delta__gt=0).order_by("-delta", "object_type", "object_pk")[:MOVERS]
    fallers = rows.filter(delta__lt=0).order_by("delta", "object_type", "object_pk")[:MOVERS]
    return [dict(r) for r in risers], [dict(r) for r in fallers]


def new_referrers(
    period: Period, owner: Owner | None = None, site: int | None = None
) -> list[tuple[str, int]]:
    """Hosts that sent views in ``period`` and none in the weeks before it, most views first
    (to ``owner``'s objects only, to one ``site``, when given)."""
    referrers = ReferrerHits.objects.all()
    if site is not None:
        referrers = referrers.filter(site=site)
    if owner is not None:
        referrers = referrers.filter(owner.condition)
    seen_before = referrers.filter(
        date__gte=period.start - datetime.timedelta(days=NEW_REFERRER_DAYS),
        date__lt=period.start,
    ).values("host")
    rows = (
        referrers.filter(date__gte=period.start, date__lte=period.end)
        .exclude(host__in=seen_before)
        .values("host")
        .annotate(views=Sum("views"))
        .order_by("-views", "host")[:TOP]
    )
    return [(row["host"], row["views"]) for row in rows]
