"""The requesting user's per-owner scope (``report.owners``), worked out once per request."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest

from admin_hits.report.owners import Owner, owner_for
from admin_hits.report.views.hit_models import hits_models

_CACHE = "_admin_hits_owner"


def request_owner(request: HttpRequest, site: AdminSite) -> Owner | None:
    """``request.user``'s objects when they are scoped, else None (cached on the request)."""
    if not hasattr(request, _CACHE):
        setattr(request, _CACHE, owner_for(request.user, lambda: hits_models(site).values()))
    owner: Owner | None = getattr(request, _CACHE)
    return owner
