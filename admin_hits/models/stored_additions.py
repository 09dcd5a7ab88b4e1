"""Publication days of the objects dated by the admin's log, as ``parse_log`` stored them.

The admin's log has no index for "the first addition of each object": for the models dated by
it, ``nightly.launches`` keeps each object's first addition in ``ObjectLaunch`` up to a log
entry (``LaunchLog``). The additions logged after that entry are read from the log and merged
in, so the days are those the log gives now, without grouping all of it on every page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from admin_hits.models.launches import LaunchLog, ObjectLaunch
from admin_hits.models.site_time import as_day

_CHUNK = 500  # SQLite limits the number of query parameters


def log_position(ct: ContentType) -> int | None:
    """The last log entry whose additions ``ObjectLaunch`` holds for ``ct``; None: none."""
    return LaunchLog.objects.filter(content_type=ct).values_list("last_entry", flat=True).first()


def later_additions(ct: ContentType, position: int) -> dict[str, datetime.datetime]:
    """The first moment of each object among ``ct``'s additions logged after ``position``."""
    from django.contrib.admin.models import ADDITION, LogEntry

    rows = LogEntry.objects.filter(content_type=ct, action_flag=ADDITION, pk__gt=position)
    found: dict[str, datetime.datetime] = {}
    for object_id, moment in rows.values_list("object_id", "action_time"):
        if object_id is not None and (object_id not in found or moment < found[object_id]):
            found[object_id] = moment
    return found


def earliest(ct: ContentType, later: dict[str, datetime.datetime]) -> dict[str, datetime.datetime]:
    """``later``'s objects with their first addition, stored or later (an object added again
    keeps its first day)."""
    found = dict(later)
    ids = list(later)
    for start in range(0, len(ids), _CHUNK):
        rows = ObjectLaunch.objects.filter(
            content_type=ct, object_id__in=ids[start : start + _CHUNK], added__isnull=False
        )
        for object_id, added in rows.values_list("object_id", "added"):
            if added is not None:  # as filtered
                found[object_id] = min(found[object_id], added)
    return found


def stored_additions(ct: ContentType, ids: list[str]) -> dict[str, datetime.datetime] | None:
    """``{object id: first addition}`` of ``ids``, from ``ObjectLaunch`` and the log after
    its position; None when nothing is stored for ``ct``."""
    position = log_position(ct)
    if position is None:
        return None
    later = later_additions(ct, position)
    wanted = set(ids)
    found: dict[str, datetime.datetime] = {}
    for start in range(0, len(ids), _CHUNK):
        rows = ObjectLaunch.objects.filter(
            content_type=ct, object_id__in=ids[start : start + _CHUNK], added__isnull=False
        )
        found.update((oid, added) for oid, added in rows.values_list("object_id", "added") if added)
    for object_id, moment in later.items():
        if object_id in wanted:
            found[object_id] = min(moment, found.get(object_id, moment))
    return found


def stored_between(
    ct: ContentType,
    position: int,
    bounds: dict,
    limit: int | None,
    excluding: models.QuerySet | None = None,
) -> list[tuple[str, datetime.date]]:
    """``published_between``'s (object id, day) pairs, in its order, from the stored first
    additions (an index range; their day stored with them) and the log's additions after
    ``position``; without the ``object_id`` values of ``excluding``."""
    later = earliest(ct, later_additions(ct, position))
    if excluding is not None and later:
        left_out = excluding.filter(object_id__in=list(later)).values_list("object_id", flat=True)
        for object_id in set(left_out):
            del later[object_id]
    stored_bounds = {key.replace("first", "added", 1): value for key, value in bounds.items()}
    rows = ObjectLaunch.objects.filter(content_type=ct, added__isnull=False, **stored_bounds)
    if excluding is not None:
        rows = rows.exclude(object_id__in=excluding)
    rows = rows.order_by("-added", "-object_id")
    if not later:
        days: Any = rows.values_list("object_id", "published")
        return list(days[:limit] if limit is not None else days)
    ordered: Any = rows.values_list("object_id", "added", "published")
    if limit is not None:
        ordered = ordered[: limit + len(later)]
    found = [row for row in ordered if row[0] not in later]
    start, end = bounds.get("first__gte"), bounds.get("first__lt")
    found += [
        (oid, moment, day)
        for oid, moment in later.items()
        if (start is None or moment >= start) and (end is None or moment < end)
        and (day := as_day(moment)) is not None
    ]  # fmt: skip
    # The database's order; an object added since the last run sorts among them by its moment.
    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return [(oid, day) for oid, _moment, day in found[:limit]]
