from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdminHitsConfig(AppConfig):
    name = "admin_hits"
    verbose_name = _("Hits")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from admin_hits import checks, source_checks  # noqa: F401  (register the system checks)
        from admin_hits.live.counts import safe_live_views_for_objects
        from admin_hits.models.mixin import register_live_reader

        # ``HitsMixin.hits_today`` reads the live store; the models sit below the live layer
        # and can not import it, so the app hands them the reader here.
        register_live_reader(safe_live_views_for_objects)
