"""Where the traffic comes from, per day: totals, referrers, search keywords, campaigns, status
codes, 404s and bots.

``parse_log`` writes these rows beside ``Hits`` and ``PathHits`` and replaces them whole with the
rest of the day. They are roll-ups (a few rows per path and day, capped), never one row per
request. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.logs.hashing import path_hash
from admin_hits.models.day_path import DayPath
from admin_hits.models.fields import site_field

# Longest referrer URL kept; longer ones are cut (they are links to show, not keys to resolve).
URL_MAX_LENGTH = 1000
HOST_MAX_LENGTH = 255
KEYWORD_MAX_LENGTH = 200
UTM_MAX_LENGTH = 100
BOT_MAX_LENGTH = 100


class DayTotals(models.Model):
    """Site-wide figures of one day."""

    date = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)
    bot_views = models.PositiveIntegerField(_("bot views"), default=0)
    # Unique human visitors of the whole site: not the sum of the per-object visitors.
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    not_found = models.PositiveIntegerField(_("404 responses"), default=0)
    lines = models.PositiveIntegerField(_("requests"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("day totals")
        verbose_name_plural = _("day totals")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "site"], name="admin_hits_day_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.views} views, {self.visitors} visitors"


class PathDetail(DayPath):
    """A day's rows about one landing path, matched to an object or not (like ``PathHits``)."""

    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        abstract = True
        ordering = ["-date", "-views"]


class ReferrerHits(PathDetail):
    """Human views of a path arriving from another site.

    One row per (path, referrer URL) for the path's top URLs of the day; the rest of a host's
    URLs are summed into one row with ``url`` "" for that host.
    """

    host = models.CharField(_("referrer host"), max_length=HOST_MAX_LENGTH)
    url = models.CharField(_("referrer"), max_length=URL_MAX_LENGTH, blank=True, default="")
    site = site_field()

    class Meta(PathDetail.Meta):
        verbose_name = _("referrer hits")
        verbose_name_plural = _("referrer hits")
        indexes = [
            models.Index(fields=["date", "host"], name="admin_hits_referrer_day_host"),
            models.Index(fields=["date", "path_hash"], name="admin_hits_referrer_day_path"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_referrer_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url or self.host} -> {self.path} on {self.date}: {self.views}"


class SearchHits(PathDetail):
    """Human views of a path arriving from a search engine, by keyword.

    ``keyword`` is lowercased with whitespace collapsed; "" when the engine did not pass it,
    and for the keywords past a path's top 50 of the day (shown as "(not provided, or others)").
    """

    engine = models.CharField(_("search engine"), max_length=50)
    keyword = models.CharField(_("keyword"), max_length=KEYWORD_MAX_LENGTH, blank=True, default="")
    site = site_field()

    class Meta(PathDetail.Meta):
        verbose_name = _("search hits")
        verbose_name_plural = _("search hits")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "path_hash", "engine", "keyword", "site"],
                name="admin_hits_search_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["date", "keyword"], name="admin_hits_search_day_keyword"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_search_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engine} {self.keyword!r} -> {self.path} on {self.date}: {self.views}"


class CampaignHits(PathDetail):
    """Human views of a path whose URL carried ``utm_source``/``utm_medium``/``utm_campaign``."""

    source = models.CharField(_("source"), max_length=UTM_MAX_LENGTH, blank=True, default="")
    medium = models.CharField(_("medium"), max_length=UTM_MAX_LENGTH, blank=True, default="")
    campaign = models.CharField(_("campaign"), max_length=UTM_MAX_LENGTH, blank=True, default="")
    site = site_field()

    class Meta(PathDetail.Meta):
        verbose_name = _("campaign hits")
        verbose_name_plural = _("campaign hits")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "path_hash", "source", "medium", "campaign", "site"],
                name="admin_hits_campaign_per_day",
            )
        ]
        indexes = [
            models.Index(fields=["date", "campaign"], name="admin_hits_campaign_day"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_campaign_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}/{self.medium}/{self.campaign} on {self.date}: {self.views}"


class StatusHits(models.Model):
    """Requests of one day answered with one status code.

    Every parsed request of the day counts (pages, assets, bots, any method), except clients
    and paths excluded by the settings: it is the server's view of the day, not the visitors'.
    """

    date = models.DateField(_("date"))
    status = models.PositiveSmallIntegerField(_("status"))
    views = models.PositiveIntegerField(_("requests"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("status hits")
        verbose_name_plural = _("status hits")
        ordering = ["-date", "status"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "status", "site"], name="admin_hits_status_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} on {self.date}: {self.views}"


class NotFoundHits(models.Model):
    """404 responses of one path on one day, by referrer URL ("" = none, or the others)."""

    date = models.DateField(_("date"))
    path = models.TextField(_("path"))
    path_hash = models.CharField(max_length=32, editable=False)
    referrer = models.CharField(_("referrer"), max_length=URL_MAX_LENGTH, blank=True, default="")
    hits = models.PositiveIntegerField(_("hits"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("404 hits")
        verbose_name_plural = _("404 hits")
        ordering = ["-date", "-hits"]
        indexes = [
            models.Index(fields=["date", "-hits"], name="admin_hits_404_top_of_day"),
            models.Index(fields=["date", "path_hash"], name="admin_hits_404_day_path"),
        ]

    def __str__(self) -> str:
        return f"404 {self.path} on {self.date}: {self.hits}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path_hash = path_hash(self.path)
        super().save(*args, **kwargs)


class BotHits(models.Model):
    """Views by one named bot on one day (the same view rules as human views)."""

    date = models.DateField(_("date"))
    bot = models.CharField(_("bot"), max_length=BOT_MAX_LENGTH)
    hits = models.PositiveIntegerField(_("hits"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("bot hits")
        verbose_name_plural = _("bot hits")
        ordering = ["-date", "-hits"]
        constraints = [
            models.UniqueConstraint(fields=["date", "bot", "site"], name="admin_hits_bot_per_day")
        ]
        indexes = [models.Index(fields=["date", "-hits"], name="admin_hits_bots_top_of_day")]

    def __str__(self) -> str:
        return f"{self.bot} on {self.date}: {self.hits}"
