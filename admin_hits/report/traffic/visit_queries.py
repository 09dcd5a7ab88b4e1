"""Rows and figures of visits and downloads: landing pages with their bounces, files by
downloads, and the period's visits and bounce rate, each compared with the previous period.

All of them are written by the nightly import only: for today (live) there is nothing yet. On
the drill-down page they are narrowed to the object (its paths' landings, its files).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from admin_hits.models import DownloadHits, LandingHits, VisitTotals
from admin_hits.models.periods import Period
from admin_hits.report import month_rows
from admin_hits.report import stored as stored_rows
from admin_hits.report.grouped import GroupedRows
from admin_hits.report.queries import compare, object_filter
from admin_hits.report.scope import Scope

Rows = QuerySet | GroupedRows | list[dict[str, Any]]


def _in(period: Period) -> Q:
    return Q(date__gte=period.start, date__lte=period.end)


def _paths(scope: Scope, queryset: QuerySet, field: str, **extra: Any) -> Rows:
    if scope.period.is_live:
        return []
    return compare(
        queryset.filter(object_filter(scope)), scope, ["path_hash"], field=field,
        page=Min("path"), object_type=Max("content_type"), object_pk=Max("object_id"), **extra,
    )  # fmt: skip


def landing_rows(scope: Scope) -> Rows:
    """Paths by the visits that started there, with their bounces (one-view visits) and the
    visits that ended there (exits). The precomputed rows of a standard period when there
    are some (``report.stored``), else the stored months and edge days of a longer range
    (``report.month_rows``), else summed from the days (``summed_landing_rows``)."""
    stored = stored_rows.landing_rows(scope)
    if stored is not None:
        return stored
    months = month_rows.landing_rows(scope, object_filter(scope))
    return months if months is not None else summed_landing_rows(scope)


def summed_landing_rows(scope: Scope) -> Rows:
    """``landing_rows`` summed from the days' ``LandingHits`` rows."""
    bounces = Coalesce(Sum("bounces", filter=_in(scope.period)), 0)
    exits = Coalesce(Sum("exits", filter=_in(scope.period)), 0)
    return _paths(scope, LandingHits.objects.all(), "visits", bounces=bounces, exits=exits)


def download_rows(scope: Scope) -> Rows:
    """Files by downloads (people who got them), with their object."""
    return _paths(scope, DownloadHits.objects.all(), "downloads")


@dataclass
class VisitFigures:
    """The visits and bounces of a period and of the one before (``None``: no day of it has
    visits stored)."""

    visits: int | None = None
    bounces: int | None = None
    previous_visits: int | None = None
    previous_bounces: int | None = None


def visit_figures(scope: Scope) -> VisitFigures:
    """The site's visits and bounces (``VisitTotals``, one query), or an object's: the visits
    that landed on its paths (``LandingHits``, one query)."""
    if scope.period.is_live:
        return VisitFigures()
    site = scope.object_ref is None and scope.content_type is None
    model = VisitTotals if site else LandingHits
    rows = model.objects.filter(
        scope.site_filter(), date__gte=scope.first_day, date__lte=scope.last_day
    )
    if not site:
        rows = rows.filter(object_filter(scope))
    # Named apart from the fields: Django refuses an aggregate named as a field it sums again.
    sums = rows.aggregate(
        v=Sum("visits", filter=_in(scope.period)),
        b=Sum("bounces", filter=_in(scope.period)),
        pv=Sum("visits", filter=_in(scope.previous)),
        pb=Sum("bounces", filter=_in(scope.previous)),
    )
    return VisitFigures(sums["v"], sums["b"], sums["pv"], sums["pb"])


def bounce_rate(bounces: int | None, visits: int | None) -> float | None:
    """Bounces per visit (0 to 1), ``None`` without visits."""
    return None if not visits else (bounces or 0) / visits
