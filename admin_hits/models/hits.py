"""Daily hit counts: per object (``Hits``), per path (``PathHits``) and live (``LiveHits``)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.logs.hashing import path_hash
from admin_hits.models.fields import site_field

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


class HitsQuerySet(models.QuerySet["Hits"]):
    def for_object(self, obj: models.Model) -> HitsQuerySet:
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def for_objects(self, objs: Iterable[models.Model]) -> HitsQuerySet:
        """The rows of ``objs``, of one model or several (one condition per model)."""
        by_type: dict[ContentType, list[str]] = {}
        for obj in objs:
            by_type.setdefault(ContentType.objects.get_for_model(obj), []).append(str(obj.pk))
        if not by_type:
            return self.none()
        condition = models.Q()
        for ct, ids in by_type.items():
            condition |= models.Q(content_type=ct, object_id__in=ids)
        return self.filter(condition)

    def for_model(self, model: type[models.Model]) -> HitsQuerySet:
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def between(self, start: datetime.date, end: datetime.date) -> HitsQuerySet:
        """Rows from ``start`` to ``end``, both included."""
        return self.filter(date__gte=start, date__lte=end)

    def total(self) -> int:
        return self.aggregate(total=Sum("views"))["total"] or 0

    def views_by_object(self) -> dict[str, int]:
        """``{object_id: views}`` summed over the rows (one query)."""
        rows = (
            self.values("object_id").annotate(total=Sum("views")).values_list("object_id", "total")
        )
        return dict(rows)


class Hits(models.Model):
    """Views of one object on one day, written by ``parse_log`` from the access logs."""

    date = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)  # human views
    bot_views = models.PositiveIntegerField(_("bot views"), default=0, db_default=0)
    # Unique human visitors of the object that day (exact: counted by parse_log).
    visitors = models.PositiveIntegerField(_("visitors"), default=0, db_default=0)
    # No index of its own: the unique (content type, object id, date) one starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, db_index=False, verbose_name=_("content type")
    )
    # Text, not integer: the same table serves models with integer, UUID and char keys.
    object_id = models.CharField(_("object id"), max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    site = site_field()

    objects = HitsQuerySet.as_manager()

    class Meta:
        verbose_name = _("hits")
        verbose_name_plural = _("hits")
        ordering = ["-date", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "date", "site"],
                name="admin_hits_one_row_per_day",
            )
        ]
        indexes = [
            # The changelist's order (the admin breaks ties by the primary key), read from the
            # index as it is: a page of the newest rows costs no sort of a whole day's rows.
            # Also a day's most viewed objects.
            models.Index(fields=["-date", "-views", "-id"], name="admin_hits_newest_first"),
            # Covers a period's per-object sums (the report) without reading the table.
            models.Index(
                fields=["date", "content_type", "object_id", "views"], name="admin_hits_period"
            ),
        ]
        permissions = [("export_hits", _("Can export hits"))]

    def __str__(self) -> str:
        # A row's title on its admin page, in the staff's language.
        return gettext("%(type)s %(id)s on %(date)s: %(views)s") % {
            "type": self.content_type.name,
            "id": self.object_id,
            "date": date_format(self.date),
            "views": number_format(self.views, force_grouping=True),
        }


class PathHitsQuerySet(models.QuerySet["PathHits"]):
    def between(self, start: datetime.date, end: datetime.date) -> PathHitsQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def unmatched(self) -> PathHitsQuerySet:
        return self.filter(content_type__isnull=True)

    def top_paths(self, limit: int = 50) -> list[Mapping[str, Any]]:
        return list(
            self.values("path").annotate(total=Sum("views")).order_by("-total", "path")[:limit]
        )


class PathHits(models.Model):
    """Views of one path on one day, for every counted path, matched to an object or not."""

    date = models.DateField(_("date"))
    path = models.TextField(_("path"))
    path_hash = models.CharField(max_length=32, editable=False)
    views = models.PositiveIntegerField(_("views"), default=0)  # human views
    bot_views = models.PositiveIntegerField(_("bot views"), default=0, db_default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0, db_default=0)
    # No index of its own: "admin_hits_paths_of_object" starts with it (rows of an object).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, db_index=False,
        verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    content_object = GenericForeignKey("content_type", "object_id")
    site = site_field()

    objects = PathHitsQuerySet.as_manager()

    class Meta:
        verbose_name = _("path hits")
        verbose_name_plural = _("path hits")
        ordering = ["-date", "-views"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "path_hash", "site"], name="admin_hits_path_per_day"
            )
        ]
        indexes = [
            # As for ``Hits``.
            models.Index(fields=["-date", "-views", "-id"], name="admin_hits_paths_newest_first"),
            # An object's paths in a period (its drill-down page).
            models.Index(
                fields=["content_type", "object_id", "date"],
                condition=models.Q(content_type__isnull=False),
                name="admin_hits_paths_of_object",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(path)s on %(date)s: %(views)s") % {
            "path": self.path,
            "date": date_format(self.date),
            "views": number_format(self.views, force_grouping=True),
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path_hash = path_hash(self.path)
        super().save(*args, **kwargs)


class LiveHits(models.Model):
    """Today's running counts per path, written by the pipe when the live store is ``db``."""

    date = models.DateField(_("date"))
    path_hash = models.CharField(max_length=32)
    path = models.TextField(_("path"))
    views = models.PositiveBigIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("live hits")
        verbose_name_plural = _("live hits")
        constraints = [
            models.UniqueConstraint(fields=["date", "path_hash"], name="admin_hits_live_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.path} on {self.date}: {self.views} (live)"
