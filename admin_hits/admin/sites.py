"""The site filter of the ``Hits`` and ``PathHits`` changelists, shown when the project counts
several sites (``ADMIN_HITS_SITES``): an object viewed on two sites has a row per site."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from admin_hits.models.sites import site_names


class SiteFilter(admin.SimpleListFilter):
    """``?site=<id>``; no choices, and so not shown, for a single-site configuration."""

    title = _("site")
    parameter_name = "site"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(site), name) for site, name in site_names().items()]

    def queryset(self, request: HttpRequest, queryset: models.QuerySet) -> models.QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(site=int(value))
        return queryset
