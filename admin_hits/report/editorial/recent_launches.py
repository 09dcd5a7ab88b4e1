"""The report's "Recent launches": objects published in the period, with their first 7 days
against a typical object of their model at the same age (``launches``); their views on the
report's site, when it shows one."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from admin_hits.models.publication import published_between, shown_publishing_models
from admin_hits.models.site_time import site_today
from admin_hits.report.editorial.launches import band, launches, ratio
from admin_hits.report.editorial.site_models import on_site
from admin_hits.report.scope import Scope

WEEK = 7
MAX_PER_MODEL = 1000  # objects of one model published in a period that the table lists


def launch_models(scope: Scope) -> list[type[models.Model]]:
    """The chosen model, or those whose admins show hits and the settings name; of one site,
    those whose objects are on it (``site_models``)."""
    if scope.content_type is not None:
        model = scope.content_type.model_class()
        return on_site(scope, [model]) if model is not None else []
    return on_site(scope, shown_publishing_models())


def published_in(
    scope: Scope,
    model: type[models.Model],
    first: datetime.date,
    last: datetime.date,
    limit: int | None = None,
) -> dict[str, datetime.date]:
    """``publication.published_between``, looked up once per request (the chart's marks and
    the table of launches ask for the same days; the table for its first ``limit`` only)."""
    key = ("published", model._meta.label_lower, first, last)
    if key in scope.memo:
        found = scope.memo[key]
        return dict(list(found.items())[:limit]) if limit is not None else found
    if limit is not None:
        return published_between(model, first, last, limit=limit)
    scope.memo[key] = published_between(model, first, last)
    return scope.memo[key]


def recent_launches(scope: Scope) -> list[dict[str, Any]]:
    """A row per object published in the period: ``published``, ``first_7_days`` (so far,
    for a younger one), ``typical`` (the peers' median at its age) and ``ratio``; the most
    recent first. A few queries per model, whatever the number of objects."""
    today = site_today()
    rows: list[dict[str, Any]] = []
    for model in launch_models(scope):
        ct = ContentType.objects.get_for_model(model)
        published = published_in(scope, model, scope.period.start, scope.period.end, MAX_PER_MODEL)
        if scope.owner is not None:
            allowed = {pk for _, pk in scope.owner.allowed((ct.pk, pk) for pk in published)}
            published = {pk: day for pk, day in published.items() if pk in allowed}
        if not published:
            continue
        peers = band(model, WEEK, today, exclude=published, owner=scope.owner, site=scope.site)
        for pk, launch in launches(model, published, today, scope.site).items():
            age = min(launch.age, WEEK)
            typical = peers.median_at(age)
            rows.append({
                "object_type": ct.pk,
                "object_pk": pk,
                "published": launch.published,
                "age": launch.age,
                "current": launch.first_7_days,
                "typical": typical,
                "ratio": ratio(launch.first(age), typical),
            })  # fmt: skip
    rows.sort(key=lambda r: (r["published"], r["object_type"], r["object_pk"]), reverse=True)
    return rows
