"""Stored launches: each published object's publication day and the views of its first days,
kept by ``parse_log`` so that launch curves, the peers' band and "Recent launches" read a row
per object instead of the daily rows (and, for objects dated by the admin's log, instead of
grouping every ``LogEntry`` addition). Imported by (and importable from) ``admin_hits.models``.

Each object has a row of every site's views summed (``ALL_SITES``, the only one of a
single-site configuration) and, when ``ADMIN_HITS_SITES`` counts several sites, a row of its
views on each site (``site``), read by the report of one site.

They are derived data, written by ``nightly.launches``: writing a day empties, in the day's
transaction, the ``days`` of the objects whose first ``HORIZON`` days hold it, and the run
then counts them again. A row without ``days`` (or one for another publication day than the
object has now) is read from the daily rows, as before anything was stored.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

HORIZON = 30  # days of a launch curve, the publication day first
ALL_SITES = 0  # the ``site`` of a launch counted over every site's rows (0 included)


class ObjectLaunch(models.Model):
    """One published object: its publication day and its views on each of its first days."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_constraint=False, db_index=False,
        related_name="+", verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64)
    published = models.DateField(_("published"))
    # The first addition in the admin's log, for objects dated by it: the order in which the
    # most recently published are taken (as ``publication.published_between`` orders them).
    added = models.DateTimeField(_("added"), null=True, blank=True)
    # Whose views ``days`` are: every site's (``ALL_SITES``) or one site's. Only the row of
    # every site has ``added``, so that the publication days are read once per object.
    site = models.PositiveSmallIntegerField(_("site"), default=ALL_SITES, db_default=ALL_SITES)
    # Views on each of the ``HORIZON`` days from ``published``; None: to be counted again.
    days = models.JSONField(_("views per day"), null=True, blank=True)

    class Meta:
        verbose_name = _("object launch")
        verbose_name_plural = _("object launches")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "site"], name="admin_hits_launch_per_site"
            )
        ]
        indexes = [
            # The most recently added of a model, and those added in a period.
            models.Index(
                fields=["content_type", "added", "object_id"], name="admin_hits_launch_added"
            ),
            # The launches a day written touches, whatever their model.
            models.Index(fields=["published"], name="admin_hits_launch_published"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id} {self.object_id}@{self.site}: published {self.published}"


class LaunchLog(models.Model):
    """How far the admin's log was read into ``ObjectLaunch`` for a model dated by it: every
    addition up to ``last_entry`` (a ``LogEntry`` id); later ones are read from the log."""

    content_type = models.OneToOneField(
        ContentType, on_delete=models.CASCADE, db_constraint=False, related_name="+",
        verbose_name=_("content type"),
    )  # fmt: skip
    last_entry = models.BigIntegerField(_("last log entry read"))
    refreshed = models.DateTimeField(_("refreshed"))

    class Meta:
        verbose_name = _("launch log position")
        verbose_name_plural = _("launch log positions")

    def __str__(self) -> str:
        return f"{self.content_type_id}: up to entry {self.last_entry}"
