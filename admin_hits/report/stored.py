"""The report's rows from the precomputed totals of the standard periods (``period_totals``).

Each function returns None when the period asked for is not exactly the days of stored rows:
the caller (``reports.queries``, ``report.visit_queries``) then sums the days.
"""

from __future__ import annotations

from django.db.models import F, QuerySet

from admin_hits.models import (
    LandingPeriodTotals,
    ObjectPeriodTotals,
    PathPeriodTotals,
    PeriodTotals,
)
from admin_hits.models.totals import SITE_MARK, site_preset
from admin_hits.report.scope import Scope


def stored_preset(scope: Scope) -> str | None:
    """The preset whose precomputed rows are exactly ``scope``'s days; None when there is none."""
    if scope.period.is_live:
        return None
    key = (scope.period.start, scope.period.end, scope.previous.start, scope.previous.end)
    memo = scope.memo
    if (key, scope.site) not in memo:
        rows = PeriodTotals.objects.filter(
            start=key[0], end=key[1], previous_start=key[2], previous_end=key[3]
        )
        # The stamp of the scope's rows: every site's ("30d"), or one site's ("30d@2").
        found = None
        for preset in rows.values_list("preset", flat=True):
            base, _, site = preset.partition(SITE_MARK)
            if site == ("" if scope.site is None else str(scope.site)):
                found = base
        memo[key, scope.site] = found
    return memo[key, scope.site]


def object_rows(scope: Scope) -> QuerySet | None:
    """The "Top objects" rows of ``scope``, shaped as ``queries.object_rows``; None when not
    precomputed (the caller then sums the days)."""
    preset = stored_preset(scope)
    if preset is None or scope.object_ref is not None:
        return None
    rows = ObjectPeriodTotals.objects.filter(preset=site_preset(preset, scope.site))
    if scope.owner is not None:
        rows = rows.filter(scope.owner.condition)
    if scope.content_type is not None:
        rows = rows.filter(content_type=scope.content_type)
    return rows.values(
        "current", "previous", object_type=F("content_type"), object_pk=F("object_id")
    ).order_by("-current", "object_type", "object_pk")


def page_rows(scope: Scope, *, unmatched: bool = False) -> QuerySet | None:
    """The "Top pages" (or "Unmatched paths") rows of ``scope``, shaped as
    ``queries.page_rows``; None when not precomputed. An object's paths are always summed."""
    preset = stored_preset(scope)
    if preset is None or scope.object_ref is not None or scope.content_type is not None:
        return None
    rows = PathPeriodTotals.objects.filter(
        preset=site_preset(preset, scope.site), unmatched=unmatched
    )
    if scope.owner is not None:
        rows = rows.filter(scope.owner.condition)
    return rows.values(
        "path_hash", "current", "previous", page=F("path"), object_type=F("content_type"),
        object_pk=F("object_id"),
    ).order_by("-current", "path_hash")  # fmt: skip


def landing_rows(scope: Scope) -> QuerySet | None:
    """The "Landing pages" rows of ``scope``, shaped as ``visit_queries.landing_rows``; None
    when not precomputed. An object's or a model's landings are summed from their days."""
    preset = stored_preset(scope)
    if preset is None or scope.object_ref is not None or scope.content_type is not None:
        return None
    rows = LandingPeriodTotals.objects.filter(preset=site_preset(preset, scope.site))
    if scope.owner is not None:
        rows = rows.filter(scope.owner.condition)
    return rows.values(
        "path_hash", "current", "previous", "bounces", "exits", page=F("path"),
        object_type=F("content_type"), object_pk=F("object_id"),
    ).order_by("-current", "path_hash")  # fmt: skip
