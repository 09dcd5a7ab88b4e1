"""The models whose objects are on one site of several: the ones its URLconf shows.

A site with a URLconf of its own (``ADMIN_HITS_SITES``) shows the objects of the models its
patterns resolve to, as ``parse_log`` counts its paths (``nightly.served_models``); the others
can have no view there, so its stale content, launches and peers leave them out rather than
list them as never viewed. A model whose objects some pattern finds with a finder is checked
with one object: its address (``get_absolute_url()``) resolved with the site's URLconf. A
site without a URLconf of its own, and the report of all the sites, show every model, as
before (no query, no work). Looked up once per site and model in a request.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from admin_hits.live.counts import object_path
from admin_hits.models.sites import site_urlconf
from admin_hits.nightly.resolvers import ObjectRef, PathResolver
from admin_hits.nightly.served_models import ServedModels, served_models
from admin_hits.report.scope import Scope


def on_site(scope: Scope, candidates: list[type[models.Model]]) -> list[type[models.Model]]:
    """Those of ``candidates`` whose objects the scope's site shows (all of them without a
    site, or for a site without a URLconf of its own)."""
    if scope.site is None:
        return candidates
    urlconf = site_urlconf(scope.site)
    if urlconf is None or urlconf == django_settings.ROOT_URLCONF:
        return candidates
    return [model for model in candidates if _shows(scope, urlconf, model)]


def _shows(scope: Scope, urlconf: str, model: type[models.Model]) -> bool:
    key = ("on site", scope.site, model._meta.label_lower)
    if key not in scope.memo:
        served = scope.memo.get(("served", urlconf))
        if served is None:
            served = scope.memo["served", urlconf] = served_models(urlconf)
        scope.memo[key] = _served(served, urlconf, model)
    return scope.memo[key]


def _served(served: ServedModels, urlconf: str, model: type[models.Model]) -> bool:
    if model._meta.label_lower in served.labels:
        return True
    return served.finders and _found_by_finder(urlconf, model)


def _found_by_finder(urlconf: str, model: type[models.Model]) -> bool:
    """Whether one object's address, resolved with ``urlconf``, is that object."""
    obj = model._default_manager.order_by("pk").first()
    path = object_path(obj) if obj is not None else None
    if obj is None or path is None:
        return False
    ref = ObjectRef(ContentType.objects.get_for_model(model).pk, str(obj.pk))
    return PathResolver(urlconf).resolve_many([path]).get(path) == ref
