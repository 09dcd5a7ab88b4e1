"""Response times and bytes sent per calendar month, for periods longer than a few weeks.

A period's percentiles merge its days' sketches (``delivery``): a year of 500 pages decodes
180,000 of them on every view of "Slow pages". ``admin_hits.nightly.delivery_months`` stores
each finished month's sketches merged from its days (the same bins: adding them is how
sketches merge), with the month totals (``month_totals``) and under their ``MonthTotals``
stamp: a month without its stamp is read from the days, so a day written again is never read
from an old month. The report (``admin_hits.report.delivery.months``) reads a period as its
whole months plus the days at its edges. Per site as the month totals are (``ALL_SITES``: every
site's days). Derived data, rebuilt from ``SiteDelivery`` and
``PageDelivery``. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.models.month_totals import month_site_field


class MonthDeliveryRow(models.Model):
    month = models.DateField(_("month"))
    site = month_site_field()
    requests = models.PositiveBigIntegerField(_("requests"), default=0)
    bytes = models.BigIntegerField(_("bytes sent"), null=True, blank=True)
    sketch = models.BinaryField(_("response-time sketch"), blank=True, default=b"")

    class Meta:
        abstract = True


class SiteDeliveryMonth(MonthDeliveryRow):
    """One month's delivery of a whole site (or of all): its days' ``SiteDelivery`` rows added
    up."""

    class Meta:
        verbose_name = _("site delivery month")
        verbose_name_plural = _("site delivery months")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "site"], name="admin_hits_site_delivery_month_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.requests} requests, {self.bytes} bytes"


class PageDeliveryMonth(MonthDeliveryRow):
    """One page's timed ``PageDelivery`` rows of one month with one object (or none), added
    up: grouped as ``PathMonthTotals`` is, so that a scoped user's or a model's pages are
    the same whether read from the months or the days."""

    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_constraint=False,
        db_index=False, related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("page delivery month")
        verbose_name_plural = _("page delivery months")
        indexes = [
            models.Index(
                fields=["month", "site", "path_hash"], name="admin_hits_delivery_month_site"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.path}: {self.requests} requests"
