"""When each object was published: the day its launch curve starts and its charts mark.

The field is the one ``ADMIN_HITS_PUBLISHED_FIELDS`` names for the model; without it, the
model's only ``DateField`` or ``DateTimeField`` called ``published``, ``pub_date``,
``published_at`` or ``date_published``; without one, the day the object was added in the admin
(its first ``LogEntry`` addition); else the object has no publication date. Days are those of
the site's ``TIME_ZONE``, as the daily rows are counted in.

The admin's log has no index for "the first addition of each object": for the models dated by
it, ``parse_log`` keeps each object's first addition in ``ObjectLaunch`` (``nightly.launches``)
up to a log entry (``LaunchLog``); the additions after it are read from the log, so the dates
are those the log gives now, without grouping all of it on every page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Min
from django.utils import timezone

from admin_hits.conf import settings
from admin_hits.models.launches import LaunchLog, ObjectLaunch

#: Field names taken for the publication date when the setting does not name one.
CONVENTIONAL = ("published", "pub_date", "published_at", "date_published")
_CHUNK = 500  # SQLite limits the number of query parameters


def log_entries_installed() -> bool:
    return apps.is_installed("django.contrib.admin")


def _is_date(field: models.Field) -> bool:
    return isinstance(field, models.DateField)  # DateTimeField is a DateField


def named_fields() -> dict[str, str]:
    """``ADMIN_HITS_PUBLISHED_FIELDS`` by lower-case model label."""
    return {label.lower(): name for label, name in settings.PUBLISHED_FIELDS.items()}


def published_field(model: type[models.Model]) -> models.Field | None:
    """The model's publication date field, or None (then the admin's log gives the date)."""
    name = named_fields().get(model._meta.label_lower)
    if name is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # reported by the system check admin_hits.E010
            return None
        return field if isinstance(field, models.Field) and _is_date(field) else None
    found = [f for f in model._meta.concrete_fields if f.name in CONVENTIONAL and _is_date(f)]
    return found[0] if len(found) == 1 else None


def as_day(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """A date, or a moment as the day it was in the site's ``TIME_ZONE``."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return value.date()
    return value


def _pks(model: type[models.Model], ids: Iterable[str]) -> list[object]:
    pks = []
    for text in ids:
        try:
            pks.append(model._meta.pk.to_python(text))
        except ValidationError:  # an id of another key type: no such object
            continue
    return pks


def publication_dates(model: type[models.Model], ids: Iterable[str]) -> dict[str, datetime.date]:
    """``{object id: publication day}`` of the objects ``ids`` (text, as ``Hits`` holds them)
    that have one: one query per 500 objects."""
    ids = list(dict.fromkeys(ids))
    field = published_field(model)
    found: dict[str, datetime.date] = {}
    if field is not None:
        pks = _pks(model, ids)
        for start in range(0, len(pks), _CHUNK):
            chunk = model._default_manager.filter(pk__in=pks[start : start + _CHUNK])
            for pk, value in chunk.values_list("pk", field.name):
                day = as_day(value)
                if day is not None:
                    found[str(pk)] = day
        return found
    if not log_entries_installed():
        return found
    ct = ContentType.objects.get_for_model(model)
    stored = stored_additions(ct, ids)
    if stored is not None:
        return {oid: day for oid, first in stored.items() if (day := as_day(first))}
    from django.contrib.admin.models import ADDITION, LogEntry

    for start in range(0, len(ids), _CHUNK):
        rows = (
            LogEntry.objects.filter(
                content_type=ct, action_flag=ADDITION, object_id__in=ids[start : start + _CHUNK]
            )
            .values("object_id")
            .annotate(first=Min("action_time"))
            .values_list("object_id", "first")
        )
        for object_id, first in rows:
            day = as_day(first)
            if object_id is not None and day is not None:
                found[object_id] = day
    return found


def _log_position(ct: ContentType) -> int | None:
    """The last log entry whose additions ``ObjectLaunch`` holds for ``ct``; None: none."""
    return LaunchLog.objects.filter(content_type=ct).values_list("last_entry", flat=True).first()


def _later_additions(ct: ContentType, position: int) -> dict[str, datetime.datetime]:
    """The first moment of each object among ``ct``'s additions logged after ``position``."""
    from django.contrib.admin.models import ADDITION, LogEntry

    rows = LogEntry.objects.filter(content_type=ct, action_flag=ADDITION, pk__gt=position)
    found: dict[str, datetime.datetime] = {}
    for object_id, moment in rows.values_list("object_id", "action_time"):
        if object_id is not None and (object_id not in found or moment < found[object_id]):
            found[object_id] = moment
    return found


