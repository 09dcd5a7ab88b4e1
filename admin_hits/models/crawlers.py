"""Views of each object by each AI crawler, per day (``parse_log``): what AI assistants read.

Only the crawlers of ``logs.bots.AI_CRAWLERS`` and only paths that show an object, so a day
holds at most a row per (object, AI crawler): bounded by the objects those few crawlers
fetched, whatever the other bots do. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.models.fields import site_field

CRAWLER_MAX_LENGTH = 100


class CrawlerHits(models.Model):
    """Views of one object by one AI crawler on one day."""

    date = models.DateField(_("date"))
    # No index of its own: "admin_hits_crawlers_of_object" starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_index=False, related_name="+",
        verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    bot = models.CharField(_("AI crawler"), max_length=CRAWLER_MAX_LENGTH)
    views = models.PositiveIntegerField(_("views"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("AI crawler hits")
        verbose_name_plural = _("AI crawler hits")
        ordering = ["-date", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "content_type", "object_id", "bot", "site"],
                name="admin_hits_crawler_per_day",
            )
        ]
        indexes = [
            # An object's crawlers in a period (its drill-down page).
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_crawlers_of_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bot}: {self.content_type_id} {self.object_id} on {self.date}: {self.views}"
