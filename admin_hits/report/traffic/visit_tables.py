"""Tables of visits and downloads: landing pages (visits, bounces, bounce rate) and files by
downloads, with the object each path shows (rows from ``report.visit_queries``)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import views_text
from admin_hits.report.tables import (
    NUMBER,
    ObjectLinks,
    PathCells,
    ReportTable,
    change_column,
    previous_column,
    views_column,
)
from admin_hits.report.traffic.visit_queries import bounce_rate


def rate_text(rate: float | None) -> str:
    """``0.425`` as "42.5%" (one decimal), "—" when there is no rate."""
    if rate is None:
        return "—"
    return f"{number_format(round(rate * 100, 1), decimal_pos=1)}%"


class LandingsTable(PathCells, ObjectLinks, ReportTable):
    """Paths by the visits that started there: where visits come in, and how many leave at once."""

    needs_objects = True
    page = tables.Column(verbose_name=_("landing page"), order_by=("page", "path_hash"))
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    current = views_column("path_hash", verbose_name=_("visits"))
    bounces = tables.Column(verbose_name=_("bounces"), attrs=NUMBER)
    bounce_rate = tables.Column(
        verbose_name=_("bounce rate"), empty_values=(), orderable=False, attrs=NUMBER
    )
    exits = tables.Column(verbose_name=_("exits"), attrs=NUMBER)
    previous = previous_column("path_hash")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No visit started in this period.")

    def render_bounces(self, value: int) -> str:
        return views_text(value)

    def value_bounces(self, value: int) -> int:
        return value

    def render_exits(self, value: int) -> str:
        return views_text(value)

    def value_exits(self, value: int) -> int:
        return value

    def render_bounce_rate(self, record: dict[str, Any]) -> str:
        return rate_text(bounce_rate(record.get("bounces"), record.get("current")))

    def value_bounce_rate(self, record: dict[str, Any]) -> float | None:
        rate = bounce_rate(record.get("bounces"), record.get("current"))
        return None if rate is None else round(rate * 100, 1)


class DownloadsTable(PathCells, ObjectLinks, ReportTable):
    """Files by downloads: people who got them, once each however many requests."""

    needs_objects = True
    page = tables.Column(verbose_name=_("file"), order_by=("page", "path_hash"))
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    current = views_column("path_hash", verbose_name=_("downloads"))
    previous = previous_column("path_hash")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No file was downloaded in this period.")


# The CSV holds numbers, the page "42.5%".
LandingsTable.base_columns["bounce_rate"].export_header = _("bounce rate, %")