def _earliest(ct: ContentType, later: dict[str, datetime.datetime]) -> dict[str, datetime.datetime]:
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
    position = _log_position(ct)
    if position is None:
        return None
    later = _later_additions(ct, position)
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


def publication_date(obj: models.Model) -> datetime.date | None:
    return publication_dates(type(obj), [str(obj.pk)]).get(str(obj.pk))


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's ``TIME_ZONE``, as the database compares
    moments (naive without ``USE_TZ``)."""
    value = datetime.datetime.combine(day, datetime.time.min)
    if django_settings.USE_TZ:
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _bounds(field: models.Field, first: datetime.date | None, last: datetime.date | None) -> dict:
    """The lookups of the days from ``first`` to ``last`` (either may be open) on ``field``."""
    lookups: dict[str, object] = {}
    if isinstance(field, models.DateTimeField):
        if first is not None:
            lookups[f"{field.name}__gte"] = day_start(first)
        if last is not None:
            lookups[f"{field.name}__lt"] = day_start(last + datetime.timedelta(days=1))
        return lookups
    if first is not None:
        lookups[f"{field.name}__gte"] = first
    if last is not None:
        lookups[f"{field.name}__lte"] = last
    return lookups


def published_between(
    model: type[models.Model],
    first: datetime.date | None,
    last: datetime.date | None,
    *,
    limit: int | None = None,
) -> dict[str, datetime.date]:
    """``{object id: day}`` of the objects published from ``first`` to ``last`` (both
    included, either open), the most recent first, at most ``limit`` of them."""
    field = published_field(model)
    if field is not None:
        objects = model._default_manager.filter(**_bounds(field, first, last))
        values = objects.order_by(f"-{field.name}", "-pk").values_list("pk", field.name)
        values = values[:limit] if limit is not None else values
        return {str(pk): day for pk, value in values if (day := as_day(value)) is not None}
    if not log_entries_installed():
        return {}
    ct = ContentType.objects.get_for_model(model)
    bounds = _bounds(models.DateTimeField(name="first"), first, last)
    position = _log_position(ct)
    if position is not None:
        return dict(_stored_between(ct, position, bounds, limit))
    from django.contrib.admin.models import ADDITION, LogEntry

    added = (
        LogEntry.objects.filter(content_type=ct, action_flag=ADDITION)
        .values("object_id")
        .annotate(first=Min("action_time"))
    )
    ordered = added.filter(**bounds).order_by("-first", "-object_id")
    pairs: Any = ordered.values_list("object_id", "first")
    pairs = pairs[:limit] if limit is not None else pairs
    return {str(object_id): day for object_id, value in pairs if (day := as_day(value))}


def _stored_between(
    ct: ContentType, position: int, bounds: dict, limit: int | None
) -> list[tuple[str, datetime.date]]:
    """``published_between``'s (object id, day) pairs, in its order, from the stored first
    additions (an index range; their day stored with them) and the log's additions after
    ``position``."""
    later = _earliest(ct, _later_additions(ct, position))
    stored_bounds = {key.replace("first", "added", 1): value for key, value in bounds.items()}
    rows = ObjectLaunch.objects.filter(content_type=ct, added__isnull=False, **stored_bounds)
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


def publishing_models(extra: Iterable[type[models.Model]] = ()) -> list[type[models.Model]]:
    """The models whose objects have publication dates to show: those of
    ``ADMIN_HITS_MODELS`` and ``ADMIN_HITS_PUBLISHED_FIELDS``, and ``extra``."""
    found: dict[str, type[models.Model]] = {}
    for label in [*settings.MODELS, *settings.PUBLISHED_FIELDS]:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):  # reported by the system checks
            continue
        found[model._meta.label_lower] = model
    for model in extra:
        found[model._meta.label_lower] = model
    return list(found.values())


def shown_publishing_models() -> list[type[models.Model]]:
    """``publishing_models`` and the models whose admins show hits (``HitsAdminMixin``)."""
    from django.contrib import admin

    shown = [m for m, a in admin.site._registry.items() if getattr(a, "shows_hits", False)]
    return publishing_models(shown)


def published_field_errors() -> list[str]:
    """What is wrong with ``ADMIN_HITS_PUBLISHED_FIELDS``, one text per entry."""
    value = settings.PUBLISHED_FIELDS
    errors = []
    for label, name in value.items():
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(f"{label!r} is not an installed model.")
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            errors.append(f"{label} has no field {name!r}.")
            continue
        if not _is_date(field):
            errors.append(f"{label}.{name} is not a DateField or DateTimeField.")
    return errors
