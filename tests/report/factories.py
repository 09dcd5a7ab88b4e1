"""Rows, users and requests for the report tests (on top of ``tests.admin.factories``)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from admin_hits.live.stores import get_store
from admin_hits.models import Hits, PathHits
from tests.admin.factories import days_ago, today

REPORT = reverse("admin:admin_hits_report")
LIVE = reverse("admin:admin_hits_report_live")


def export_url(section: str) -> str:
    return reverse("admin:admin_hits_report_export", args=[section])


def object_url(obj: models.Model, name: str = "admin_hits_object", *args: str) -> str:
    ct = ContentType.objects.get_for_model(obj)
    return reverse(f"admin:{name}", args=[ct.pk, str(obj.pk), *args])


def add_paths(
    path: str, views_by_days_ago: dict[int, int], obj: models.Model | None = None
) -> None:
    """``PathHits`` rows of ``path``, matched to ``obj`` when given, as parse_log writes them."""
    ct = ContentType.objects.get_for_model(obj) if obj is not None else None
    for n, views in views_by_days_ago.items():
        PathHits.objects.create(
            date=days_ago(n),
            path=path,
            views=views,
            content_type=ct,
            object_id=str(obj.pk) if obj is not None else "",
        )


def add_object(obj: models.Model, views_by_days_ago: dict[int, int]) -> None:
    """``Hits`` and ``PathHits`` rows of ``obj`` viewed at its ``get_absolute_url()``."""
    ct = ContentType.objects.get_for_model(obj)
    Hits.objects.bulk_create(
        Hits(content_type=ct, object_id=str(obj.pk), date=days_ago(n), views=views)
        for n, views in views_by_days_ago.items()
    )
    add_paths(obj.get_absolute_url(), views_by_days_ago, obj)


def add_live_path(path: str, views: int) -> None:
    store = get_store()
    store.add(today(), {path: views})
    store.close()


def export_permission() -> Permission:
    """The export permission (``ADMIN_HITS_EXPORT_PERMISSION``'s default), created when the
    installed migrations do not define it."""
    ct = ContentType.objects.get_for_model(Hits)
    permission, _ = Permission.objects.get_or_create(
        content_type=ct, codename="export_hits", defaults={"name": "Can export hits"}
    )
    return permission


def records(response, slug: str) -> list[dict]:
    """The rows of a report table on the page, by its section's slug."""
    blocks = response.context["blocks"]
    return next(b for b in blocks if b.section.slug == slug).table.page_records()
