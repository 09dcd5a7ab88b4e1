"""Traffic e-mails in the admin: each staff user who may view the report chooses their own
digest and spike alerts; superusers see and set everyone's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from admin_hits.models import MailPreference
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
        if request.user.is_superuser:
            return ["user", "digest", "spike_alerts"]
        return ["digest", "spike_alerts"]

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
