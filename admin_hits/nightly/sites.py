"""Counting one site of several: an ``Aggregator`` fed only the lines of its site's hosts.

``parse_log`` counts each site of ``ADMIN_HITS_SITES`` in a pass of its own over the files
(``logs.vhosts.SiteLines`` picks the site's lines out before any counting), so each site's
rows come from the very counting a single site gets, and the counting knows nothing of sites.
A single-site configuration builds a plain ``Aggregator`` and pays nothing.
"""

from __future__ import annotations

from typing import Any

from admin_hits.exceptions import ConfigurationError
from admin_hits.logs import Aggregator
from admin_hits.logs.vhosts import SiteAggregator, SiteLines, logs_host
from admin_hits.models.sites import SiteConfig, host_sites


def make_aggregator(*, site_lines: SiteLines | None = None, **options: Any) -> Aggregator:
    """An ``Aggregator`` of ``options``, counting only ``site_lines``'s site when given."""
    if site_lines is None:
        return Aggregator(**options)
    return SiteAggregator(site_lines=site_lines, **options)


def site_lines(log_format: str, site: SiteConfig, first: bool) -> SiteLines:
    """What picks out ``site``'s lines; the ``first`` site's pass also counts the lines of no
    site, and takes the lines whose host can not be read (they are then skipped, once).
    ``ConfigurationError`` when the format logs no host."""
    if not logs_host(log_format):
        raise ConfigurationError(
            f"ADMIN_HITS_SITES is set, but the log format {log_format!r} logs no host, so the "
            "lines can not be told apart by site: log %v (LogFormat vhost_combined) or "
            '"%{Host}i", and pass that format'
        )
    return SiteLines(log_format, host_sites(), site.site, takes_unread=first)
