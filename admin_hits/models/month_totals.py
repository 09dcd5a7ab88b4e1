"""Views of every object and path per calendar month, for the report's custom ranges.

A custom range (up to two years, compared with as long before it) would sum every daily row of
up to four years on each page view: at a million ``Hits`` rows SQLite takes several seconds.
``admin_hits.nightly.month_totals`` stores the views of each finished month once, and the
report (``admin_hits.report.month_rows``) answers a range from the months it covers whole plus
the daily rows of its edge days. ``MonthTotals`` records which months are computed: a month
without its row is summed from the days, so a day written again (``invalidate``) is never read
from old totals. Derived data, like the period totals (``totals``), rebuilt from ``Hits`` and
``PathHits``. Imported by (and importable from) ``admin_hits.models``.

Every row has a ``site``: ``ALL_SITES`` for every site's rows summed (the only rows of a
single-site configuration), and with several sites (``models.sites``) each configured site's
rows beside them, under their own ``MonthTotals`` stamps. "All sites" has rows of its own
rather than being read as the sum of the sites' rows, as the standard periods' totals have
(``totals.site_preset``): the report reads all the sites as fast as before sites existed, one
row per object or path and month, never one per site to add up (a path such as ``/`` is on
every site), and a single-site configuration stores and reads exactly the rows it did.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The ``site`` of the rows of every site summed. Site ids are 0 or more (``models.sites``).
ALL_SITES = -1


def month_site_field() -> models.SmallIntegerField[int, int]:
    """The site whose rows a month row adds up: one site's id, or ``ALL_SITES``. The rows
    stored before sites had their own are every site's: the database default."""
    return models.SmallIntegerField(_("site"), default=ALL_SITES, db_default=ALL_SITES)


class MonthTotals(models.Model):
    """One calendar month (its first day) whose object and path totals are stored, of every
    site (``ALL_SITES``) or of one site."""

    pk = models.CompositePrimaryKey("month", "site")
    month = models.DateField(_("month"))
    site = month_site_field()
    refreshed = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("month totals")
        verbose_name_plural = _("month totals")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}" + ("" if self.site == ALL_SITES else f" (site {self.site})")


class ObjectMonthTotals(models.Model):
    """Views of one object in one month; only objects with a ``Hits`` row that month."""

    # The range's query reads whole months of one site (or all): the key starts with them.
    pk = models.CompositePrimaryKey("month", "site", "content_type", "object_id")
    month = models.DateField(_("month"))
    site = month_site_field()
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

    month = models.DateField(_("month"))
    site = month_site_field()
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
        indexes = [models.Index(fields=["month", "site"], name="admin_hits_path_month_site")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.path}: {self.views}"
