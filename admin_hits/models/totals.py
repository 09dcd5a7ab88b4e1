"""Precomputed views of the report's standard periods ("last 30 days", "last month" ...).

For each standard period, the views of every object and of every path, next to those of the
period it is compared with, so that the report reads a page of rows instead of summing millions
of daily rows. ``admin_hits.nightly.period_totals`` writes them inside ``parse_log``'s and
``hits_prune``'s transactions; they are derived data, rebuilt from ``Hits`` and ``PathHits``
whenever the days they cover change. Imported by (and importable from) ``admin_hits.models``.

A refresh inserts hundreds of thousands of rows at once, so each row costs one index entry:
its primary key is the report's order itself (read backwards: most viewed first), there is no
``id``, and no foreign key constraint checks each row against a table it was just read from.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PRESET_MAX_LENGTH = 20
SITE_MARK = "@"  # "30d@2": the rows of site 2 alone, beside "30d" (every site's, summed)


def site_preset(preset: str, site: int | None) -> str:
    """The ``preset`` under which the rows of one site of several are stored (``site``
    None: every site's rows summed, under ``preset`` itself). Only ``ObjectPeriodTotals`` and
    ``PathPeriodTotals`` rows have such presets; ``PeriodTotals`` records the days of all."""
    return preset if site is None else f"{preset}{SITE_MARK}{site}"


#: The preset of the changelists' "Trending" rows (``nightly.period_windows.TREND``).
TREND = "trend"
#: A trend row is ``trending`` when its ``current`` week has at least twice the views of the
#: average week of its ``previous`` 4: previous <= current * 4 / 2.
TREND_FACTOR = 2


class PeriodTotals(models.Model):
    """One standard period whose rows are precomputed, and the days they were computed for.

    The report uses the rows only when its period and previous period are exactly these days;
    on any other day (before the nightly import ran, or a custom range) it sums the daily rows.
    """

    preset = models.CharField(_("period"), max_length=PRESET_MAX_LENGTH, unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    previous_start = models.DateField(_("first day of the previous period"))
    previous_end = models.DateField(_("last day of the previous period"))
    refreshed = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("period totals")
        verbose_name_plural = _("period totals")

    def __str__(self) -> str:
        return f"{self.preset}: {self.start} to {self.end}"


class ObjectPeriodTotals(models.Model):
    """Views of one object in a standard period (``current``) and in the previous one.

    Only objects viewed in the period have a row, as only they have one in the report.
    """

    # The report's order, backwards: most viewed first, ties by type and id (descending too).
    pk = models.CompositePrimaryKey("preset", "current", "content_type", "object_id")
    preset = models.CharField(_("period"), max_length=PRESET_MAX_LENGTH)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_constraint=False, db_index=False,
        related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64)
    current = models.PositiveBigIntegerField(_("views"))
    previous = models.PositiveBigIntegerField(_("previous period"))
    # Of the trend rows only (``TREND_FACTOR``): the changelists' "Trending" reads the few of
    # them from their own index instead of comparing every object's two figures.
    trending = models.BooleanField(_("trending"), default=False)

    class Meta:
        verbose_name = _("object period totals")
        verbose_name_plural = _("object period totals")
        indexes = [
            models.Index(
                fields=["content_type", "current"], condition=Q(trending=True),
                name="admin_hits_trending",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.preset}: {self.content_type_id} {self.object_id}: {self.current}"


class PathPeriodTotals(models.Model):
    """Views of one path in a standard period and in the previous one.

    ``unmatched`` rows sum only the days the path showed no object (the "Unmatched paths"
    table); the others sum every day, with the object the path showed (the "Top pages" table).
    """

    # The report's order, backwards, as for objects.
    pk = models.CompositePrimaryKey("preset", "unmatched", "current", "path_hash")
    preset = models.CharField(_("period"), max_length=PRESET_MAX_LENGTH)
    unmatched = models.BooleanField(_("unmatched"), default=False)
    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
        db_index=False, related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    current = models.PositiveBigIntegerField(_("views"))
    previous = models.PositiveBigIntegerField(_("previous period"))

    class Meta:
        verbose_name = _("path period totals")
        verbose_name_plural = _("path period totals")

    def __str__(self) -> str:
        return f"{self.preset}: {self.path}: {self.current}"
