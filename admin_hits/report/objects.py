"""The content objects behind report rows, fetched in bulk, and the links to their pages.

Rows name their object by ``object_type`` (content type id) and ``object_pk`` (the text
``Hits.object_id`` holds). ``attach_objects`` adds ``row["object"]`` to many rows with one query
per model, so a page of any length, or several tables at once, costs the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

_CHUNK = 500  # SQLite limits the number of query parameters


def content_type(type_id: int | None) -> ContentType | None:
    """The content type of a row (cached by Django after the first time)."""
    if type_id is None:
        return None
    try:
        return ContentType.objects.get_for_id(type_id)
    except ContentType.DoesNotExist:
        return None


def _fetch(model: type[models.Model], ids: set[str]) -> dict[str, models.Model]:
    pks = []
    for text in ids:
        try:
            pks.append(model._meta.pk.to_python(text))
        except ValidationError:  # a row of an object whose key type changed since
            continue
    found: dict[str, models.Model] = {}
    for start in range(0, len(pks), _CHUNK):
        for obj in model._default_manager.filter(pk__in=pks[start : start + _CHUNK]):
            found[str(obj.pk)] = obj
    return found


def attach_objects(rows: Iterable[dict[str, Any]]) -> None:
    """Set ``row["object"]`` on every row: its object, or None when unmatched or deleted."""
    rows = list(rows)
    wanted: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        if row.get("object_type") is not None:
            wanted[row["object_type"]].add(row["object_pk"])
    found: dict[tuple[int, str], models.Model] = {}
    for type_id, ids in wanted.items():
        ct = content_type(type_id)
        model = ct.model_class() if ct is not None else None
        if model is None:
            continue
        found.update(((type_id, pk), obj) for pk, obj in _fetch(model, ids).items())
    for row in rows:
        key = (row.get("object_type"), row.get("object_pk"))
        row["object"] = found.get(key)  # type: ignore[arg-type]  # (None, None): no object


def object_name(row: dict[str, Any]) -> str:
    """The object's text as its admin shows it; type and id when it is gone."""
    obj = row.get("object")
    if obj is not None:
        return str(obj)
    ct = content_type(row.get("object_type"))
    if ct is None:
        return ""
    return gettext("%(type)s %(id)s (deleted)") % {"type": ct.name, "id": row["object_pk"]}


def model_name(type_id: int | None) -> str:
    """The model's verbose name ("press release"), or the content type's name."""
    ct = content_type(type_id)
    if ct is None:
        return ""
    model = ct.model_class()
    return str(model._meta.verbose_name) if model is not None else ct.name


def object_report_url(site_name: str, type_id: int, object_pk: str) -> str:
    """The object's drill-down page; empty when the report is not mounted on ``site_name``."""
    try:
        return reverse(f"{site_name}:admin_hits_object", args=[type_id, quote(object_pk)])
    except NoReverseMatch:
        return ""


def report_url_for(site_name: str, obj: models.Model) -> str:
    """The drill-down page of a model instance."""
    ct = ContentType.objects.get_for_model(obj)
    return object_report_url(site_name, ct.pk, str(obj.pk))
