"""A day's downloads (``logs.downloads.DayDownloads``) as ``DownloadHits`` rows, each file
matched to its object.

A file under MEDIA_URL is the object's whose ``FileField`` (or ``ImageField``) holds it, among
the models of ``ADMIN_HITS_MODELS``: one query per model with file fields, for all the day's
files at once. Other files (``/reports/2026.pdf`` served by a view) are matched by their URL,
as pages are (``PathResolver``).
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable, Mapping
from functools import reduce
from urllib.parse import unquote

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from admin_hits.conf import media_path, settings
from admin_hits.logs.downloads import DayDownloads
from admin_hits.models import DownloadHits
from admin_hits.nightly.resolvers import ObjectRef, PathResolver
from admin_hits.nightly.rollups import PathHashes
from admin_hits.nightly.rows import Table

_OBJECT = ("content_type", "object_id")
_KEY_LENGTH = 64  # DownloadHits.object_id


def download_rows(
    day: datetime.date,
    downloads: DayDownloads,
    resolver: PathResolver,
    hashes: Mapping[str, str] | None = None,
) -> Table:
    """The day's ``DownloadHits`` rows, a row per file."""
    hashes = hashes if isinstance(hashes, PathHashes) else PathHashes(hashes or {})
    refs = file_refs(downloads.downloads, resolver)
    table = Table(DownloadHits, ("date", "path", "path_hash", *_OBJECT, "downloads", "requests"))
    for path in sorted(downloads.downloads):
        ref = refs.get(path)
        head = (day, path, hashes[path], *((ref.content_type_id, ref.object_id) if ref else
                                             (None, "")))  # fmt: skip
        table.rows.append((*head, downloads.downloads[path], downloads.requests[path]))
    return table


def file_refs(paths: Iterable[str], resolver: PathResolver) -> dict[str, ObjectRef]:
    """The objects of files: those under MEDIA_URL by their file fields, others by URL."""
    media = media_path()
    names: dict[str, list[str]] = {}  # a stored file name: its paths
    others = []
    for path in paths:
        if media and path.startswith(media):
            names.setdefault(unquote(path[len(media) :]), []).append(path)
        else:
            others.append(path)
    refs = resolver.fetch(resolver.match_many(others)) if others else {}
    if names:
        for model in _models():
            for name, ref in _holders(model, names).items():
                for path in names[name]:
                    refs.setdefault(path, ref)
    return refs


def _models() -> list[type[models.Model]]:
    found = []
    for label in settings.MODELS:
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):  # admin_hits.E002 says so
            continue
    return found


def _holders(model: type[models.Model], names: Mapping[str, object]) -> dict[str, ObjectRef]:
    """The objects of ``model`` whose file fields hold one of ``names``: one query."""
    fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    if not fields:
        return {}
    wanted = list(names)
    query = reduce(operator.or_, (Q(**{f"{field}__in": wanted}) for field in fields))
    content_type = ContentType.objects.get_for_model(model).pk
    found: dict[str, ObjectRef] = {}
    for pk, *held in model._default_manager.filter(query).values_list("pk", *fields):
        ref = ObjectRef(content_type, str(pk))
        if len(ref.object_id) > _KEY_LENGTH:
            continue
        for name in held:
            if name in names:
                found.setdefault(name, ref)
    return found
