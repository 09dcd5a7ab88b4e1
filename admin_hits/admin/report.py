"""The traffic report in the admin: its URLs beside the ``Hits`` admin's, and links to it.

``ReportAdminMixin`` (on ``HitsAdmin``) mounts the report pages at the app's level
(``<admin>/admin_hits/report/``), so ``admin:admin_hits_report`` exists on every admin site that
registers ``Hits``, and lists the report in that site's app list (index page, app page and
navigation sidebar) for users who may see it. Not under ``hits/``: the sidebar marks every row
whose URL starts the current path, and would mark "Hits" on every report page too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _

from admin_hits.conf import settings
from admin_hits.report.urls import report_urls
from admin_hits.report.views.access import can_view


class ExportPermissionMixin:
    """The changelist's CSV export needs the export permission, as the report's CSV links do,
    and the permission to see the rows (without it, the export permission alone gave them)."""

    import_export_change_list_template = "admin/admin_hits/change_list.html"

    def has_export_permission(self, request: HttpRequest) -> bool:
        can_see = self.has_view_permission(request)  # type: ignore[attr-defined]  # a ModelAdmin's
        return can_see and request.user.has_perm(settings.EXPORT_PERMISSION)


class ReportAdminMixin:
    """Mounts the report pages on this admin's site and lists the report in its app list."""

    admin_site: admin.AdminSite

    def __init__(self, model: Any, admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]  # a ModelAdmin's
        list_report(admin_site)


def report_entry(site: admin.AdminSite) -> dict[str, Any]:
    """The report as a row of the app list, shaped like the admin's own model rows."""
    from admin_hits.models import Hits

    return {
        "model": Hits,
        "name": _("Traffic report"),
        "object_name": "TrafficReport",
        "perms": {"add": False, "change": False, "delete": False, "view": True},
        "admin_url": reverse(f"{site.name}:admin_hits_report", current_app=site.name),
        "add_url": None,
        "view_only": True,
    }


def list_report(site: admin.AdminSite) -> None:
    """Add the report to ``site``'s URLs and app list, first in the app's rows. Applying twice is
    a no-op.

    The admin builds its app list from registered models only; wrapping the site's
    ``get_app_list`` (the documented hook) adds the report everywhere the list is shown, with
    any admin theme, without overriding the admin's index template.
    """
    if getattr(site, "admin_hits_report_listed", False):
        return
    get_app_list, get_urls = site.get_app_list, site.get_urls

    def get_app_list_with_report(request: HttpRequest, app_label: str | None = None) -> Any:
        app_list = get_app_list(request, app_label)
        if can_view(request.user):
            for app in app_list:
                if app["app_label"] == "admin_hits":
                    app["models"].insert(0, report_entry(site))
        return app_list

    def get_urls_with_report() -> list[URLResolver | URLPattern]:
        return [path("admin_hits/", include(report_urls(site))), *get_urls()]

    site.get_app_list = get_app_list_with_report  # type: ignore[method-assign]  # wrapped once
    site.get_urls = get_urls_with_report  # type: ignore[method-assign]  # wrapped once
    site.admin_hits_report_listed = True  # type: ignore[attr-defined]  # says it is wrapped
