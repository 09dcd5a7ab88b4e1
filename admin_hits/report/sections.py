"""The report's sections: each one a table class and the function giving its rows.

A section is shown on the report (``REPORT_SECTIONS``) or on an object's drill-down page
(``OBJECT_SECTIONS``), and exported to CSV under its ``slug``. Adding a table to the report is
adding one ``Section`` here: the page, its sorting, paging and CSV link come with it. Sections
are grouped into tabs so that each tab stays within a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.report import queries
from admin_hits.report.audience import crawlers
from admin_hits.report.audience import sections as audience_sections
from admin_hits.report.delivery import sections as delivery_sections
from admin_hits.report.editorial.launch_tables import LaunchesTable, StaleTable
from admin_hits.report.editorial.recent_launches import recent_launches
from admin_hits.report.editorial.redirect_tables import NotFoundFixTable
from admin_hits.report.editorial.stale import stale_rows
from admin_hits.report.scope import Scope
from admin_hits.report.tables import DaysTable, ObjectsTable, PagesTable, PathsTable, ReportTable
from admin_hits.report.traffic import queries as traffic
from admin_hits.report.traffic import tables as traffic_tables
from admin_hits.report.traffic import visit_queries
from admin_hits.report.traffic.visit_tables import DownloadsTable, LandingsTable

OVERVIEW, SOURCES, TECHNICAL = "overview", "sources", "technical"
AUDIENCE = "audience"
GROUPS: dict[str, Promise] = {
    OVERVIEW: _("Overview"),
    SOURCES: _("Sources"),
    AUDIENCE: _("Audience"),
    TECHNICAL: _("Errors and bots"),
}


def _no_options(scope: Scope) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    table: type[ReportTable]
    rows: Callable[[Scope], Any]
    description: Promise | str = ""
    group: str = OVERVIEW
    options: Callable[[Scope], dict[str, Any]] = field(default=_no_options)
    model_filter: bool = False  # offers "All" and one link per model; narrows to the one chosen
    wide: bool = False  # takes the page's whole width (long paths) instead of half of it
    stored_only: bool = False  # written by the nightly import only: nothing for today yet
    site_wide: bool = False  # rows of no object: not shown to scoped users (``owners``)
    figure: Callable[[Scope], Any] | None = None  # a chart drawn above the table
    # Whether the page (a ``ReportPage``) has what the table shows (None: always): a table of
    # what the log format does not log would be empty on every page.
    available: Callable[[Any], bool] | None = None

    def build(self, scope: Scope, site_name: str) -> ReportTable:
        """The section's table for ``scope``, not yet sorted or paginated by a request."""
        options = self.options(scope)
        if self.stored_only and scope.period.is_live:
            options["empty_text"] = gettext(
                "Counted by the nightly import: today's will be here tomorrow."
            )
        return self.table(self.rows(scope), site_name=site_name, prefix=f"{self.slug}-", **options)


def _objects_options(scope: Scope) -> dict[str, Any]:
    # One model chosen: its name in every row would say nothing.
    return {"exclude": ("object_type",)} if scope.content_type is not None else {}


def _unmatched_rows(scope: Scope) -> Any:
    return queries.page_rows(scope, unmatched=True)


def _object_days(scope: Scope) -> list[dict[str, Any]]:
    if scope.period.is_live:
        views = {scope.period.start: scope.live.total} if scope.live else {}
    else:
        views = queries.daily_views(
            queries.object_hits(scope), scope.period.start, scope.period.end
        )
    return queries.day_rows(scope, views)


REPORT_SECTIONS: list[Section] = [
    Section(
        "objects",
        _("Top objects"),
        ObjectsTable,
        queries.object_rows,
        _("Views per object, all its paths together."),
        options=_objects_options,
        model_filter=True,
    ),
    Section(
        "pages",
        _("Top pages"),
        PagesTable,
        queries.page_rows,
        _("Views per path, with the object it shows."),
        wide=True,
    ),
    Section(
        "unmatched",
        _("Unmatched paths"),
        PathsTable,
        _unmatched_rows,
        _("Counted views of paths that show no object: home, lists, search results..."),
        site_wide=True,
    ),
]
# Visits and downloads (the nightly import's): on the report and an object's page alike.
_VISITS = [
    Section(
        "landings",
        _("Landing pages"),
        LandingsTable,
        visit_queries.landing_rows,
        _("Where visits started, and how many of them viewed nothing else (bounces)."),
        wide=True,
        stored_only=True,
    ),
    Section(
        "downloads",
        _("Top downloads"),
        DownloadsTable,
        visit_queries.download_rows,
        _("Files (documents, archives, media) by the people who downloaded them."),
        wide=True,
        stored_only=True,
    ),
]
REPORT_SECTIONS += _VISITS

