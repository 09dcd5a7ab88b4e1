"""The sites of a project that counts several (``ADMIN_HITS_SITES``), and their names.

``ADMIN_HITS_SITES`` maps each host name the web server logs (``%v``, or ``%{Host}i``) to a
site: a site id, or ``{"site": id, "urlconf": "dotted.module"}`` when the site's pages are
served by a URLconf of their own (paths are then resolved to objects with it). A site id is a
``django.contrib.sites`` id when the project uses that app (the report names the site after
it), any positive number of the project's choosing otherwise (the report names it after its
first host). Several hosts may share a site (``example.com`` and ``www.example.com``); the key
``"*"`` takes every host no other key names. Lines of hosts mapped to no site are not counted
(``parse_log`` reports them as ``other_site``).

Every daily row has a ``site``: ``NO_SITE`` (0) for the rows of a single-site configuration
(no ``ADMIN_HITS_SITES``), and for the days counted before sites were configured; the report's
"All sites" sums every site, 0 included.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import DatabaseError

from admin_hits.conf import settings
from admin_hits.logs.vhosts import ANY_HOST, host_key, site_entry
from admin_hits.logs.vhosts import host_sites as vhost_sites

NO_SITE = 0
MAX_SITE = 32767  # the ``site`` columns are small integers


@dataclass(frozen=True)
class SiteConfig:
    """One site: its id, the hosts that are it (normal form), its URLconf (None: ROOT_URLCONF)."""

    site: int
    hosts: tuple[str, ...]
    urlconf: str | None = None


entry = site_entry  # (site id, urlconf) of a value of ADMIN_HITS_SITES


def configured_sites() -> list[SiteConfig]:
    """The sites of ``ADMIN_HITS_SITES``, by id; empty for a single-site configuration. The
    first host given of a site names it (and its URLconf is the first one given)."""
    hosts: dict[int, list[str]] = {}
    urlconfs: dict[int, str | None] = {}
    for host, value in settings.SITES.items():
        site, urlconf = entry(value)
        hosts.setdefault(int(site), []).append(host_key(str(host)))
        if urlconfs.get(int(site)) is None:
            urlconfs[int(site)] = urlconf or None
    return [SiteConfig(s, tuple(hosts[s]), urlconfs[s]) for s in sorted(hosts)]


def host_sites() -> dict[str, int]:
    """Normal host -> site id, for ``logs.vhosts.SiteLines``."""
    return vhost_sites(settings.SITES)


def site_names() -> dict[int, str]:
    """Each configured site's name for the report: the ``django.contrib.sites`` site's name
    (or domain) when the app is installed and has the id, else the site's first host."""
    sites = configured_sites()
    names = {s.site: next((h for h in s.hosts if h != ANY_HOST), str(s.site)) for s in sites}
    if sites and apps.is_installed("django.contrib.sites"):
        from django.contrib.sites.models import Site

        try:
            for site in Site.objects.filter(pk__in=list(names)):
                names[site.pk] = site.name or site.domain
        except DatabaseError:  # its table not migrated yet: the hosts will do
            pass
    return names


def site_urlconf(site: int | None) -> str | None:
    """The URLconf ``site``'s paths are resolved with; None: ``ROOT_URLCONF`` (every site's
    for None, or a site that has no URLconf of its own)."""
    if site is None:
        return None
    return next((s.urlconf for s in configured_sites() if s.site == site), None)
