"""The admin: ``Hits`` and ``PathHits``, read-only with CSV export.

``HitsInline`` and ``HitsAdminMixin`` (for content models' admins) live in
``admin_hits.admin.mixins`` and are importable from here; the traffic report is mounted under
``HitsAdmin`` by ``admin_hits.admin.report``. Importing this module (the admin's
autodiscovery does) also gives the models named by ``ADMIN_HITS_MODELS`` their hits, on the
default admin site, whatever the order of ``INSTALLED_APPS``: see ``watch_site``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV

from admin_hits.admin import mail  # noqa: F401  (registers the traffic e-mails admin)
from admin_hits.admin.changelists import DaysChangeList, EstimatedCountPaginator
from admin_hits.admin.exports import StreamingExportMixin
from admin_hits.admin.mixins import CSS, HitsAdminMixin, HitsInline, views_text
from admin_hits.admin.owner import request_owner
from admin_hits.admin.report import ExportPermissionMixin, ReportAdminMixin
from admin_hits.admin.resources import HitsResource, PageDeliveryResource, PathHitsResource
from admin_hits.admin.sites import SiteFilter
from admin_hits.admin.wiring import watch_site, with_hits
from admin_hits.models import Hits, PageDelivery, PathHits
from admin_hits.models.expressions import pk_as_text
from admin_hits.report.delivery.tables import bytes_text, milliseconds_text
from admin_hits.report.naming import ObjectNames

__all__ = [
    "HitsAdmin",
    "HitsAdminMixin",
    "HitsInline",
    "PageDeliveryAdmin",
    "PathHitsAdmin",
    "watch_site",
    "with_hits",
]


Row = Hits | PathHits | PageDelivery


def object_link(site: admin.AdminSite, row: Row, names: ObjectNames) -> str:
    """The row's object, linked to its admin page when its model is registered there; by
    model and id only for users who may not view its model (``admin_hits.report.naming``)."""
    if not row.content_type_id:
        return "-"
    if not names.may_name(row.content_type_id):
        return names.of(row.content_type_id, row.object_id, None)
    obj = row.content_object
    if obj is None:
        content_type = row.content_type
        if content_type is None:
            return "-"
        return gettext("%(type)s %(id)s (deleted)") % {
            "type": content_type.name,
            "id": row.object_id,
        }
    opts = obj._meta
    url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    return format_html('<a href="{}">{}</a>', url, obj)


class CountedTypeFilter(admin.RelatedFieldListFilter):
    """The content types that have hits. Django's ``RelatedOnlyFieldListFilter`` finds them
    with a DISTINCT over every row (seconds at ten million rows). Here each content type is
    one lookup of the (content type, object, date) index of ``Hits``: a query per content
    type (a site has tens), each a probe. Asked in one query, with the type as a parameter,
    PostgreSQL plans a scan of the whole table for every type instead."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list:
        types = ContentType.objects.order_by("app_label", "model")
        hits = Hits.objects.order_by()
        return [(ct.pk, str(ct)) for ct in types if hits.filter(content_type_id=ct.pk).exists()]


class ReadOnlyAdmin(ExportPermissionMixin, StreamingExportMixin, ExportMixin, admin.ModelAdmin):
    """Rows are written by ``parse_log`` only: staff may view and export (streamed:
    ``admin_hits.admin.exports``), nobody may edit.

    Tables of millions of rows: counted from PostgreSQL's estimate when large, with a date
    hierarchy read from the date index (``admin_hits.admin.changelists``).
    """

    export_formats = [CSV]
    # One COUNT of the filtered rows is enough: a second one of the whole table costs most of
    # a page load at volume.
    show_full_result_count = False
    list_select_related = ("content_type",)
    paginator = EstimatedCountPaginator

    @property
    def media(self) -> forms.Media:
        return super().media + CSS  # the views column right-aligned, as every figure

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[DaysChangeList]:
        return DaysChangeList

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # One query per content type for all objects of the page, not one per row.
        queryset = super().get_queryset(request).prefetch_related("content_object")
        owner = request_owner(request, self.admin_site)
        return queryset if owner is None else queryset.filter(owner.condition)

    def get_list_display(self, request: HttpRequest) -> Any:
        # The object column names objects for this request's user only: a callable bound to
        # the request, since the admin instance is shared by every request.
        names = ObjectNames(request, self.admin_site)

        @admin.display(description=_("object"))
        def object_display(row: Row) -> str:
            return object_link(self.admin_site, row, names)

        shown = super().get_list_display(request)
        return [object_display if name == "object_display" else name for name in shown]

    @admin.display(description=_("object"))
    def object_display(self, row: Row) -> str:
        return object_link(self.admin_site, row, ObjectNames(None, None))

    @admin.display(description=_("views"), ordering="views")
    def views_display(self, row: Hits | PathHits) -> str:
        return views_text(row.views)


