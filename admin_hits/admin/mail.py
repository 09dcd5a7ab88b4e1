"""Traffic e-mails in the admin: each staff user who may view the report chooses their own
digest and spike alerts (and, when the project counts several sites, one site or all of them);
superusers see and set everyone's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.models import MailPreference
from admin_hits.models.sites import site_names
from admin_hits.report.views.access import can_view


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "digest", "spike_alerts")
    list_filter = ("digest", "spike_alerts")
    search_fields = ("user__username", "user__email")

    def get_queryset(self, request: HttpRequest) -> QuerySet[MailPreference]:
        queryset = super().get_queryset(request).select_related("user")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["digest", "spike_alerts"]
        if site_names():  # a single site has nothing to choose
            fields.append("site")
        return ["user", *fields] if request.user.is_superuser else fields

    def get_list_display(self, request: HttpRequest) -> Any:
        shown = super().get_list_display(request)
        return (*shown, "site_name") if site_names() else shown

    @admin.display(description=_("site"), ordering="site")
    def site_name(self, obj: MailPreference) -> str:
        return site_names().get(obj.site, str(obj.site)) if obj.site else gettext("All sites")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name != "site":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        choices = [("", gettext("All sites")), *site_names().items()]
        return forms.TypedChoiceField(
            choices=choices, coerce=int, empty_value=None, required=False,
            label=capfirst(db_field.verbose_name), help_text=db_field.help_text,
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.user = request.user  # staff choose for themselves only
        super().save_model(request, obj, form, change)

    # Staff who may read the report may choose its e-mails without a permission of their own.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_view(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._own(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return True
        user = request.user
        if not user.is_authenticated or not can_view(user):
            return False
        return not MailPreference.objects.filter(user=user).exists()

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser:
            return True
        return can_view(request.user) and (obj is None or obj.user_id == request.user.pk)
