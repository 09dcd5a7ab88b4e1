"""A run's counting per site (``Part``), and a day's rows of every site written together.

A single-site configuration has one part, of no site, written as it always was. With
``ADMIN_HITS_SITES``, each site is a part of its own (``nightly.sites``): its paths resolved
with its URLconf, its rows given its site id, and the day's rows of all the sites replace the
day's rows in one transaction, so a day is still replaced whole.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from admin_hits.logs import Counts, DayTraffic, days_of
from admin_hits.logs import counts as dims
from admin_hits.logs.audience import AUDIENCE
from admin_hits.logs.delivery_days import DayDelivery, delivery_days
from admin_hits.logs.downloads import DayDownloads, download_days
from admin_hits.logs.visit_days import DayVisits, visit_days
from admin_hits.logs.visits import join_open_visits
from admin_hits.models.sites import SiteConfig, configured_sites
from admin_hits.nightly.parallel import DetailTables, collect_parallel
from admin_hits.nightly.parsing import Source, collect
from admin_hits.nightly.resolvers import PathResolver
from admin_hits.nightly.robots_scan import can_scan, scan_readers
from admin_hits.nightly.rows import Table
from admin_hits.nightly.sites import site_lines
from admin_hits.nightly.writing import DayResult, KnownPaths, day_tables, replace_day, write_day

Details = Callable[[datetime.date], list[Table]]


@dataclass
class Part:
    """One site's counts (``site`` None: the only site of a single-site configuration), and
    what a parallel run worked out of them already (``traffic``, ``known``, ``details``)."""

    site: SiteConfig | None
    counts: Counts
    traffic: dict[datetime.date, DayTraffic] | None = None
    known: KnownPaths | None = None
    details: Details | None = None
    closes: list[Callable[[], None]] = field(default_factory=list)
    visits: dict[datetime.date, DayVisits] = field(default_factory=dict)
    downloads: dict[datetime.date, DayDownloads] = field(default_factory=dict)
    delivery: dict[datetime.date, DayDelivery] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.resolver = PathResolver(self.site.urlconf if self.site else None)

    def finish(self, visit_gap: int) -> None:
        """Bots, visitors, referrers ... per day (robots.txt readers made bots), visits,
        downloads, response times and bytes, from the counts."""
        if self.traffic is None:
            self.traffic = days_of(self.counts)
        # Each view's visitor is in the traffic's visitor sets now: freed before the rows.
        for name in (dims.VISITS, AUDIENCE):
            self.counts.extra.pop(name, None)
        join_open_visits(self.counts, visit_gap)
        self.visits, self.downloads = visit_days(self.counts), download_days(self.counts)
        self.delivery = delivery_days(self.counts)

    def tables(self, day: datetime.date) -> tuple[list[Table], DayResult]:
        today = (self.traffic or {}).get(day) or DayTraffic()
        return day_tables(
            day, today.views, self.resolver, known=self.known, traffic=today,
            details=self.details, visits=self.visits.get(day), downloads=self.downloads.get(day),
            delivery=self.delivery.get(day),
        )  # fmt: skip

    def summary(self, result: DayResult) -> dict[str, Any]:
        """What ``parse_log --json`` says of the part's day."""
        day = result.date
        return {
            **result.as_dict(), **(self.visits.get(day) or DayVisits()).summary(),
            "downloads": (self.downloads.get(day) or DayDownloads()).total,
            **(self.delivery.get(day) or DayDelivery()).as_dict(),
            **((self.traffic or {}).get(day) or DayTraffic()).audience.as_dict(),
        }  # fmt: skip

    def close(self) -> None:
        for close in self.closes:
            close()


def count_part(
    sources: Sequence[Source],
    days: Sequence[datetime.date],
    jobs: int,
    core: dict[str, Any],
    progress: Callable[[int], None] | None,
    site: SiteConfig | None,
    wrap: Callable[[DetailTables], Details],
) -> Part:
    """The counts of one site's lines (of every line for ``site`` None), by ``jobs``
    processes. ``wrap``: how the caller wants a parallel run's detail tables handed."""
    mine = dict(core)
    if site is not None:
        first = site == configured_sites()[0]
        mine["site_lines"] = site_lines(core["log_format"], site, first)
    if can_scan(sources):  # the robots.txt readers first: then views are not kept per visitor
        mine["readers"] = scan_readers(sources, days, **mine)
    if jobs == 1:
        return Part(site, collect(sources, set(days), progress=progress, **mine))
    found = collect_parallel(
        sources, set(days), jobs, progress=progress, urlconf=site.urlconf if site else None,
        **mine,
    )  # fmt: skip
    part = Part(site, found.counts, found.traffic, found.known)
    if found.details is not None:
        part.details = wrap(found.details)
        part.closes.append(found.details.close)
        if site is not None:
            # Its worker's tables taken now (all days at once): that worker is then done
            # before the next site's workers start.
            part.details(days[0])
    return part


def total_counts(parts: Iterable[Part]) -> Counts:
    total = Counts()
    for part in parts:
        total.merge(part.counts)
    return total


def write_parts(
    day: datetime.date, parts: Sequence[Part], *, dry_run: bool
) -> tuple[DayResult, dict[str, Any]]:
    """Replace ``day``'s rows with those of every part; what was written, and its summary
    (with several sites: their sums, and each site's own under ``sites``)."""
    if len(parts) == 1 and parts[0].site is None:
        only = parts[0]
        today = (only.traffic or {}).get(day) or DayTraffic()
        result = write_day(
            day, today.views, only.resolver, known=only.known, traffic=today,
            details=only.details, visits=only.visits.get(day),
            downloads=only.downloads.get(day), delivery=only.delivery.get(day), dry_run=dry_run,
        )  # fmt: skip
        return result, only.summary(result)
    merged: dict[type[models.Model], Table] = {}
    results, sites = [], {}
    for part in parts:
        assert part.site is not None
        tables, result = part.tables(day)
        for table in tables:
            mine = table.of_site(part.site.site)
            if table.model in merged:
                merged[table.model].rows.extend(mine.rows)
            else:
                merged[table.model] = mine
        results.append(result)
        sites[str(part.site.site)] = part.summary(result)
    if not dry_run:
        replace_day(day, list(merged.values()))
    total = DayResult(
        date=day,
        views=sum(r.views for r in results),
        paths=sum(r.paths for r in results),
        objects=sum(r.objects for r in results),
        matched_views=sum(r.matched_views for r in results),
    )
    return total, {**summed(list(sites.values())), **total.as_dict(), "sites": sites}


def summed(days: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The sites' summaries of a day added up: counts sum, ``{name: count}`` sum per name,
    lists of counts (the hours) sum per place; what does not add up (a median, a ratio,
    percentiles of response times) is left to each site's own."""
    total: dict[str, Any] = {}
    for key in days[0] if days else ():
        values = [day[key] for day in days if key in day]
        if all(type(v) is int for v in values):
            total[key] = sum(values)
        elif all(isinstance(v, dict) and _counts(v.values()) for v in values):
            total[key] = summed_counts(values)
        elif all(isinstance(v, list) and _counts(v) for v in values):
            total[key] = [sum(column) for column in zip(*values, strict=True)]
    return total


def _counts(values: Iterable[Any]) -> bool:
    return all(type(v) is int for v in values)


def summed_counts(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """``{name: count}`` mappings added up, most first (ties by name)."""
    total: dict[str, int] = {}
    for mapping in counts:
        for name, n in mapping.items():
            total[name] = total.get(name, 0) + n
    return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))
