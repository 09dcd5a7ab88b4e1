"""When each object was published: the day its launch curve starts and its charts mark.

The field is the one ``ADMIN_HITS_PUBLISHED_FIELDS`` names for the model; without it, the
model's only ``DateField`` or ``DateTimeField`` called ``published``, ``pub_date``,
``published_at`` or ``date_published``; without one, the day the object was added in the admin
(its first ``LogEntry`` addition); else the object has no publication date. Days are those of
the site's ``TIME_ZONE``, as the daily rows are counted in.

For the models dated by the admin's log, the first additions ``parse_log`` stored are read
instead of grouping the whole log (``stored_additions``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Min

from admin_hits.conf import settings
from admin_hits.models.expressions import pk_as_text
from admin_hits.models.site_time import as_day, day_start
from admin_hits.models.stored_additions import log_position, stored_additions, stored_between

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


def publication_date(obj: models.Model) -> datetime.date | None:
    return publication_dates(type(obj), [str(obj.pk)]).get(str(obj.pk))


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
    excluding: models.QuerySet | None = None,
) -> dict[str, datetime.date]:
    """``{object id: day}`` of the objects published from ``first`` to ``last`` (both
    included, either open), the most recent first, at most ``limit`` of them; without those
    whose id is among the ``object_id`` values of ``excluding`` (a subquery)."""
    field = published_field(model)
    if field is not None:
        objects = model._default_manager.filter(**_bounds(field, first, last))
        if excluding is not None:
            text = pk_as_text(model, "pk")
            objects = objects.alias(admin_hits_pk_text=text).exclude(
                admin_hits_pk_text__in=excluding
            )
        values = objects.order_by(f"-{field.name}", "-pk").values_list("pk", field.name)
        values = values[:limit] if limit is not None else values
        return {str(pk): day for pk, value in values if (day := as_day(value)) is not None}
    if not log_entries_installed():
        return {}
    ct = ContentType.objects.get_for_model(model)
    bounds = _bounds(models.DateTimeField(name="first"), first, last)
    position = log_position(ct)
    if position is not None:
        return dict(stored_between(ct, position, bounds, limit, excluding))
    from django.contrib.admin.models import ADDITION, LogEntry

    entries = LogEntry.objects.filter(content_type=ct, action_flag=ADDITION)
    if excluding is not None:
        entries = entries.exclude(object_id__in=excluding)
    added = entries.values("object_id").annotate(first=Min("action_time"))
    ordered = added.filter(**bounds).order_by("-first", "-object_id")
    pairs: Any = ordered.values_list("object_id", "first")
    pairs = pairs[:limit] if limit is not None else pairs
    return {str(object_id): day for object_id, value in pairs if (day := as_day(value))}


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
