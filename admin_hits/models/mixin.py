"""``HitsMixin``: ``obj.hits`` and ``obj.hits_today`` on any content model.

``hits_today`` is a live count, and the live stores sit in a layer above the models (they write
``LiveHits`` rows): the models can not import them. The app registers the live reader when it
is ready (``AdminHitsConfig.ready`` calls ``register_live_reader``), so the dependency points
down, from the wiring to both layers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from admin_hits.models.hits import Hits, HitsQuerySet
from admin_hits.models.site_time import site_today

#: ``(objects, day) -> {str(pk): views}``, or None when the store can not be read.
LiveReader = Callable[[Iterable[models.Model], datetime.date], "dict[str, int] | None"]

_live_reader: LiveReader | None = None


def register_live_reader(reader: LiveReader | None) -> None:
    """Set the function ``hits_today`` reads live counts through (None: no live counts)."""
    global _live_reader
    _live_reader = reader


class HitsMixin:
    """Mixin for content models: ``obj.hits`` (daily rows, newest first) and ``obj.hits_today``.

    ``hits_today`` reads the live store by the object's ``get_absolute_url()``; it is 0 when the
    model has no URL or the store can not be reached (the admin says so separately).
    """

    pk: Any

    @property
    def hits(self) -> HitsQuerySet:
        return Hits.objects.for_object(self).order_by("-date")  # type: ignore[arg-type]  # on a Model

    @property
    def hits_today(self) -> int:
        if _live_reader is None:
            return 0
        counts = _live_reader([self], site_today()) or {}  # type: ignore[list-item]  # on a Model
        return counts.get(str(self.pk), 0)
