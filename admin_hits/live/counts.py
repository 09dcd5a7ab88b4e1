"""Reading today's live counts for model objects, through the configured live store."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import models

from admin_hits.exceptions import StoreError
from admin_hits.live.stores import get_store


def object_path(obj: models.Model) -> str | None:
    """The path an object is viewed at (``get_absolute_url()``), or None when it has none."""
    get_url = getattr(obj, "get_absolute_url", None)
    if get_url is None:
        return None
    try:
        url = get_url()
    except Exception:  # a broken get_absolute_url must not break an admin page
        return None
    return url.split("?", 1)[0] if url else None


def live_views_for_objects(objs: Iterable[models.Model], day: datetime.date) -> dict[str, int]:
    """``{str(pk): views}`` for ``objs`` on ``day``, in one live-store round trip.

    Raises ``StoreError`` when the store can not be reached; callers show that to staff.
    """
    paths: dict[str, str] = {}
    for obj in objs:
        path = object_path(obj)
        if path is not None:
            paths[str(obj.pk)] = path
    if not paths:
        return {}
    store = get_store()
    try:
        counts = store.get_many(day, set(paths.values()))
    finally:
        store.close()
    return {pk: counts.get(path, 0) for pk, path in paths.items()}


def safe_live_views_for_objects(
    objs: Iterable[models.Model], day: datetime.date
) -> dict[str, int] | None:
    """Like ``live_views_for_objects`` but None (not an exception) when the store is down."""
    try:
        return live_views_for_objects(objs, day)
    except StoreError:
        return None
