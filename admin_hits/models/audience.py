"""Who reads: human views per day by browser, system, device class and country, and per hour.

``parse_log`` writes these rows with the rest of the day and replaces them whole. Rows with no
object (``content_type`` ``None``) are the whole site's; rows with one are that object's, its
paths summed, bounded to its top names of the day (``nightly.audience_rows``), the rest as
"Other". The site's are a few hundred rows a day (``AudienceHits``, ``HourHits``); an object's
day is one ``ObjectAudience`` row, so that the objects' rows grow as ``Hits`` does. No address
is stored: a country is all that is kept of one. Imported by (and importable from)
``admin_hits.models``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

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


HOURS = 24
# The dimensions an object's row keeps (its browser versions are left to the site's rows).
OBJECT_DIMENSIONS = ("browser", "os", "device", "country")


class ObjectAudience(models.Model):
    """One object's human views of one day (its paths summed): per hour, and its top names per
    browser, system, device class and country (``nightly.audience_rows``), in one row.

    ``hours`` and ``names`` are compact JSON in text columns (``[0,0,3,...]`` and
    ``{"browser": {"Chrome": 5, "Other": 2}, ...}``): the same bytes on SQLite and PostgreSQL
    (an ``ArrayField`` is PostgreSQL's alone; a ``JSONField`` is ``jsonb`` there, two to three
    times the bytes for a list of small numbers, for operators no query uses). Nothing ranks
    objects by these figures: a page reads one object's rows of its period (a few hundred at
    most) and sums them in Python (``report.audience_queries``)."""

    date = models.DateField(_("date"))
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_index=False, related_name="+",
        verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    views = models.PositiveIntegerField(_("views"), default=0)
    hours = models.TextField(_("views per hour"), default="[]")
    names = models.TextField(_("views per name"), default="{}")
    site = site_field()

    class Meta:
        verbose_name = _("object audience")
        verbose_name_plural = _("object audiences")
        ordering = ["-date"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_objaudience_object"
            ),  # fmt: skip
            # parse_log and hits_prune delete by day.
            models.Index(fields=["date"], name="admin_hits_objaudience_day"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}/{self.object_id} on {self.date}: {self.views}"

    @staticmethod
    def encode_hours(views: Mapping[int, int]) -> str:
        """``{hour: views}`` as the ``hours`` column: 24 numbers, hour 0 first."""
        return json.dumps([int(views.get(hour, 0)) for hour in range(HOURS)],
                          separators=(",", ":"))  # fmt: skip

    @staticmethod
    def encode_names(names: Mapping[str, Mapping[str, int]]) -> str:
        """``{dimension: {name: views}}`` as the ``names`` column (sorted: the same day always
        gives the same text)."""
        return json.dumps(names, separators=(",", ":"), sort_keys=True, ensure_ascii=False)

    def hour_views(self) -> list[int]:
        """Views per hour, hour 0 first (24 numbers)."""
        return decode_hours(self.hours)

    def name_views(self, dimension: str) -> dict[str, int]:
        """``{name: views}`` of one dimension; {} for one an object's row does not keep."""
        return decode_names(self.names).get(dimension, {})


def decode_hours(text: str) -> list[int]:
    hours: Sequence[int] = json.loads(text) if text else []
    return [*(int(n) for n in hours[:HOURS]), *[0] * (HOURS - len(hours))]


def decode_names(text: str) -> dict[str, dict[str, int]]:
    names = json.loads(text) if text else {}
    return {dimension: {str(k): int(v) for k, v in views.items()}
            for dimension, views in names.items()}  # fmt: skip


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
