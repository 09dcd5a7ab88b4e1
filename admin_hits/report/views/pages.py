"""The base of the report and the drill-down page: period, live counts, tabs, tables, chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from django.contrib import admin
from django.http import HttpResponse
from django.utils.safestring import SafeString
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from admin_hits.conf import settings
from admin_hits.exceptions import StoreError
from admin_hits.live.health import read_health
from admin_hits.models import Hits, periods
from admin_hits.models.site_time import site_today
from admin_hits.report.chart_marks import Mark
from admin_hits.report.charts import daily_chart
from admin_hits.report.delivery.queries import SiteDeliveryFigures, site_figures
from admin_hits.report.formatting import range_text, views_text
from admin_hits.report.naming import ObjectNames
from admin_hits.report.objects import attach_objects
from admin_hits.report.owners import Owner, owner_for
from admin_hits.report.scope import LiveDay, Scope, site_urlconf
from admin_hits.report.sections import Section, groups_of
from admin_hits.report.series import Series
from admin_hits.report.tables import ReportTable
from admin_hits.report.views.access import can_export
from admin_hits.report.views.api import json_response, page_json, wants_json
from admin_hits.report.views.forms import PRESET_LABELS, PeriodForm
from admin_hits.report.views.hit_models import chosen_model, hits_models, model_filters, model_key
from admin_hits.report.views.links import Link, query_url
from admin_hits.report.views.site_filter import chosen_site, site_links, site_names


@dataclass
class TableBlock:
    section: Section
    table: ReportTable
    export_url: str = ""
    filters: list[Link] = field(default_factory=list)
    figure: Any = ""  # the section's chart, drawn above its table


class ReportPage(TemplateView):
    """Base of the two report pages; ``admin_site`` is the site they are mounted on."""

    admin_site: admin.AdminSite = admin.site
    sections: Sequence[Section] = ()

    def scope(self, **narrow: Any) -> Scope:
        """The request's period and previous period; today's live counts when it is today."""
        self.form = PeriodForm(self.request.GET or None, today=site_today())
        period = self.form.chosen
        site = chosen_site(self.request.GET, self.site_names)
        scope = Scope(period, periods.previous(period), owner=self.owner, site=site, **narrow)
        if period.is_live:
            try:
                scope.live = self.read_live(scope).only(self.owner)
            except StoreError as exc:
                scope.live_error = str(exc)
        return scope

    @cached_property
    def site_names(self) -> dict[int, str]:
        """The configured sites by id (none for a single-site configuration)."""
        return site_names()

    @cached_property
    def owner(self) -> Owner | None:
        """The requesting user's objects when they are scoped (``owners``), else None."""
        return owner_for(self.request.user, lambda: hits_models(self.admin_site).values())

    def exportable_sections(self) -> list[Section]:
        """The page's sections; without the site-wide ones for a scoped user."""
        return [s for s in self.sections if self.owner is None or not s.site_wide]

    def shown_sections(self) -> list[Section]:
        """The sections the page shows: the exportable ones, but those of what the period does
        not have (``Section.available``; their CSV is headers only)."""
        return [s for s in self.exportable_sections() if self.available(s)]

    def available(self, section: Section) -> bool:
        return section.available is None or section.available(self)

    @cached_property
    def delivery(self) -> SiteDeliveryFigures:
        """The site's bytes sent and response times of the request's period and the one
        before (one query a request): its figures, and whether it has a "Speed" tab."""
        period = PeriodForm(self.request.GET or None, today=site_today()).chosen
        site = chosen_site(self.request.GET, self.site_names)
        return site_figures(Scope(period, periods.previous(period), site=site))

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if wants_json(self.request):
            groups = groups_of(self.shown_sections())
            return json_response(self.json_data(context, groups, self.active_group()))
        return super().render_to_response(context, **kwargs)

    def json_data(
        self, context: dict[str, Any], tabs: list[tuple[str, Any]], active: str
    ) -> dict[str, Any]:
        return page_json(context, tabs, active)

    def read_live(self, scope: Scope) -> LiveDay:
        if scope.ref is None:
            return LiveDay.read(scope.period.end, scope.site, site_urlconf(scope.site))
        if scope.obj is None:  # deleted: nobody views it any more
            return LiveDay(scope.period.end, {})
        return LiveDay.read_object(scope.obj, scope.period.end, scope.site)

    @cached_property
    def names(self) -> ObjectNames:
        """The names of objects as the request's user may read them."""
        return ObjectNames(self.request, self.admin_site)

    def build(self, section: Section, scope: Scope) -> ReportTable:
        """``section``'s table for ``scope``, naming only the objects this user may see."""
        table = section.build(scope, self.admin_site.name)
        table.names = self.names
        return table

    def active_group(self) -> str:
        groups = [key for key, _ in groups_of(self.shown_sections())]
        asked = self.request.GET.get("tab", "")
        return asked if asked in groups else groups[0]

    def section_scope(self, section: Section, scope: Scope) -> Scope:
        """``scope`` narrowed to the model chosen for ``section``, when it offers the choice."""
        if not section.model_filter:
            return scope
        choices = hits_models(self.admin_site)
        return replace(scope, content_type=chosen_model(choices, self.request.GET, section))

    def tables(
        self, scope: Scope, export_url: Callable[[Section], str], *, compare: bool = True
    ) -> list[TableBlock]:
        """The active tab's tables, sorted and paginated as the request asks, objects attached;
        without the previous period's columns when it holds no data (``compare`` False)."""
        group = self.active_group()
        exports = can_export(self.request.user)
        blocks = []
        for section in self.shown_sections():
            if section.group != group:
                continue
            narrowed = self.section_scope(section, scope)
            table = self.build(section, narrowed)
            RequestConfig(self.request, paginate={"per_page": table._meta.per_page}).configure(
                table
            )
            if not compare:
                table.hide_comparison()
            block = TableBlock(section, table, export_url(section) if exports else "")
            if section.figure is not None:
                block.figure = section.figure(narrowed)
            if section.model_filter:
                choices = hits_models(self.admin_site)
                block.filters = model_filters(
                    choices, self.request.GET, narrowed.content_type, model_key(section)
                )
            blocks.append(block)
        # One query per model for the objects of every table on the page, not one per table.
        attach_objects(
            record for block in blocks if block.table.needs_objects
            for record in block.table.page_records()
        )  # fmt: skip
        return blocks

    def chart(
        self, series: Series, label: str, *, compare: bool = True, marks: Sequence[Mark] = ()
    ) -> SafeString:
        points = series.points(compare=compare)
        return daily_chart(points, label=label, number=views_text, marks=marks)

    def base_context(self, scope: Scope, title: str, *, compare: bool = True) -> dict[str, Any]:
        """What both pages show; ``compare`` False says the previous period holds no data."""
        request = self.request
        params = request.GET
        group = self.active_group()
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": Hits._meta,
            "scope": scope,
            "form": self.form,
            "period_text": range_text(scope.period.start, scope.period.end),
            "previous_text": range_text(scope.previous.start, scope.previous.end),
            "compare": compare,
            "presets": [
                Link(
                    label,
                    query_url(
                        {"period": key, "tab": params.get("tab"), "site": params.get("site")}
                    ),
                    scope.period.preset == key,
                )
                for key, label in PRESET_LABELS.items()
                if key != periods.CUSTOM
            ],  # fmt: skip
            "tabs": [
                Link(label, query_url(params, tab=key), key == group)
                for key, label in groups_of(self.shown_sections())
            ],
            "sites": site_links(params, self.site_names, scope.site),
            "live_interval": settings.LIVE_INTERVAL,
            "live_health": read_health(),
            "can_export": can_export(request.user),
        }
