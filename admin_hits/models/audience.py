"""Who reads: human views per day by browser, system, device class and country, and per hour.

``parse_log`` writes these rows with the rest of the day and replaces them whole. Rows with no
object (``content_type`` ``None``) are the whole site's; rows with one are that object's, its
paths summed, bounded to its top names of the day (``nightly.audience_rows``), the rest as
"Other". No address is stored: a country is all that is kept of one. Imported by (and
importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.models.fields import site_field

NAME_MAX_LENGTH = 100


class AudienceDimension(models.TextChoices):
    BROWSER = "browser", _("browser")
    VERSION = "version", _("browser version")
    OS = "os", _("operating system")
    DEVICE = "device", _("device")
    COUNTRY = "country", _("country")


class AudienceRow(models.Model):
    """A day's row for the site (no object) or for one object."""

    date = models.DateField(_("date"))
    # No index of its own: the (content type, object id, date) index starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    content_object = GenericForeignKey("content_type", "object_id")
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        abstract = True
        ordering = ["-date", "-views"]


class AudienceHits(AudienceRow):
    """Human views of one day per browser, browser version, system, device class or country
    (``dimension``); ``name`` is the family (``Chrome``, ``Chrome 131``, ``iOS``), the class
    (``desktop``, ``mobile``, ``tablet``, ``other``) or the ISO 3166 code (``ZZ``: unknown)."""

    dimension = models.CharField(_("dimension"), max_length=10, choices=AudienceDimension)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    site = site_field()

    class Meta(AudienceRow.Meta):
        verbose_name = _("audience hits")
        verbose_name_plural = _("audience hits")
        indexes = [
            models.Index(fields=["date", "dimension"], name="admin_hits_audience_day"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_audience_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.name} on {self.date}: {self.views}"


class HourHits(AudienceRow):
    """Human views of one day in one hour (0-23, in ``TIME_ZONE``); hours without views have
    no row."""

    hour = models.PositiveSmallIntegerField(_("hour"))
    site = site_field()

    class Meta(AudienceRow.Meta):
        verbose_name = _("hour hits")
        verbose_name_plural = _("hour hits")
        indexes = [
            models.Index(fields=["date", "hour"], name="admin_hits_hours_day"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_hours_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hour:02d}h on {self.date}: {self.views}"


class AICrawlerHits(AudienceRow):
    """Views by one AI crawler (``logs.bots.AI_CRAWLERS``: GPTBot, ClaudeBot, CCBot ...) in one
    day: of the whole site (no object), and of each object it fetched (every one,
    ``nightly.audience_rows``): what AI assistants read."""

    bot = models.CharField(_("AI crawler"), max_length=NAME_MAX_LENGTH)
    site = site_field()

    class Meta(AudienceRow.Meta):
        verbose_name = _("AI crawler hits")
        verbose_name_plural = _("AI crawler hits")
        indexes = [
            models.Index(fields=["date", "bot"], name="admin_hits_ai_day_bot"),
            models.Index(fields=["content_type", "object_id", "date"], name="admin_hits_ai_object"),
        ]

    def __str__(self) -> str:
        return f"{self.bot} on {self.date}: {self.views}"
