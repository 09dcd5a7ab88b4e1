"""Stored launches (``ObjectLaunch``): kept with the days, read by the report's launch curves.

Writing a day empties, in the day's own transaction, the stored days of the objects whose
first ``HORIZON`` days hold it (``invalidate``): the report then reads those objects' daily
rows until ``refresh`` has counted them again, so it never shows a curve older than its days.
``refresh`` runs once ``parse_log`` has written its days (and after ``hits_prune``): it reads
every publishing model's publication days (its date field, or its first additions in the
admin's log up to the log's last entry, recorded in ``LaunchLog``), stores those of objects
new or changed, forgets those of objects gone, and counts the days of every launch without
them. With several sites (``ADMIN_HITS_SITES``) it keeps, beside each object's launch over
every site, its launch on each site (its views there), counted from that site's rows. Re-running
it changes nothing; it runs in one transaction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q
from django.utils import timezone

from admin_hits.models import Hits
from admin_hits.models.launches import ALL_SITES, HORIZON, LaunchLog, ObjectLaunch
from admin_hits.models.publication import (
    as_day,
    log_entries_installed,
    published_field,
    shown_publishing_models,
)
from admin_hits.models.sites import configured_sites

_CHUNK = 500  # objects per query (SQLite limits the number of query parameters)
BATCH_SIZE = 2000
# PostgreSQL advisory lock held while the launches are replaced ("hits", 1): the two keys of
# ``period_totals``' lock with another day number that no day has.
_LOCK = (0x68697473, 1)

Dates = dict[str, tuple[datetime.date, datetime.datetime | None]]


def invalidate(
    first: datetime.date, last: datetime.date | None = None, *, using: str | None = None
) -> int:
    """Forget the stored days of the launches holding a day from ``first`` to ``last``, in
    the caller's transaction (``replace_day``'s). Returns how many."""
    using = using or router.db_for_write(Hits)
    last = last or first
    since = first - datetime.timedelta(days=min(HORIZON - 1, (first - datetime.date.min).days))
    rows = ObjectLaunch.objects.using(using).filter(
        published__gte=since, published__lte=last, days__isnull=False
    )
    return rows.update(days=None)


def refresh(*, using: str | None = None) -> int:
    """Bring the stored launches of every publishing model up to date; returns how many
    launches were counted."""
    using = using or router.db_for_write(Hits)
    counted = 0
    sites = [ALL_SITES, *(site.site for site in configured_sites())]
    with transaction.atomic(using=using):
        _lock(using)
        kept = []
        for model in shown_publishing_models():
            ct = ContentType.objects.db_manager(using).get_for_model(model)
            kept.append(ct.pk)
            counted += _refresh_model(model, ct, using, sites)
        # Models no longer publishing, sites no longer counted (settings changed): nothing
        # keeps their rows.
        ObjectLaunch.objects.using(using).exclude(content_type__in=kept, site__in=sites).delete()
        LaunchLog.objects.using(using).exclude(content_type__in=kept).delete()
    return counted


def _lock(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(_LOCK))


def _refresh_model(model: type[models.Model], ct: ContentType, using: str, sites: list[int]) -> int:
    field = published_field(model)
    position = None
    if field is not None:
        values = model._default_manager.using(using).values_list("pk", field.name)
        dates: Dates = {str(pk): (day, None) for pk, value in values if (day := as_day(value))}
    elif log_entries_installed():
        position, dates = _logged(ct, using)
    else:
        dates = {}
    stored = ObjectLaunch.objects.using(using).filter(content_type=ct)
    pending = ExpressionWrapper(Q(days__isnull=True), output_field=BooleanField())
    current = {(oid, site): ((day, added), waiting) for oid, site, day, added, waiting in
               stored.annotate(waiting=pending).values_list(
                   "object_id", "site", "published", "added", "waiting")}  # fmt: skip
    gone = list(dict.fromkeys(oid for oid, _site in current if oid not in dates))
    rows = []
    for site in sites:
        # Only the row of every site keeps the first addition (``stored_additions`` reads it).
        wanted = dates if site == ALL_SITES else {o: (d, None) for o, (d, _a) in dates.items()}
        # Counted again: new objects, those whose publication changed, those whose days changed.
        redo = [
            o for o, key in wanted.items() if current.get((o, site), (None, True)) != (key, False)
        ]
        _delete(stored.filter(site=site), [*gone, *redo])
        rows += _count(ct, {oid: wanted[oid] for oid in redo}, using, site)
    ObjectLaunch.objects.using(using).bulk_create(rows, batch_size=BATCH_SIZE)
    if position is None:
        LaunchLog.objects.using(using).filter(content_type=ct).delete()
    else:
        LaunchLog.objects.using(using).update_or_create(
            content_type=ct, defaults={"last_entry": position, "refreshed": timezone.now()}
        )
    return len(rows)


def _logged(ct: ContentType, using: str) -> tuple[int, Dates]:
    """The log's last entry and each object's first addition up to it."""
    from django.contrib.admin.models import ADDITION, LogEntry

    entries = LogEntry.objects.using(using)
    position = entries.aggregate(last=Max("pk"))["last"] or 0
    firsts = (
        entries.filter(content_type=ct, action_flag=ADDITION, pk__lte=position)
        .values("object_id")
        .annotate(first=Min("action_time"))
        .values_list("object_id", "first")
    )
    dates: Dates = {}
    for object_id, first in firsts:
        day = as_day(first)
        if object_id is not None and day is not None:
            dates[object_id] = (day, first)
    return position, dates


def _delete(stored: Any, ids: list[str]) -> None:
    for start in range(0, len(ids), _CHUNK):
        stored.filter(object_id__in=ids[start : start + _CHUNK]).delete()


def _count(ct: ContentType, dates: Dates, using: str, site: int) -> list[ObjectLaunch]:
    """The launches of ``dates``' objects with their first ``HORIZON`` days counted on ``site``
    (every site's rows for ``ALL_SITES``): one query per publication day and 500 objects (the
    (content type, object, date) index)."""
    one_site = Q() if site == ALL_SITES else Q(site=site)
    by_day: dict[datetime.date, list[str]] = defaultdict(list)
    for oid, (day, _added) in dates.items():
        by_day[day].append(oid)
    rows = []
    for day, ids in by_day.items():
        end = day + datetime.timedelta(days=HORIZON - 1)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            days = {oid: [0] * HORIZON for oid in chunk}
            hits = Hits.objects.using(using).filter(
                one_site, content_type=ct, object_id__in=chunk, date__gte=day, date__lte=end
            )
            for oid, date, views in hits.values_list("object_id", "date", "views"):
                days[oid][(date - day).days] += views
            rows += [
                ObjectLaunch(content_type=ct, object_id=oid, site=site, published=day,
                             added=dates[oid][1], days=days[oid])
                for oid in chunk
            ]  # fmt: skip
    return rows
