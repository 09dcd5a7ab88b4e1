"""Precomputed landings of the report's standard periods and of calendar months: the rows of
the "Landing pages" table.

Like the views of ``totals`` (``ObjectPeriodTotals``, ``PathPeriodTotals``), written by
``admin_hits.nightly.period_totals`` with them, under the same presets and ``PeriodTotals``
stamps, so the report reads them exactly when it reads those: when its period is exactly their
days. The months are stored with the views' (``month_totals``), for custom ranges. Derived
data, rebuilt from ``LandingHits``. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.models.month_totals import month_site_field
from admin_hits.models.totals import PRESET_MAX_LENGTH


class LandingPeriodTotals(models.Model):
    """Visits that started on one path in a standard period (``current``) and in the previous
    one, with the period's bounces and exits there, and the object the path showed."""

    # The report's order, backwards (most visits first), as for ``PathPeriodTotals``: one
    # index entry per row, no ``id``, no foreign key checked on each of a refresh's rows.
    pk = models.CompositePrimaryKey("preset", "current", "path_hash")
    preset = models.CharField(_("period"), max_length=PRESET_MAX_LENGTH)
    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
        db_index=False, related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    current = models.PositiveBigIntegerField(_("visits"))
    previous = models.PositiveBigIntegerField(_("previous period"))
    bounces = models.PositiveBigIntegerField(_("bounces"))
    exits = models.PositiveBigIntegerField(_("exits"))

    class Meta:
        verbose_name = _("landing period totals")
        verbose_name_plural = _("landing period totals")

    def __str__(self) -> str:
        return f"{self.preset}: {self.path}: {self.current} landings"


class LandingMonthTotals(models.Model):
    """Landings of one path with one object (or none) in one calendar month, with their
    bounces and exits: the ``LandingHits`` rows of the month grouped by path and object, as
    ``PathMonthTotals`` are of ``PathHits``, for the report's custom ranges (``month_rows``).
    Stored and forgotten with the other month totals, under the same ``MonthTotals`` stamps,
    per site as they are."""

    month = models.DateField(_("month"))
    site = month_site_field()
    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
        db_index=False, related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    visits = models.PositiveBigIntegerField(_("visits"))
    bounces = models.PositiveBigIntegerField(_("bounces"))
    exits = models.PositiveBigIntegerField(_("exits"))

    class Meta:
        verbose_name = _("landing month totals")
        verbose_name_plural = _("landing month totals")
        indexes = [models.Index(fields=["month", "site"], name="admin_hits_landing_month_site")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.path}: {self.visits} landings"
