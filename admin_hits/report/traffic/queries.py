"""Rows of the classification tables: referrers, search keywords, campaigns, status codes, 404s
and bots, each compared with the previous period in one query.

These tables are written by the nightly import only: for today (live) they have no rows yet.
On the drill-down page the referrer, keyword and campaign rows are narrowed to the object.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Min, QuerySet

from admin_hits.models import (
    BotHits,
    CampaignHits,
    NotFoundHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
)
from admin_hits.report.queries import compare, object_filter
from admin_hits.report.scope import Scope

Rows = QuerySet | list[dict[str, Any]]


def _stored(scope: Scope, queryset: QuerySet, group: Any, **options: Any) -> Rows:
    if scope.period.is_live:
        return []
    return compare(queryset.filter(object_filter(scope)), scope, group, **options)


def referrer_hosts(scope: Scope) -> Rows:
    return _stored(scope, ReferrerHits.objects.all(), ["host"])


def referrer_pages(scope: Scope) -> Rows:
    """Full referrer URLs (the rows summing a host's other URLs have none and are left out)."""
    return _stored(scope, ReferrerHits.objects.exclude(url=""), ["url"])


def keywords(scope: Scope) -> Rows:
    return _stored(scope, SearchHits.objects.all(), ["keyword"])


def search_engines(scope: Scope) -> Rows:
    return _stored(scope, SearchHits.objects.all(), ["engine"])


def campaigns(scope: Scope) -> Rows:
    return _stored(scope, CampaignHits.objects.all(), ["campaign", "source", "medium"])


def status_codes(scope: Scope) -> Rows:
    """Requests by status code (site-wide: the rows name no object)."""
    if scope.period.is_live:
        return []
    return compare(StatusHits.objects.filter(scope.site_filter()), scope, ["status"])


def not_found(scope: Scope) -> Rows:
    """404 responses by path and referrer: where the broken links are."""
    if scope.period.is_live:
        return []
    group = ["path_hash", "referrer"]
    return compare(
        NotFoundHits.objects.filter(scope.site_filter()), scope, group, field="hits",
        page=Min("path"),
    )  # fmt: skip


def bots(scope: Scope) -> Rows:
    if scope.period.is_live:
        return []
    return compare(BotHits.objects.filter(scope.site_filter()), scope, ["bot"], field="hits")
