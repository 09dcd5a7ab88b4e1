"""Who receives traffic e-mails, and what each recipient may read in them.

A recipient reads what the report shows them in the admin: staff with the permission to view
hits, only their own objects under per-owner scope (``report.owners``), and objects named only
where they may view the object's model (its ``ModelAdmin``'s ``has_view_permission``); other
objects read as "Company #7". An address given with ``--to``
that belongs to no staff user is the operator's own choice and reads the whole site.

With several sites (``ADMIN_HITS_SITES``), each staff user's preference may name one: they then
read that site's figures (``Reader.site``); a site no longer configured reads as all sites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest

from admin_hits.models import MailPreference
from admin_hits.models.sites import configured_sites
from admin_hits.report.naming import may_view_model
from admin_hits.report.owners import Owner, owner_for
from admin_hits.report.views.access import can_view
from admin_hits.report.views.hit_models import hits_models


@dataclass
class Reader:
    """One recipient: an address, and the user whose permissions scope what they read."""

    email: str
    user: Any = None
    site: int | None = None  # the one site whose figures they read; None: every site's
    _models: dict[type[models.Model], bool] = field(default_factory=dict, repr=False)

    @cached_property
    def owner(self) -> Owner | None:
        """The reader's own objects under per-owner scope; None: every object."""
        if self.user is None:
            return None
        return owner_for(self.user, lambda: hits_models(admin.site).values())

    def may_name(self, model: type[models.Model] | None) -> bool:
        """Whether this reader may see the names of ``model``'s objects."""
        if model is None:
            return False
        if self.user is None:
            return True
        if model not in self._models:
            self._models[model] = _may_view(self.user, model)
        return self._models[model]


def _may_view(user: Any, model: type[models.Model]) -> bool:
    """The report's rule (``report.naming``), for a user who reads outside a request."""
    request = HttpRequest()
    request.user = user
    return may_view_model(request, admin.site, model)


def subscribers(kind: str) -> list[Reader]:
    """Active staff who chose the ``kind`` digest and may view the report."""
    preferences = MailPreference.objects.filter(
        digest=kind, user__is_active=True, user__is_staff=True
    ).select_related("user")
    return _readers(preferences)


def alert_subscribers() -> list[Reader]:
    """Active staff who chose spike alerts and may view the report."""
    preferences = MailPreference.objects.filter(
        spike_alerts=True, user__is_active=True, user__is_staff=True
    ).select_related("user")
    return _readers(preferences)


def _readers(preferences: Iterable[MailPreference]) -> list[Reader]:
    sites = _sites()
    return [
        Reader(p.user.email, p.user, site=p.site if p.site in sites else None)
        for p in preferences
        if p.user.email and can_view(p.user)
    ]


def _sites() -> set[int]:
    return {site.site for site in configured_sites()}


def _chosen_site(user: Any) -> int | None:
    """The site of ``user``'s preference (a staff user's ``--to`` address), when sites are
    configured (a single site reads no preference)."""
    sites = _sites()
    if not sites:
        return None
    site = MailPreference.objects.filter(user=user).values_list("site", flat=True).first()
    return site if site in sites else None


def with_addresses(readers: list[Reader], addresses: Iterable[str]) -> list[Reader]:
    """``readers`` and one more per address not among them; an address of a staff user reads
    what that user may read (and only if they may view the report)."""
    known = {r.email.lower() for r in readers}
    result = list(readers)
    staff = get_user_model().objects.filter(is_active=True, is_staff=True)
    for address in addresses:
        if address.lower() in known:
            continue
        known.add(address.lower())
        user = staff.filter(email__iexact=address).first()
        if user is not None and not can_view(user):
            continue
        result.append(Reader(address, user, site=_chosen_site(user) if user else None))
    return result
