"""System checks of where the counts come from: the sites of the lines (``ADMIN_HITS_SITES``)
and the country database (``ADMIN_HITS_GEOIP_DATABASE``). Ids go on from ``checks.py``'s."""

from __future__ import annotations

import importlib
from typing import Any

from django.core import checks

from admin_hits.conf import settings
from admin_hits.exceptions import AdminHitsError
from admin_hits.logs.countries import check_database
from admin_hits.logs.vhosts import ANY_HOST, logs_host
from admin_hits.models.sites import MAX_SITE, entry

SITES_HINT = (
    'ADMIN_HITS_SITES = {"www.example.com": 1, "blog.example.com": {"site": 2, "urlconf": '
    '"blog.urls"}}: host names (or "*") to site ids from 1 to 32767.'
)


@checks.register()
def check_sources(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [*_check_sites(), *_check_geoip_database()]


def site_errors(sites: object) -> list[str]:
    """What is wrong with a value of ``ADMIN_HITS_SITES``, one text per fault."""
    if not isinstance(sites, dict):
        return [f"it must be a dict of host names, not {type(sites).__name__}"]
    errors = []
    urlconfs: dict[int, str | None] = {}
    for host, value in sites.items():
        if not isinstance(host, str) or not host or (host != ANY_HOST and not _is_host(host)):
            errors.append(f"{host!r} is no host name")
        if isinstance(value, dict) and set(value) - {"site", "urlconf"}:
            errors.append(f"{host!r}: unknown keys {sorted(set(value) - {'site', 'urlconf'})}")
        site, urlconf = entry(value)
        if type(site) is not int or not 1 <= site <= MAX_SITE:
            errors.append(f"{host!r}: the site must be an integer from 1 to {MAX_SITE}, "
                          f"not {site!r}")  # fmt: skip
            continue
        if urlconf is not None and not _importable(urlconf):
            errors.append(f"{host!r}: the urlconf {urlconf!r} can not be imported")
        if urlconf is not None and urlconfs.setdefault(site, urlconf) != urlconf:
            errors.append(f"site {site} has two urlconfs: {urlconfs[site]!r} and {urlconf!r}")
    return errors


def _is_host(host: str) -> bool:
    return not any(c in host for c in " /\\\"'?#@") and not host.startswith((".", ":"))


def _importable(urlconf: object) -> bool:
    if not isinstance(urlconf, str):
        return False
    try:
        module = importlib.import_module(urlconf)
    except ImportError:
        return False
    return hasattr(module, "urlpatterns")


def _check_sites() -> list[checks.CheckMessage]:
    sites = settings.SITES
    if not sites:
        return []
    messages: list[checks.CheckMessage] = [
        checks.Error(f"ADMIN_HITS_SITES: {text}.", hint=SITES_HINT, id="admin_hits.E011")
        for text in site_errors(sites)
    ]
    log_format = settings.LOG_FORMAT
    try:
        no_host = log_format.strip().lower() != "auto" and not logs_host(log_format)
    except AdminHitsError:
        no_host = False  # a format that can not be used at all: admin_hits.E001 says so
    if no_host:
        messages.append(
            checks.Error(
                "ADMIN_HITS_SITES is set, but ADMIN_HITS_LOG_FORMAT logs no host: the lines "
                "can not be told apart by site.",
                hint="Log the virtual host: LogFormat vhost_combined (%v:%p first), or add %v "
                '(or "%{Host}i") to the format, in Apache and in ADMIN_HITS_LOG_FORMAT.',
                id="admin_hits.E012",
            )
        )
    return messages


def _check_geoip_database() -> list[checks.CheckMessage]:
    path = settings.GEOIP_DATABASE
    if not path:
        return []
    try:
        warning = check_database(path)
    except AdminHitsError as exc:
        return [
            checks.Error(
                str(exc),
                hint="Give the path of a MaxMind-format country or city database "
                "(GeoLite2-Country.mmdb, dbip-country-lite.mmdb), readable by the site's "
                "user, or unset ADMIN_HITS_GEOIP_DATABASE to use the built-in registry "
                "countries.",
                id="admin_hits.E013",
            )
        ]
    if warning:
        return [checks.Warning(warning, id="admin_hits.W006")]
    return []
