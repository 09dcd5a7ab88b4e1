"""The pipe's counting of several sites (``ADMIN_HITS_SITES``): each site's lines counted by
its own aggregator, as ``parse_log`` counts them, behind the one ``feed``/``take`` of a single
aggregator. The store gets every path's counter as always (all the sites' views of the path)
and, beside it, each site's (``live.hours.site_key``); likewise the views per hour of all the
sites and of each (``live.hours.site_hour_key``). A single-site pipe never builds this.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from admin_hits.live.hours import hour_deltas, site_key
from admin_hits.logs import Counts
from admin_hits.logs.vhosts import SiteAggregator, SiteLines


class SitesAggregator:
    """One ``SiteAggregator`` per site of ``hosts`` (normal host -> site id); ``take`` gives
    their counts merged, and ``site_deltas`` each site's views of the last ``take``, per path
    and per hour."""

    def __init__(self, log_format: str, hosts: Mapping[str, int], **options: Any) -> None:
        self.parts = {
            site: SiteAggregator(
                log_format, site_lines=SiteLines(log_format, hosts, site, takes_unread=not n),
                **options,
            )
            for n, site in enumerate(sorted(set(hosts.values())))
        }  # fmt: skip
        self.site_deltas: dict[tuple[datetime.date, str], int] = {}

    def feed(self, lines: Iterable[bytes | str]) -> None:
        given = list(lines)
        for part in self.parts.values():
            part.feed(given)

    def take(self) -> Counts:
        total = Counts()
        self.site_deltas = {}
        for site, part in self.parts.items():
            counts = part.take()
            total.merge(counts)
            self.site_deltas.update(
                {(day, site_key(site, path)): n for (day, path), n in counts.views.items()}
            )
            self.site_deltas.update(hour_deltas(counts.extra, site))
        return total
