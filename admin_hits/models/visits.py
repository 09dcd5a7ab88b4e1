"""Visits per day: the site's totals and lengths, and per path the visits that started (landed)
and ended there, with the other sites that brought them.

``parse_log`` writes these rows with the rest of the day (``nightly/visit_rows.py``) and replaces
them whole with it. Imported by (and importable from) ``admin_hits.models``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.models.day_path import DayPath
from admin_hits.models.fields import site_field
from admin_hits.models.traffic import HOST_MAX_LENGTH, URL_MAX_LENGTH


class VisitTotals(models.Model):
    """Site-wide visits of one day. A visit is one visitor's views with gaps under
    ``ADMIN_HITS_VISIT_GAP`` minutes, within the day; a bounce is a one-view visit."""

    date = models.DateField(_("date"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    bounces = models.PositiveIntegerField(_("bounces"), default=0)
    # Human views in visits (the day's views but those of robots.txt readers, as a rule).
    views = models.PositiveIntegerField(_("views in visits"), default=0)
    median_minutes = models.FloatField(_("median visit length (minutes)"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("visit totals")
        verbose_name_plural = _("visit totals")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "site"], name="admin_hits_visits_per_site")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.visits} visits, {self.bounces} bounces"


class VisitLengths(models.Model):
    """How many visits of a day lasted ``minutes`` from their first view to their last: what a
    period's median length is computed from."""

    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    site = site_field()

    class Meta:
        verbose_name = _("visit lengths")
        verbose_name_plural = _("visit lengths")
        ordering = ["-date", "minutes"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "minutes", "site"], name="admin_hits_visitlen_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.visits} visits of {self.minutes} min"


class VisitPath(DayPath):
    """A day's row about one path, matched to an object or not (like ``PathHits``)."""

    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        abstract = True
        ordering = ["-date", "-visits"]


class LandingHits(VisitPath):
    """Per path and day: the visits that started there (``visits``), those of them that
    viewed nothing else (``bounces``), and the visits that ended there (``exits``)."""

    bounces = models.PositiveIntegerField(_("bounces"), default=0)
    exits = models.PositiveIntegerField(_("exits"), default=0)
    site = site_field()

    class Meta(VisitPath.Meta):
        verbose_name = _("landing hits")
        verbose_name_plural = _("landing hits")
        indexes = [
            models.Index(fields=["date", "path_hash"], name="admin_hits_landing_day_path"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_landing_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} on {self.date}: {self.visits} landings, {self.bounces} bounces"


class LandingReferrerHits(VisitPath):
    """Visits that started on a path from another site's page: the path's top referrer URLs
    of the day, the rest of a host's summed into a row with ``url`` ""."""

    host = models.CharField(_("referrer host"), max_length=HOST_MAX_LENGTH)
    url = models.CharField(_("referrer"), max_length=URL_MAX_LENGTH, blank=True, default="")
    site = site_field()

    class Meta(VisitPath.Meta):
        verbose_name = _("landing referrer hits")
        verbose_name_plural = _("landing referrer hits")
        indexes = [
            models.Index(fields=["date", "host"], name="admin_hits_landref_day_host"),
            models.Index(
                fields=["content_type", "object_id", "date"], name="admin_hits_landref_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.url or self.host} -> {self.path} on {self.date}: {self.visits} visits"
