"""Downloads per day: requests for files (documents, archives, audio, video, e-books, anything
under MEDIA_URL), counted apart from views, once per visitor, file and day.

``parse_log`` writes these rows with the rest of the day (``nightly/download_rows.py``): one row
per file, matched to the object whose ``FileField`` holds it or whose URL it is. Imported by
(and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from admin_hits.models.day_path import DayPath
from admin_hits.models.expressions import pk_as_text
from admin_hits.models.fields import site_field


class DownloadHits(DayPath):
    """A file's downloads of one day: ``downloads`` (people who got it, once each however
    many range requests), ``requests`` (every request for it that counted, 206 and 304 too)."""

    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    requests = models.PositiveIntegerField(_("requests"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("download hits")
        verbose_name_plural = _("download hits")
        ordering = ["-date", "-downloads"]
        indexes = [
            models.Index(fields=["date", "path_hash"], name="admin_hits_download_day_path"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_download_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} on {self.date}: {self.downloads} downloads"


def downloads_between(
    model: type[models.Model], first: datetime.date, last: datetime.date
) -> Coalesce:
    """Per-row sum of the downloads of the model's files from ``first`` to ``last``, as a
    correlated subquery (like ``expressions.views_between``)."""
    rows = (
        DownloadHits.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk_as_text(model, OuterRef("pk")),
            date__range=(first, last),
        )
        .order_by()
        .values("content_type")
        .annotate(total=Sum("downloads"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=models.BigIntegerField()), 0)


def downloads_of_day() -> Coalesce:
    """Per ``Hits`` row, the downloads of its object's files that day (a correlated subquery:
    the inline's "downloads" beside "views")."""
    rows = (
        DownloadHits.objects.filter(
            content_type=OuterRef("content_type"),
            object_id=OuterRef("object_id"),
            date=OuterRef("date"),
        )
        .order_by()
        .values("content_type")
        .annotate(total=Sum("downloads"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=models.BigIntegerField()), 0)
