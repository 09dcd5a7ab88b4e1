"""Downloads in the admin: "downloads" beside "views" in the ``HitsInline``, and a "downloads,
last 30 days" column in the changelists of ``HitsAdminMixin`` (each one subquery of the query
the admin makes anyway: no query per row)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from admin_hits.models.downloads import downloads_between, downloads_of_day
from admin_hits.models.periods import LAST_30_DAYS, resolve
from admin_hits.models.site_time import site_today
from admin_hits.report.formatting import views_text
from admin_hits.report.owners import Owner

DOWNLOADS_OF_DAY = "admin_hits_downloads"
DOWNLOADS_30_DAYS = "admin_hits_downloads_30_days"


def with_day_downloads(rows: models.QuerySet) -> models.QuerySet:
    """The inline's ``Hits`` rows with their object's downloads of the day."""
    return rows.annotate(**{DOWNLOADS_OF_DAY: downloads_of_day()})


def with_recent_downloads(queryset: models.QuerySet, owner: Owner | None = None) -> models.QuerySet:
    """A changelist's objects with their downloads of the report's "last 30 days"; under
    per-owner scope, none for others' objects (and no order that tells them)."""
    period = resolve(LAST_30_DAYS, site_today())
    downloads: Any = downloads_between(queryset.model, period.start, period.end)
    if owner is not None:
        mine = owner.visible(queryset.model).values("pk")
        downloads = Case(When(pk__in=mine, then=downloads), default=Value(None))
    return queryset.annotate(**{DOWNLOADS_30_DAYS: downloads})


@admin.display(description=_("downloads"))
def downloads_display(inline: Any, row: models.Model) -> str:
    return views_text(getattr(row, DOWNLOADS_OF_DAY, 0) or 0)


@admin.display(description=_("downloads, last 30 days"), ordering=DOWNLOADS_30_DAYS)
def downloads_last_30_days(model_admin: Any, obj: models.Model) -> str:
    if getattr(obj, "admin_hits_hidden", False):  # another owner's (``report.owners``)
        return "—"
    return views_text(getattr(obj, DOWNLOADS_30_DAYS, 0) or 0)
