"""The report's site filter (``?site=<id>``), offered when the project counts several sites."""

from __future__ import annotations

from django.http import QueryDict
from django.utils.translation import gettext

from admin_hits.models.sites import site_names
from admin_hits.report.views.links import Link, query_url


def chosen_site(params: QueryDict, names: dict[int, str]) -> int | None:
    """The site of ``?site=``, None for all the sites (or a site that is not configured)."""
    try:
        site = int(params.get("site", ""))
    except ValueError:
        return None
    return site if site in names else None


def site_links(params: QueryDict, names: dict[int, str], chosen: int | None) -> list[Link]:
    """ "All sites" and each site, keeping the rest of the query (period, tab, sorting)."""
    if not names:
        return []
    links = [Link(gettext("All sites"), query_url(params, site=None, page=None), chosen is None)]
    links += [
        Link(name, query_url(params, site=site, page=None), site == chosen)
        for site, name in names.items()
    ]
    return links


__all__ = ["chosen_site", "site_links", "site_names"]
