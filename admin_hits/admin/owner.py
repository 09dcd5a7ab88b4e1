"""The requesting user's per-owner scope (``report.owners``), worked out once per request."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest

from admin_hits.report.owners import Owner, owner_for
from admin_hits.report.views.hit_models import hits_models


def request_owner(request: HttpRequest, site: AdminSite) -> Owner | None:
    """``request.user``'s objects when they are scoped, else None (cached on the request)."""
    cached = getattr(request, "_admin_hits_owner", False)
    if cached is False:
        cached = owner_for(request.user, hits_models(site).values())
        request._admin_hits_owner = cached  # type: ignore[attr-defined]
    return cached  # type: ignore[no-any-return]
