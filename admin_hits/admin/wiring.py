"""``ADMIN_HITS_MODELS``: the named models' admins get ``HitsAdminMixin`` without a change of
their own, whatever the order of ``INSTALLED_APPS``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models

from admin_hits.admin.mixins import HitsAdminMixin
from admin_hits.conf import settings


def with_hits(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """``admin_class`` with ``HitsAdminMixin`` mixed in (itself when it already has it)."""
    if issubclass(admin_class, HitsAdminMixin):
        return admin_class
    name = f"{admin_class.__name__}WithHits"
    attrs = {"__module__": __name__, "__qualname__": name, "__doc__": admin_class.__doc__}
    return type(name, (HitsAdminMixin, admin_class), attrs)


def apply_to_model(site: admin.AdminSite, model: type[models.Model], register: Any) -> None:
    """Re-register ``model`` on ``site`` with hits, when ``ADMIN_HITS_MODELS`` names it."""
    if model._meta.label_lower not in {label.lower() for label in settings.MODELS}:
        return
    model_admin = site._registry.get(model)
    if model_admin is None or isinstance(model_admin, HitsAdminMixin):
        return
    site.unregister(model)
    register(model, with_hits(type(model_admin)))


def watch_site(site: admin.AdminSite) -> None:
    """Give the models named by ``ADMIN_HITS_MODELS`` hits, on ``site``, now and later.

    The admin imports each app's ``admin`` module in ``INSTALLED_APPS`` order, so a content
    model may be registered before this module is imported or after it. Models already
    registered are handled now; the site's ``register`` is wrapped so that the others are
    handled the moment their own admin module registers them. Applying twice is a no-op.
    """
    if getattr(site, "admin_hits_watching", False):
        return
    register = site.register

    def register_with_hits(model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        single = isinstance(model_or_iterable, models.base.ModelBase)
        models_: list[type[models.Model]] = (
            [model_or_iterable] if single else list(model_or_iterable)
        )
        register(models_, admin_class, **options)
        for model in models_:
            apply_to_model(site, model, register)

    site.register = register_with_hits  # type: ignore[method-assign]  # wrapped, once per site
    site.admin_hits_watching = True  # type: ignore[attr-defined]  # says it is wrapped
    for model in list(site._registry):
        apply_to_model(site, model, register)
