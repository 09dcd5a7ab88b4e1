from __future__ import annotations

from django.apps import AppConfig


class PressConfig(AppConfig):
    name = "press"
    verbose_name = "Press"
    default_auto_field = "django.db.models.BigAutoField"
