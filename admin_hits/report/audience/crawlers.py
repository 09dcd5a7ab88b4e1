"""What AI crawlers read: their views per object (the object rows of ``AICrawlerHits``),
compared with the previous period, for the report (per object and crawler: "Read by AI
crawlers" and the audience tab's "Objects fetched by AI crawlers", the same rows) and the
drill-down (per crawler)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from admin_hits.models import AICrawlerHits
from admin_hits.report.formatting import NEUTRAL
from admin_hits.report.objects import model_name
from admin_hits.report.queries import compare, object_filter
from admin_hits.report.scope import Scope
from admin_hits.report.tables import (
    ObjectLinks,
    ReportTable,
    change_column,
    previous_column,
    views_column,
)

Rows = QuerySet | list[dict[str, Any]]


def _rows(scope: Scope) -> QuerySet:
    objects = AICrawlerHits.objects.filter(content_type__isnull=False)
    return objects.filter(object_filter(scope))


def crawled_objects(scope: Scope) -> Rows:
    """Views per (object, AI crawler), most read first; nightly rows only."""
    if scope.period.is_live:
        return []
    group = {"object_type": F("content_type"), "object_pk": F("object_id"), "crawler": F("bot")}
    return compare(_rows(scope), scope, group)


def object_crawlers(scope: Scope) -> Rows:
    """Views of the scope's object per AI crawler."""
    if scope.period.is_live:
        return []
    return compare(_rows(scope), scope, ["bot"])


class CrawledObjectsTable(ObjectLinks, ReportTable):
    needs_objects = True
    rising = NEUTRAL
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    object_type = tables.Column(verbose_name=_("type"), orderable=False)
    crawler = tables.Column(
        verbose_name=_("AI crawler"), order_by=("crawler", "object_type", "object_pk")
    )
    current = views_column("object_type", "object_pk", "crawler")
    previous = previous_column("object_type", "object_pk", "crawler")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No AI crawler fetched an object in this period.")

    def render_object_type(self, value: int) -> str:
        return model_name(value)

    def value_object_type(self, value: int) -> str:
        return model_name(value)


class CrawlersTable(ReportTable):
    rising = NEUTRAL
    bot = tables.Column(verbose_name=_("AI crawler"), order_by=("bot",))
    current = views_column("bot")
    previous = previous_column("bot")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No AI crawler fetched it in this period.")
