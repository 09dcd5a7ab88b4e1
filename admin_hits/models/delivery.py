"""How pages were served, per day: response-time percentiles and bytes sent, when the log
format logs them (``%D`` or ``%T``; ``%O``, or ``%b`` beside a time).

``parse_log`` writes these rows with the rest of the day (``nightly/delivery_rows.py``): one
``SiteDelivery`` row per day (every request of the site) and a ``PageDelivery`` row per page
(its views, by people and bots). Each row keeps its day's DDSketch bins (``sketch``,
compressed by ``logs.sketches.encode``), so a period's percentiles are those of its days'
sketches merged, within 1% of the true ones; ``p50``, ``p95`` and ``p99`` are the day's own,
in milliseconds. A format without a figure leaves it ``None`` (no sketch, no bytes). Imported
by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.logs.hashing import path_hash
from admin_hits.models.fields import site_field


class DeliveryRow(models.Model):
    date = models.DateField(_("date"))
    requests = models.PositiveIntegerField(_("requests"), default=0)
    bytes = models.BigIntegerField(_("bytes sent"), null=True, blank=True)
    p50 = models.FloatField(_("median response time (ms)"), null=True, blank=True)
    p95 = models.FloatField(_("95th percentile response time (ms)"), null=True, blank=True)
    p99 = models.FloatField(_("99th percentile response time (ms)"), null=True, blank=True)
    sketch = models.BinaryField(_("response-time sketch"), blank=True, default=b"")

    class Meta:
        abstract = True


class SiteDelivery(DeliveryRow):
    """One day's delivery of the whole site: every request, pages, files and bots alike."""

    site = site_field()

    class Meta:
        verbose_name = _("site delivery")
        verbose_name_plural = _("site delivery")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "site"], name="admin_hits_site_delivery_day")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.requests} requests, {self.bytes} bytes"


class PageDelivery(DeliveryRow):
    """One page's delivery of one day: the requests that counted as its views."""

    path = models.TextField(_("path"))
    path_hash = models.CharField(max_length=32, editable=False)
    # No index of its own: the (content type, object id, date) index starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    content_object = GenericForeignKey("content_type", "object_id")
    site = site_field()

    class Meta:
        verbose_name = _("page delivery")
        verbose_name_plural = _("page delivery")
        ordering = ["-date", "-p95"]
        indexes = [
            models.Index(fields=["date", "path_hash"], name="admin_hits_delivery_day_path"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_delivery_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} on {self.date}: p95 {self.p95} ms"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path_hash = path_hash(self.path)
        super().save(*args, **kwargs)
