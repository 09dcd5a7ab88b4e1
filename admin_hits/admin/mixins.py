"""What content models' admins get: ``HitsInline``, ``HitsAdminMixin`` and, for the models
named by ``ADMIN_HITS_MODELS``, ``watch_site`` to mix it into their existing admins."""

from __future__ import annotations

import datetime
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Value, When
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from admin_hits.admin import downloads
from admin_hits.admin.filters import TrafficFilter
from admin_hits.admin.owner import request_owner
from admin_hits.admin.sorting import TODAY, with_today_order
from admin_hits.conf import settings
from admin_hits.live.counts import safe_live_views_for_objects
from admin_hits.live.health import StoreHealth, read_health
from admin_hits.models import Hits, periods
from admin_hits.models.expressions import views_between
from admin_hits.models.site_time import site_today
from admin_hits.report.charts import sparkline
from admin_hits.report.formatting import views_text
from admin_hits.report.objects import report_url_for
from admin_hits.report.views.access import can_view

LAST_30_DAYS = "admin_hits_views_30_days"
TREND_DAYS = 30  # the complete days a sparkline draws, before today's live point
CSS = forms.Media(css={"all": ["admin_hits/admin_hits.css"]})

__all__ = ["HitsAdminMixin", "HitsInline", "views_text"]


class HitsFormSet(BaseGenericInlineFormSet):
    """The inline's rows, plus what its footer shows: today's live views and the full list."""

    changelist_url = ""
    report_url = ""

    @cached_property
    def views_today(self) -> int | None:
        """Today's views from the live store; None when the store can not be reached."""
        counts = safe_live_views_for_objects([self.instance], site_today())
        return None if counts is None else counts.get(str(self.instance.pk), 0)

    @property
    def views_today_text(self) -> str:
        return "" if self.views_today is None else views_text(self.views_today)

    @cached_property
    def live_health(self) -> StoreHealth | None:
        """Who counts into the live store (shown under today's figure)."""
        return None if self.views_today is None else read_health()

    @cached_property
    def days_recorded(self) -> int:
        return Hits.objects.for_object(self.instance).count()


class HitsInline(GenericTabularInline):
    """The object's recent daily views, newest first, read-only, linked to the full list."""

    model = Hits
    formset = HitsFormSet  # type: ignore[assignment]  # stubs: InlineModelAdmin's is not generic
    template = "admin/admin_hits/hits_inline.html"
    fields = ("date", "views_display", "downloads_display")
    readonly_fields = fields
    classes = ["admin-hits-inline"]
    extra = 0
    max_num = 0
    can_delete = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.days
        label = ngettext("Views, last %(days)d day", "Views, last %(days)d days", days)
        self.verbose_name_plural = label % {"days": days}

    @property
    def days(self) -> int:
        return max(1, settings.INLINE_DAYS)

    @property
    def media(self) -> forms.Media:
        return super().media + CSS

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        # A date window, not a slice: the formset filters the queryset again, which a sliced
        # queryset does not allow.
        since = site_today() - datetime.timedelta(days=self.days - 1)
        rows = super().get_queryset(request).filter(date__gte=since).order_by("-date")
        # Each row's form reads its content type: one join, not a query per row.
        return downloads.with_day_downloads(rows.select_related("content_type"))

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # The formset class the factory makes is a subclass of ``formset``: a HitsFormSet.
        formset = cast("type[HitsFormSet]", super().get_formset(request, obj, **kwargs))
        if obj is not None and obj.pk is not None:
            formset.changelist_url = self._changelist_url(obj)
            if can_view(request.user):
                formset.report_url = report_url_for(self.admin_site.name, obj)
        return formset

    def _changelist_url(self, obj: models.Model) -> str:
        try:
            url = reverse(f"{self.admin_site.name}:admin_hits_hits_changelist")
        except NoReverseMatch:  # Hits is not registered on this admin site
            return ""
        ct = ContentType.objects.get_for_model(obj)
        return f"{url}?{urlencode({'content_type__id__exact': ct.pk, 'object_id': obj.pk})}"

    @admin.display(description=_("views"))
    def views_display(self, row: Hits) -> str:
        if row.date >= site_today():  # parse_log was run for today: not the whole day
            return gettext("%(views)s (partial day, stored by parse_log)") % {
                "views": views_text(row.views)
            }
        return views_text(row.views)

    downloads_display = downloads.downloads_display


