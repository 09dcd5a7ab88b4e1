"""The traffic report in the admin: its URLs under the ``Hits`` admin, and links to it.

``ReportAdminMixin`` (on ``HitsAdmin``) mounts the report pages, so ``admin:admin_hits_report``
exists on every admin site that registers ``Hits``, and lists the report in that site's app
list (index page, app page and navigation sidebar) for users who may see it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import URLPattern, reverse
from django.utils.translation import gettext_lazy as _

from admin_hits.conf import settings
from admin_hits.views.access import can_view


class ExportPermissionMixin:
    """The changelist's CSV export needs the export permission, as the report's CSV links do,
    and the permission to see the rows (without it, the export permission alone gave them)."""

    import_export_change_list_template = "admin/admin_hits/change_list.html"

    def has_export_permission(self, request: HttpRequest) -> bool:
        can_see = self.has_view_permission(request)  # type: ignore[attr-defined]
        return can_see and request.user.has_perm(settings.EXPORT_PERMISSION)


class ReportAdminMixin:
    """Mounts the report pages under this admin's URLs and lists the report in the app list."""

    admin_site: admin.AdminSite

    def __init__(self, model: Any, admin_site: admin.AdminSite) -> None:
        super().__init__(model, admin_site)  # type: ignore[call-arg]
        list_report(admin_site)

    def get_urls(self) -> list[URLPattern]:
        from admin_hits.urls import report_urls  # the views import the admin's mixins

        # Before the admin's own patterns: their "<path:object_id>/" would match "report/".
        return report_urls(self.admin_site) + super().get_urls()  # type: ignore[misc]


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
    """Add the report to ``site``'s app list, first in the app's rows. Applying twice is a no-op.

    The admin builds its app list from registered models only; wrapping the site's
    ``get_app_list`` (the documented hook) adds the report everywhere the list is shown, with
    any admin theme, without overriding the admin's index template.
    """
    if getattr(site, "admin_hits_report_listed", False):
        return
    get_app_list = site.get_app_list

    def get_app_list_with_report(request: HttpRequest, app_label: str | None = None) -> Any:
        app_list = get_app_list(request, app_label)
        if can_view(request.user):
            for app in app_list:
                if app["app_label"] == "admin_hits":
                    app["models"].insert(0, report_entry(site))
        return app_list

    site.get_app_list = get_app_list_with_report  # type: ignore[method-assign]
    site.admin_hits_report_listed = True  # type: ignore[attr-defined]
