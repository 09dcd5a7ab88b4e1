"""Whose names an object's traffic may show: the one rule of every page, table and export.

An object's name (its ``str``, its title, its address) can say what an editor has not published
yet ("SECRET-unpublished-merger-target"). The report, the drill-down pages, the ``Hits`` and
``PathHits`` changelists and every CSV export show it only to users who may view the object's
model in the admin of the site they are on: the ``has_view_permission`` of that model's
``ModelAdmin`` (so a custom admin's own rule counts), and nobody for a model without one. Others
see the model's verbose name and the object's id ("press release #7") and its figures.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext

from admin_hits.report.objects import content_type, object_name


def may_view_model(
    request: HttpRequest, site: admin.AdminSite, model: type[models.Model] | None
) -> bool:
    """Whether the request's user may view ``model`` in ``site``'s admin (False if unregistered)."""
    model_admin = site._registry.get(model) if model is not None else None
    return model_admin is not None and bool(model_admin.has_view_permission(request))


def anonymous_name(type_id: int | None, object_pk: str) -> str:
    """ "press release #7": what users who may not view the model see of an object."""
    ct = content_type(type_id)
    model = ct.model_class() if ct is not None else None
    if model is not None:
        kind = str(model._meta.verbose_name)
    else:
        kind = ct.name if ct is not None else gettext("object")
    return gettext("%(type)s #%(id)s") % {"type": kind, "id": object_pk}


class ObjectNames:
    """The names of objects as the user of ``request`` may read them on ``site``."""

    def __init__(self, request: HttpRequest | None, site: admin.AdminSite | None) -> None:
        self.request, self.site = request, site
        self._allowed: dict[int, bool] = {}

    def may_name(self, type_id: int | None) -> bool:
        """Whether objects of this content type are shown by name (asked once per type)."""
        if type_id is None or self.request is None or self.site is None:
            return False
        if type_id not in self._allowed:
            ct = content_type(type_id)
            model = ct.model_class() if ct is not None else None
            self._allowed[type_id] = may_view_model(self.request, self.site, model)
        return self._allowed[type_id]

    def of_row(self, row: dict[str, Any]) -> str:
        """The name of a report row's object (``object_type``, ``object_pk``, ``object``)."""
        if self.may_name(row.get("object_type")):
            return object_name(row)
        return anonymous_name(row.get("object_type"), row.get("object_pk", ""))

    def of(self, type_id: int | None, object_pk: str, obj: models.Model | None) -> str:
        """The name of the object ``obj`` (None when deleted) of a content type and id."""
        return self.of_row({"object_type": type_id, "object_pk": object_pk, "object": obj})