_SOURCES = [
    Section(
        "referrers",
        _("Referring sites"),
        traffic_tables.ReferrerHostsTable,
        traffic.referrer_hosts,
        _("Views of visitors who followed a link on another site."),
        group=SOURCES,
        stored_only=True,
    ),
    Section(
        "keywords",
        _("Search keywords"),
        traffic_tables.KeywordsTable,
        traffic.keywords,
        _("What visitors searched for, when the search engine says."),
        group=SOURCES,
        stored_only=True,
    ),
    Section(
        "referring-pages",
        _("Referring pages"),
        traffic_tables.ReferrerPagesTable,
        traffic.referrer_pages,
        _("The pages of other sites that linked here."),
        group=SOURCES,
        wide=True,
        stored_only=True,
    ),
    Section(
        "engines",
        _("Search engines"),
        traffic_tables.SearchEnginesTable,
        traffic.search_engines,
        group=SOURCES,
        stored_only=True,
    ),
    Section(
        "campaigns",
        _("Campaigns"),
        traffic_tables.CampaignsTable,
        traffic.campaigns,
        _("Views of links tagged with utm_campaign, utm_source and utm_medium."),
        group=SOURCES,
        stored_only=True,
    ),
]

REPORT_SECTIONS += _SOURCES + [
    Section(
        "status",
        _("Status codes"),
        traffic_tables.StatusCodesTable,
        traffic.status_codes,
        _("Every request the server answered, pages, files and bots alike."),
        group=TECHNICAL,
        stored_only=True,
        site_wide=True,
    ),
    Section(
        "bots",
        _("Bots"),
        traffic_tables.BotsTable,
        traffic.bots,
        _("Views by crawlers and other robots, counted apart from the views above."),
        group=TECHNICAL,
        stored_only=True,
        site_wide=True,
    ),
    Section(
        "not-found",
        _("Missing pages (404)"),
        NotFoundFixTable,
        traffic.not_found,
        _("Requests of paths that do not exist, with the page that linked to them."),
        group=TECHNICAL,
        options=lambda scope: {"site": scope.site},  # its suggestions and redirects
        wide=True,
        stored_only=True,
        site_wide=True,
    ),
]

CONTENT = "content"  # what editors look for: launches, stale content (``launch_tables``)
GROUPS[CONTENT] = _("Content")
REPORT_SECTIONS += [
    Section(
        "launches",
        _("Recent launches"),
        LaunchesTable,
        recent_launches,
        _("Objects published in this period: their first 7 days against a typical object "
          "of their kind at the same age (the median of its last 100)."),
        group=CONTENT,
        model_filter=True,
    ),
    Section(
        "stale",
        _("Stale content"),
        StaleTable,
        stale_rows,
        _("Published objects nobody has viewed lately, the oldest first, as of today."),
        group=CONTENT,
        model_filter=True,
    ),
    Section(
        "ai-read",
        _("Read by AI crawlers"),
        crawlers.CrawledObjectsTable,
        crawlers.crawled_objects,
        _("Views of each object by the crawlers of AI models and assistants (GPTBot, "
          "ClaudeBot, PerplexityBot...), counted apart from people's views."),
        group=CONTENT,
        model_filter=True,
        stored_only=True,
    ),
]  # fmt: skip

OBJECT_SECTIONS: list[Section] = [
    Section("days", _("Daily views"), DaysTable, _object_days),
    Section(
        "paths",
        _("Paths"),
        PathsTable,
        queries.page_rows,
        _("The paths this object was viewed at."),
    ),
    *_VISITS,
    *_SOURCES,
    Section(
        "crawlers",
        _("AI crawlers"),
        crawlers.CrawlersTable,
        crawlers.object_crawlers,
        _("The crawlers of AI models and assistants that fetched this object."),
        stored_only=True,
    ),
]


# The site's audience and its AI crawlers are counted site-wide, not per owner: scoped users
# (``owners``) see them on their objects' own pages only.
REPORT_SECTIONS += [
    Section(**spec, group=AUDIENCE, stored_only=True, site_wide=True)
    for spec in audience_sections.REPORT
]
OBJECT_SECTIONS += [
    Section(**spec, group=AUDIENCE, stored_only=True) for spec in audience_sections.OBJECT
]
REPORT_SECTIONS += [
    Section(**spec, group=TECHNICAL, stored_only=True, site_wide=True)
    for spec in audience_sections.AI
]


GROUPS[delivery_sections.DELIVERY] = delivery_sections.LABEL
REPORT_SECTIONS.append(Section(**delivery_sections.SLOW_PAGES))
OBJECT_SECTIONS.append(Section(**delivery_sections.RESPONSE_TIMES))


def find(sections: Sequence[Section], slug: str) -> Section | None:
    return next((s for s in sections if s.slug == slug), None)


def groups_of(sections: Sequence[Section]) -> list[tuple[str, Promise]]:
    """The groups ``sections`` fall into, in ``GROUPS`` order."""
    used = {s.group for s in sections}
    return [(key, label) for key, label in GROUPS.items() if key in used]