@admin.register(Hits)
class HitsAdmin(ReportAdminMixin, ReadOnlyAdmin):
    resource_classes = [HitsResource]
    list_display = ("object_display", "content_type", "date", "views_display")
    # The object cell is a link of its own (to the object's admin): a link to the row
    # around it would nest links, which browsers split into an empty one.
    list_display_links = ("date",)
    list_filter = ("date", ("content_type", CountedTypeFilter), SiteFilter)
    date_hierarchy = "date"
    search_fields = ("object_id",)
    search_help_text = _("An object id, or words found by the search of the object's own admin.")

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet, search_term: str
    ) -> tuple[models.QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        # An id of any model: asked with each content type, so that the (content type, object,
        # date) index finds the rows instead of a scan of every row (seconds at a million).
        types = ContentType.objects.values_list("pk", flat=True)
        condition = Q(content_type_id__in=list(types), object_id=term)
        for model_admin in self._searchable_admins(request):
            model = model_admin.model
            found, _ = model_admin.get_search_results(request, model._default_manager.all(), term)
            ids = found.values_list(pk_as_text(model, models.F("pk")), flat=True)
            ct = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=ct, object_id__in=ids)
        return queryset.filter(condition), False

    def _searchable_admins(self, request: HttpRequest) -> Iterable[admin.ModelAdmin]:
        """The admins of content models that show hits and have a search of their own, which
        the user may use: a search of fields one may not see would tell what they hold."""
        for model_admin in self.admin_site._registry.values():
            if (
                isinstance(model_admin, HitsAdminMixin)
                and model_admin.has_view_or_change_permission(request)
                and model_admin.get_search_fields(request)
            ):
                yield model_admin


class MatchedFilter(admin.SimpleListFilter):
    title = _("matched")
    parameter_name = "matched"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", gettext("matched to an object")), ("no", gettext("unmatched"))]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        if self.value() in ("yes", "no"):
            return queryset.filter(content_type__isnull=self.value() == "no")
        return queryset


@admin.register(PathHits)
class PathHitsAdmin(ReadOnlyAdmin):
    resource_classes = [PathHitsResource]
    list_display = ("path", "object_display", "date", "views_display")
    list_filter = ("date", MatchedFilter, ("content_type", CountedTypeFilter), SiteFilter)
    date_hierarchy = "date"
    search_fields = ("path",)
    exclude = ("path_hash",)


@admin.register(PageDelivery)
class PageDeliveryAdmin(ReadOnlyAdmin):
    """Each page's response times and bytes sent per day, as ``parse_log`` stored them (the
    report's "Slow pages" merges them over a period)."""

    resource_classes = [PageDeliveryResource]
    list_display = ("path", "object_display", "date", "requests", "p50_display", "p95_display",
                    "p99_display", "bytes_display")  # fmt: skip
    list_filter = ("date", MatchedFilter, SiteFilter)
    date_hierarchy = "date"
    search_fields = ("path",)
    exclude = ("path_hash", "sketch")

    @admin.display(description=_("median (p50)"), ordering="p50")
    def p50_display(self, row: PageDelivery) -> str:
        return milliseconds_text(row.p50)

    @admin.display(description="p95", ordering="p95")
    def p95_display(self, row: PageDelivery) -> str:
        return milliseconds_text(row.p95)

    @admin.display(description="p99", ordering="p99")
    def p99_display(self, row: PageDelivery) -> str:
        return milliseconds_text(row.p99)

    @admin.display(description=_("bytes sent"), ordering="bytes")
    def bytes_display(self, row: PageDelivery) -> str:
        return bytes_text(row.bytes)


watch_site(admin.site)
