"""One object's traffic: its daily views, the paths it was viewed at, and their CSV exports."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django_tables2 import RequestConfig

from admin_hits.live.counts import object_path
from admin_hits.models.site_time import site_today
from admin_hits.report.queries import object_hits
from admin_hits.report.scope import Scope, live_views
from admin_hits.report.sections import OBJECT_SECTIONS, Section, find
from admin_hits.report.series import Series
from admin_hits.report.totals import OBJECT_FIELDS, has_previous, object_totals
from admin_hits.report.views.annotated import object_annotations
from admin_hits.report.views.csv import csv_response
from admin_hits.report.views.figures import Figure, traffic_figures, uncompared
from admin_hits.report.views.hit_models import reported_object
from admin_hits.report.views.launch import launch_context, launch_json
from admin_hits.report.views.pages import ReportPage
from admin_hits.report.views.visit_figures import visits_figures


class ObjectPage(ReportPage):
    """Base of the drill-down views: the object named by the URL, or 404."""

    sections = OBJECT_SECTIONS

    def object_ref(self) -> tuple[int, str]:
        """The (content type id, object id) the URL names."""
        return self.kwargs["content_type_id"], unquote(self.kwargs["object_id"])

    def object_scope(self) -> Scope:
        type_id, object_pk = self.object_ref()
        if self.owner is not None and not self.owner.allows(type_id, object_pk):
            raise Http404  # not among this user's objects: as if it did not exist
        obj = reported_object(self.request, self.admin_site, type_id, object_pk)
        return self.scope(ref=(type_id, object_pk), obj=obj)

    def url(self, name: str, *args: Any) -> str:
        ref = (self.kwargs["content_type_id"], quote(unquote(self.kwargs["object_id"])))
        return reverse(f"{self.admin_site.name}:{name}", args=[*ref, *args])


class ObjectReportView(ObjectPage):
    template_name = "admin/admin_hits/object_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        scope, ref = self.object_scope(), self.object_ref()
        series = Series.load(scope, object_hits(scope))
        public_path = object_path(scope.obj) if scope.obj is not None else None
        # Live counts are kept by path: an object without one (or deleted) has none.
        live = public_path is not None
        live_url = self.url("admin_hits_object_live") if live else ""
        if live and scope.site is not None:  # its views on the chosen site
            live_url += f"?{urlencode({'site': scope.site})}"
        period = scope.period
        totals = object_totals(scope)
        # The object's own previous period, not the site's: an object published last week has
        # nothing to compare with on a site with years of data. Its series and figures are
        # loaded anyway, so this costs no query; its tables (paths, referrers, keywords,
        # campaigns) count its views or a part of them, so they have no previous rows either.
        compare = has_previous(series.previous, totals)
        figures = [Figure.views(series, period, live_url)]
        figures += traffic_figures(totals, OBJECT_FIELDS)
        figures += visits_figures(scope)
        if not period.is_live and live:
            views = live_views(site_today(), scope.obj, site=scope.site)
            figures.append(Figure(gettext("Views today"), views, None, live_url, key="views_today"))
        name = self.names.of(*ref, scope.obj)
        if not self.names.may_name(ref[0]):
            public_path = None  # an address can name the object too (a slug)
        params = self.request.GET.urlencode()
        events, marks = object_annotations(scope)

        def export_url(section: Section) -> str:
            url = self.url("admin_hits_object_export", section.slug)
            return f"{url}?{params}" if params else url

        return {
            **super().get_context_data(**kwargs),
            **self.base_context(
                scope, gettext("Traffic: %(object)s") % {"object": name}, compare=compare
            ),
            "object_name": name,
            "object": scope.obj,
            "object_model": ContentType.objects.get_for_id(ref[0]).name,
            "change_url": self.change_url(scope),
            "public_path": public_path,
            "figures": figures if compare else uncompared(figures),
            "chart": self.chart(
                series,
                gettext("Views per day of %(object)s") % {"object": name},
                compare=compare,
                marks=marks,
            ),
            "chart_events": events,
            "blocks": self.tables(scope, export_url, compare=compare),
            "series": series,
            **launch_context(scope),
        }

    def json_data(
        self, context: dict[str, Any], tabs: list[tuple[str, Any]], active: str
    ) -> dict[str, Any]:
        scope = context["scope"]
        return {
            **super().json_data(context, tabs, active),
            **launch_json(context),
            "object": {
                "content_type": self.object_ref()[0],
                "pk": self.object_ref()[1],
                "model": context["object_model"],
                "name": context["object_name"],
                "path": context["public_path"],
                "exists": scope.obj is not None,
            },
        }

    def change_url(self, scope: Scope) -> str:
        """The object's own admin page, when this user may see it."""
        obj = scope.obj
        if obj is None:
            return ""
        model_admin = self.admin_site._registry.get(type(obj))
        if model_admin is None or not model_admin.has_view_or_change_permission(self.request, obj):
            return ""
        opts = obj._meta
        try:
            return reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return ""


class ObjectExportView(ObjectPage):
    """One table of the drill-down page as CSV."""

    def get(  # type: ignore[override]  # a streamed CSV, not TemplateView's HttpResponse
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        section = find(self.exportable_sections(), kwargs["section"])
        if section is None:
            raise Http404
        scope, ref = self.object_scope(), self.object_ref()
        table = self.build(section, scope)
        RequestConfig(request, paginate=False).configure(table)
        ct = ContentType.objects.get_for_id(ref[0])
        name = (ct.model, ref[1], section.slug, scope.period.start, scope.period.end)
        return csv_response(table.export_rows(), "traffic", *name)
