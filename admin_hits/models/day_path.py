"""What every daily row about one path has: its date, the path and its hash, and the object
the path showed that day (none: unmatched), like ``PathHits``."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from admin_hits.logs.hashing import path_hash


class DayPath(models.Model):
    date = models.DateField(_("date"))
    path = models.TextField(_("path"))
    path_hash = models.CharField(max_length=32, editable=False)
    # No index of its own: each table's (content type, object id, date) index starts with it.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False, verbose_name=_("content type"),
    )  # fmt: skip
    object_id = models.CharField(_("object id"), max_length=64, blank=True, default="")
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path_hash = path_hash(self.path)
        super().save(*args, **kwargs)
