"""The report's URL patterns, mounted through an admin site (see ``ReportAdminMixin``).

Every view runs behind ``AdminSite.admin_view`` (staff login, no caching, CSRF) and then
checks the hits permissions: viewing for the pages and the JSON, exporting for the CSV files.
Scripts send an API token instead of a session (``views.tokens``).
Reverse them in the site's namespace: ``reverse("admin:admin_hits_report")``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.admin import AdminSite
from django.urls import URLPattern, path

from admin_hits.report.views import (
    ObjectExportView,
    ObjectReportView,
    ReportExportView,
    ReportView,
    live_json,
)
from admin_hits.report.views.access import View, export_required, view_required
from admin_hits.report.views.redirects import create_redirect
from admin_hits.report.views.tokens import with_tokens

OBJECT = "object/<int:content_type_id>/<str:object_id>/"  # ids quoted as the admin quotes them


def report_urls(site: AdminSite) -> list[URLPattern]:
    def page(view: View, check: Callable[[View], View] = view_required) -> View:
        return with_tokens(site.admin_view(check(view)))

    return [
        path("report/", page(ReportView.as_view(admin_site=site)), name="admin_hits_report"),
        path("report/live/", page(live_json), {"site": site}, name="admin_hits_report_live"),
        path(
            "report/export/<slug:section>/",
            page(ReportExportView.as_view(admin_site=site), export_required),
            name="admin_hits_report_export",
        ),
        # A change, for staff in a browser: a session with the CSRF token, no API token.
        path(
            "report/redirect/",
            site.admin_view(view_required(create_redirect)),
            {"site": site},
            name="admin_hits_redirect",
        ),
        path(OBJECT, page(ObjectReportView.as_view(admin_site=site)), name="admin_hits_object"),
        path(f"{OBJECT}live/", page(live_json), {"site": site}, name="admin_hits_object_live"),
        path(
            f"{OBJECT}export/<slug:section>/",
            page(ObjectExportView.as_view(admin_site=site), export_required),
            name="admin_hits_object_export",
        ),
    ]
