"""Objects renamed in the admin: where the readers of a missing path may have gone.

A change in the admin's log (``LogEntry``) names the fields it changed, by their labels, but
not their old values: it tells which objects got a new slug and when, not the address they
had. The old address itself is known only from the object's rows of the days before (its
``PathHits``), which ``hits_prune`` deletes after ``ADMIN_HITS_RETENTION_DAYS``: the
suggestions' first step (``redirects.Suggester``) uses them when a missing path's own rows
show the object. Without such rows, a missing path is taken for a renamed object's old address
when

1. the object's address now has the same URL pattern as the path,
2. the path's 404s began on or after the day of the rename (a path missing before it is
   something else), and
3. the object's rows from before the rename, if any are left, do not show it at another
   address (then its old address is known, and it is not this one);

and of those objects, the one renamed last before the 404s began (the closest address on a
tie), since a link to an old address breaks when the address changes.
"""

from __future__ import annotations

import datetime
import difflib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Min, Q
from django.utils import translation
from django.utils.text import capfirst

from admin_hits.live.counts import object_path
from admin_hits.logs.hashing import path_hash
from admin_hits.models import NotFoundHits, PathHits
from admin_hits.models.publication import (
    as_day,
    day_start,
    log_entries_installed,
    shown_publishing_models,
)
from admin_hits.report.objects import attach_objects

RENAMED_DAYS = 365  # renames in the admin's log looked at, before today
MAX_RENAMES = 2000  # the most recent of them


@dataclass(frozen=True)
class Rename:
    content_type_id: int
    object_id: str
    day: datetime.date  # of the last change of its slug
    path: str  # its address now


def slug_labels(model: type[models.Model]) -> set[str]:
    """The names a change message gives the model's slug fields: the admin form's labels
    (``capfirst(verbose_name)``, written untranslated) and, for safety, the field names."""
    labels = set()
    with translation.override(None):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.SlugField):
                labels |= {str(capfirst(field.verbose_name)), field.name}
    return labels


def changed_fields(message: str) -> list[str]:
    """The fields a ``LogEntry`` change message (JSON since Django 2.0) says were changed."""
    try:
        parts = json.loads(message)
    except ValueError:
        return []
    found: list[str] = []
    for part in parts if isinstance(parts, list) else []:
        changed = part.get("changed") if isinstance(part, dict) else None
        if isinstance(changed, dict) and isinstance(changed.get("fields"), list):
            found += [str(name) for name in changed["fields"]]
    return found


def renames(today: datetime.date) -> list[Rename]:
    """The objects whose slug was changed in the admin in the ``RENAMED_DAYS`` before today
    and that still have an address, the last rename of each: one query to the log."""
    if not log_entries_installed():
        return []
    from django.contrib.admin.models import CHANGE, LogEntry

    labels = {}
    for model in shown_publishing_models():
        if names := slug_labels(model):
            labels[ContentType.objects.get_for_model(model).pk] = names
    if not labels:
        return []
    wanted = Q()
    for type_id, names in labels.items():
        for name in names:  # a prefilter; the message is read below
            wanted |= Q(content_type_id=type_id, change_message__contains=f'"{name}"')
    since = day_start(today - datetime.timedelta(days=RENAMED_DAYS))
    rows = (
        LogEntry.objects.filter(wanted, action_flag=CHANGE, action_time__gte=since)
        .order_by("-action_time")
        .values_list("content_type_id", "object_id", "action_time", "change_message")
    )
    last: dict[tuple[int, str], datetime.date] = {}
    for type_id, object_id, moment, message in rows[:MAX_RENAMES]:
        day = as_day(moment)
        if object_id is None or (type_id, object_id) in last or day is None:
            continue
        if labels[type_id] & set(changed_fields(message)):
            last[(type_id, object_id)] = day
    records: list[dict[str, Any]] = [{"object_type": t, "object_pk": pk} for t, pk in last]
    attach_objects(records)
    found: list[Rename] = []
    for record in records:
        path = object_path(record["object"]) if record["object"] is not None else None
        if path:
            key = (record["object_type"], record["object_pk"])
            found.append(Rename(key[0], key[1], last[key], path))
    return found


def _of_site(site: int | None) -> Q:
    return Q() if site is None else Q(site=site)


def first_404_days(paths: Iterable[str], site: int | None = None) -> dict[str, datetime.date]:
    """The first day each path answered 404 (on ``site``), as far as the 404 rows go back."""
    by_hash = {path_hash(p): p for p in paths}
    rows = (
        NotFoundHits.objects.filter(_of_site(site), path_hash__in=list(by_hash))
        .values("path_hash")
        .annotate(first=Min("date"))
        .values_list("path_hash", "first")
    )
    return {by_hash[h]: day for h, day in rows if h in by_hash}


def paths_before(
    candidates: list[Rename], site: int | None = None
) -> dict[tuple[int, str], set[str]]:
    """Where each renamed object was viewed (on ``site``) before its rename, as far as its
    rows go back."""
    if not candidates:
        return {}
    wanted = Q()
    for rename in candidates:
        wanted |= Q(content_type_id=rename.content_type_id, object_id=rename.object_id,
                    date__lt=rename.day)  # fmt: skip
    rows = PathHits.objects.filter(wanted, _of_site(site)).values_list(
        "content_type_id", "object_id", "path"
    )
    found: dict[tuple[int, str], set[str]] = {}
    for type_id, object_id, path in rows.distinct():
        found.setdefault((type_id, object_id), set()).add(path.split("?", 1)[0])
    return found


def renamed_targets(
    paths: list[str],
    today: datetime.date,
    pattern: Callable[[str], str | None],
    site: int | None = None,
) -> dict[str, str]:
    """``{missing path: the address now of the object renamed away from it}``, by the three
    rules above; ``pattern`` gives a path's URL pattern (None: the path is no page of the
    site), ``site`` the site whose rows are read (None: every site's)."""
    found_renames = renames(today)
    if not found_renames or not paths:
        return {}
    by_pattern: dict[str, list[Rename]] = {}
    for rename in found_renames:
        if (route := pattern(rename.path)) is not None:
            by_pattern.setdefault(route, []).append(rename)
    wanted = {p: by_pattern.get(route or "", []) for p in paths if (route := pattern(p))}
    wanted = {p: candidates for p, candidates in wanted.items() if candidates}
    first_days = first_404_days(wanted, site)
    known = paths_before(list({r for c in wanted.values() for r in c}), site)
    found = {}
    for path, candidates in wanted.items():
        bare = path.split("?", 1)[0]
        began = first_days.get(path)
        fitting = [
            r for r in candidates
            if began is not None and r.day <= began and r.path != bare
            and bare in known.get((r.content_type_id, r.object_id), {bare})
        ]  # fmt: skip
        if fitting:
            best = max(fitting, key=lambda r: (r.day, _closeness(bare, r.path)))
            found[path] = best.path
    return found


def _closeness(path: str, other: str) -> float:
    return difflib.SequenceMatcher(None, path, other).ratio()
