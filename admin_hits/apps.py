from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminHitsConfig(AppConfig):
    name = "admin_hits"
    verbose_name = _("Hits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from admin_hits import checks  # noqa: F401  (registers the system checks)
