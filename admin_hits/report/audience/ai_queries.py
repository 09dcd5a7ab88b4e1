"""Rows of the AI crawler tables, and the share of the bots' views that are theirs.

Written by the nightly import only: for today (live) they have no rows yet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum

from admin_hits.models import AICrawlerHits, DayTotals
from admin_hits.report.audience.crawlers import crawled_objects
from admin_hits.report.audience.queries import audience_filter
from admin_hits.report.queries import compare
from admin_hits.report.scope import Scope

Rows = QuerySet | list[dict[str, Any]]


def ai_crawlers(scope: Scope) -> Rows:
    """Views per AI crawler: of the site, or of the object on its page."""
    if scope.period.is_live:
        return []
    return compare(AICrawlerHits.objects.filter(audience_filter(scope)), scope, ["bot"])


#: The objects each AI crawler fetched, with their views: the rows of "Read by AI crawlers".
ai_objects = crawled_objects


def ai_share(scope: Scope) -> tuple[int, int]:
    """(views by AI crawlers, views by all bots) of the site in the period."""
    if scope.period.is_live:
        return 0, 0
    period = {"date__gte": scope.period.start, "date__lte": scope.period.end}
    ai = AICrawlerHits.objects.filter(scope.site_filter(), content_type__isnull=True, **period)
    bots = DayTotals.objects.filter(scope.site_filter(), **period)
    return (
        ai.aggregate(total=Sum("views"))["total"] or 0,
        bots.aggregate(total=Sum("bot_views"))["total"] or 0,
    )
