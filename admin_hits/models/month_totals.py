"""Views of every object and path per calendar month, for the report's custom ranges.

A custom range (up to two years, compared with as long before it) would sum every daily row of
up to four years on each page view: at a million ``Hits`` rows SQLite takes several seconds.
``admin_hits.nightly.month_totals`` stores the views of each finished month once, and the
report (``admin_hits.report.month_rows``) answers a range from the months it covers whole plus
the daily rows of its edge days. ``MonthTotals`` records which months are computed: a month
without its row is summed from the days, so a day written again (``invalidate``) is never read
from old totals. Derived data, like the period totals (``totals``), rebuilt from ``Hits`` and
``PathHits``. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthTotals(models.Model):
    """One calendar month (its first day) whose object and path totals are stored."""

    month = models.DateField(_("month"), primary_key=True)
    refreshed = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("month totals")
        verbose_name_plural = _("month totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class ObjectMonthTotals(models.Model):
    """Views of one object in one month; only objects with a ``Hits`` row that month."""

    # The range's query reads whole months: the key starts with the month.
    pk = models.CompositePrimaryKey("month", "content_type", "object_id")
    month = models.DateField(_("month"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_constraint=False, db_index=False,
        related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64)
    views = models.PositiveBigIntegerField(_("views"))

    class Meta:
        verbose_name = _("object month totals")
        verbose_name_plural = _("object month totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.content_type_id} {self.object_id}: {self.views}"


class PathMonthTotals(models.Model):
    """Views of one path with one object (or none) in one month: the ``PathHits`` rows of
    the month grouped by path and object, so that a range can still show, as when it sums the
    days, the greatest of the objects a path showed."""

    month = models.DateField(_("month"), db_index=True)
    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
        db_index=False, related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    views = models.PositiveBigIntegerField(_("views"))

    class Meta:
        verbose_name = _("path month totals")
        verbose_name_plural = _("path month totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.path}: {self.views}"
