"""Today's views as JSON, polled by the report pages to refresh their live figures."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, JsonResponse

from admin_hits.live.health import read_health
from admin_hits.models.site_time import site_today
from admin_hits.models.sites import configured_sites
from admin_hits.report.formatting import views_text
from admin_hits.report.owners import owner_for
from admin_hits.report.scope import live_views
from admin_hits.report.views.hit_models import hits_models, reported_object
from admin_hits.report.views.site_filter import chosen_site


def live_json(
    request: HttpRequest,
    content_type_id: int | None = None,
    object_id: str | None = None,
    *,
    site: AdminSite,
) -> JsonResponse:
    """``{"date", "views", "text", "available", "health"}`` for the site, or for one object (one the
    report shows, on ``site``: ``reported_object``); of every site the project counts, or of
    the one of ``?site=``.

    ``views`` is null (and ``available`` false) when the live store can not be reached; the
    page then says so instead of showing a stale number. ``health`` is what the pipes'
    heartbeats say ("counted by 2 pipes, last write 3 s ago"), "" when nothing;
    ``health_warning`` whether it is a warning (no pipe today, counts lost today).
    """
    obj = None
    owner = owner_for(request.user, lambda: hits_models(site).values())
    if content_type_id is not None and object_id is not None:
        if owner is not None and not owner.allows(content_type_id, unquote(object_id)):
            raise Http404
        obj = reported_object(request, site, content_type_id, unquote(object_id))
        if obj is None:  # gone: it has no path to count today's views of
            raise Http404
    today = site_today()
    # One site of several (``?site=``, as the report's); all of them for one not configured.
    chosen = chosen_site(request.GET, {s.site: "" for s in configured_sites()})
    views = live_views(today, obj, owner, chosen)
    data: dict[str, Any] = {
        "date": today.isoformat(),
        "views": views,
        "text": None if views is None else views_text(views),
        "available": views is not None,
        "health": health.text if (health := read_health()) is not None else "",
        "health_warning": health is not None and health.warning,
    }
    return JsonResponse(data, headers={"Cache-Control": "no-store"})