class HitsAdminMixin:
    """For any ``ModelAdmin``: the ``HitsInline``, "views today", "views, last 30 days" and a
    30-day sparkline, the last two linked to the object's traffic page.

    The columns cost a fixed number of queries per page: the 30-day sum is a subquery of the
    changelist's own query, the sparklines' days one query for the whole page, and today's views
    one live-store read for the whole page.
    """

    admin_site: admin.AdminSite  # a ModelAdmin's
    model: type[models.Model]  # a ModelAdmin's

    #: The report lists the models whose admin says so (``report.views.hit_models``).
    shows_hits = True
    hits_inline: type[HitsInline] = HitsInline
    hits_columns: tuple[str, ...] = (
        "views_today", "views_last_30_days", "views_trend", "downloads_last_30_days",
    )  # fmt: skip
    hits_filters: tuple[type[admin.ListFilter], ...] = (TrafficFilter,)

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        inlines = list(super().get_inlines(request, obj))  # type: ignore[misc]  # a ModelAdmin's
        if obj is not None and self.hits_inline not in inlines and self._owns(request, obj):
            inlines.append(self.hits_inline)
        return inlines

    def _owns(self, request: HttpRequest, obj: models.Model) -> bool:
        """Whether the user may see ``obj``'s figures (always, unless per-owner scope)."""
        owner = request_owner(request, self.admin_site)
        if owner is None:
            return True
        return owner.allows(ContentType.objects.get_for_model(obj).pk, str(obj.pk))

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        columns = list(super().get_list_display(request))  # type: ignore[misc]  # a ModelAdmin's
        if not can_view(request.user):  # as the inline, whose rows need that permission
            return columns
        return columns + [c for c in self.hits_columns if c not in columns]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        filters = list(super().get_list_filter(request))  # type: ignore[misc]  # a ModelAdmin's
        if not can_view(request.user):
            return filters
        return filters + [f for f in self.hits_filters if f not in filters]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]  # a ModelAdmin's
        if not can_view(request.user):
            return queryset
        # The report's "last 30 days", which the column links to: the 30 days before today.
        last_30_days = periods.resolve(periods.LAST_30_DAYS, site_today())
        views: Any = views_between(queryset.model, last_30_days.start, last_30_days.end)
        owner = request_owner(request, self.admin_site)
        if owner is not None:  # others' objects: no figure, and no order that tells one
            mine = owner.visible(queryset.model).values("pk")
            views = Case(When(pk__in=mine, then=views), default=Value(None))
        annotated = queryset.annotate(**{LAST_30_DAYS: views})
        return with_today_order(self, request, downloads.with_recent_downloads(annotated, owner))

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)  # type: ignore[misc]  # a ModelAdmin's
        if not can_view(request.user):
            return changelist
        rows = list(changelist.result_list)
        owner = request_owner(request, self.admin_site)
        if owner is not None:
            ct = ContentType.objects.get_for_model(self.model)
            allowed = {pk for _, pk in owner.allowed((ct.pk, str(r.pk)) for r in rows)}
            for row in rows:
                row.admin_hits_hidden = str(row.pk) not in allowed
            rows = [row for row in rows if str(row.pk) in allowed]
        counts = safe_live_views_for_objects(rows, site_today())
        if counts is None:
            message = gettext("The live store is unavailable: views today are not shown.")
            messages.warning(request, message, fail_silently=True)
        health = read_health() if counts is not None else None
        if health is not None and health.warning:
            messages.warning(request, health.text, fail_silently=True)
        days = daily_views_of(rows, site_today())
        site = self.admin_site.name
        for row in rows:
            row.admin_hits_views_today = None if counts is None else counts.get(str(row.pk), 0)
            row.admin_hits_live_health = health.text if health is not None else ""
            row.admin_hits_days = days.get(str(row.pk), [0] * (TREND_DAYS + 1))
            row.admin_hits_report_url = report_url_for(site, row)
        return changelist

    @property
    def media(self) -> forms.Media:
        return super().media + CSS  # type: ignore[misc]  # a ModelAdmin's

    downloads_last_30_days = downloads.downloads_last_30_days

    @admin.display(description=_("views today"), ordering=TODAY)
    def views_today(self, obj: models.Model) -> str:
        if getattr(obj, "admin_hits_hidden", False):
            return HIDDEN
        views = getattr(obj, "admin_hits_views_today", None)
        if views is None:
            return format_html(
                '<span class="admin-hits-unavailable" title="{}">?</span>',
                gettext("live store unavailable"),
            )
        health = getattr(obj, "admin_hits_live_health", "")
        if health:
            return format_html('<span title="{}">{}</span>', health, views_text(views))
        return views_text(views)

    @admin.display(description=_("views, last 30 days"), ordering=LAST_30_DAYS)
    def views_last_30_days(self, obj: models.Model) -> str:
        if getattr(obj, "admin_hits_hidden", False):
            return HIDDEN
        return _linked(obj, views_text(getattr(obj, LAST_30_DAYS, 0) or 0))

    @admin.display(description=_("last 30 days"))
    def views_trend(self, obj: models.Model) -> str:
        if getattr(obj, "admin_hits_hidden", False):
            return HIDDEN
        days = list(getattr(obj, "admin_hits_days", None) or [0] * (TREND_DAYS + 1))
        today = getattr(obj, "admin_hits_views_today", None)
        values = {"days": TREND_DAYS, "views": views_text(sum(days[:TREND_DAYS]))}
        if today is None:  # the live store is unavailable: the complete days only
            days = days[:TREND_DAYS]
            text = gettext("Views per day, last %(days)d days: %(views)s in all")
        else:  # the stored day is empty until the nightly import: today is live
            days[-1] = max(days[-1], today)
            values["today"] = views_text(days[-1])
            text = gettext(
                "Views per day, last %(days)d days: %(views)s in all; today so far: %(today)s"
            )
        title = text % values
        return _linked(obj, sparkline(days, title=title, live_last=today is not None))


#: The cells of objects outside a scoped user's own (``report.owners``).
HIDDEN = "—"


def _linked(obj: models.Model, content: str) -> str:
    """``content`` linked to the object's traffic page, when the user may see it."""
    url = getattr(obj, "admin_hits_report_url", "")
    return format_html('<a href="{}">{}</a>', url, content) if url else content


def daily_views_of(rows: list[models.Model], today: datetime.date) -> dict[str, list[int]]:
    """``{str(pk): [views per day, oldest first]}``: the ``TREND_DAYS`` days before today
    (the report's "last 30 days"), then today's stored views. One query."""
    if not rows:
        return {}
    since = today - datetime.timedelta(days=TREND_DAYS)
    found: dict[str, list[int]] = {}
    rows_of_days = Hits.objects.for_objects(rows).filter(date__gte=since, date__lte=today)
    for object_id, day, views in rows_of_days.values_list("object_id", "date", "views"):
        found.setdefault(object_id, [0] * (TREND_DAYS + 1))[(day - since).days] += views
    return found
