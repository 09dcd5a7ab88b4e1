"""The traffic report: the whole site's views in a period, and its tables as CSV."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_tables2 import RequestConfig

from admin_hits.models.site_time import site_today
from admin_hits.report.live_compare import yesterday_so_far
from admin_hits.report.queries import object_hits
from admin_hits.report.scope import live_views
from admin_hits.report.sections import REPORT_SECTIONS, Section, find
from admin_hits.report.series import Series
from admin_hits.report.totals import SITE_FIELDS, Totals, has_previous, site_totals
from admin_hits.report.views.annotated import site_annotations
from admin_hits.report.views.csv import csv_response
from admin_hits.report.views.delivery_figures import delivery_figures
from admin_hits.report.views.figures import Figure, traffic_figures, uncompared
from admin_hits.report.views.pages import ReportPage
from admin_hits.report.views.site_filter import chosen_site
from admin_hits.report.views.visit_figures import visits_figures


class ReportView(ReportPage):
    template_name = "admin/admin_hits/report.html"
    sections = REPORT_SECTIONS

    def live_url(self) -> str:
        url = reverse(f"{self.admin_site.name}:admin_hits_report_live")
        site = chosen_site(self.request.GET, self.site_names)
        return url if site is None else f"{url}?{urlencode({'site': site})}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope = self.scope()
        # A scoped user's figures are their objects' (the site's are not theirs to see).
        series = Series.load(scope, object_hits(scope) if scope.owner is not None else None)
        period = scope.period
        totals = site_totals(scope) if scope.owner is None else Totals()
        # From the figures the page loads anyway: no query of its own (a site that began
        # recently has nothing before; every change would say "new").
        compare = has_previous(series.previous, totals)
        figures = [Figure.views(series, period, self.live_url())]
        # vs yesterday up to the same hour (of the chosen site's hours, or all the sites')
        if period.is_live and scope.live is not None:
            figures[0].previous = yesterday_so_far(period.end, scope.live.hours, site=scope.site)
        figures += traffic_figures(totals, SITE_FIELDS)
        figures += visits_figures(scope)
        if scope.owner is None:  # the site's own figures, as its totals
            figures += delivery_figures(self.delivery)
        if not period.is_live:
            views = live_views(site_today(), owner=self.owner, site=scope.site)
            figures.append(
                Figure(gettext("Views today"), views, None, self.live_url(), key="views_today")
            )
        params = self.request.GET.urlencode()
        events, marks = site_annotations(scope)

        def export_url(section: Section) -> str:
            url = reverse(f"{self.admin_site.name}:admin_hits_report_export", args=[section.slug])
            return f"{url}?{params}" if params else url

        return {
            **super().get_context_data(**kwargs),
            **self.base_context(scope, gettext("Traffic report"), compare=compare),
            "figures": figures if compare else uncompared(figures),
            "chart": self.chart(series, gettext("Views per day"), compare=compare, marks=marks),
            "chart_events": events,
            "series": series,
            "blocks": self.tables(scope, export_url, compare=compare),
        }


class ReportExportView(ReportPage):
    """``<section>.csv``: every row of one report table, as the report shows it."""

    sections = REPORT_SECTIONS

    def get(  # type: ignore[override]  # a streamed CSV, not TemplateView's HttpResponse
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        section = find(self.exportable_sections(), kwargs["section"])
        if section is None:
            raise Http404
        scope = self.section_scope(section, self.scope())
        table = self.build(section, scope)
        RequestConfig(request, paginate=False).configure(table)
        period = scope.period
        return csv_response(table.export_rows(), "traffic", section.slug, period.start, period.end)
