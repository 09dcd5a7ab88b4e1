"""The sections of the report's "Audience" tab and of an object's: what ``sections.py`` makes
into ``Section``s (a table, its rows, and for the hours the weekday by hour heatmap)."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.report.audience import ai_queries, queries
from admin_hits.report.audience.heatmap import heatmap
from admin_hits.report.audience.tables import (
    AICrawlersTable,
    AIObjectsTable,
    BrowsersTable,
    CountriesTable,
    DevicesTable,
    HoursTable,
    SystemsTable,
    VersionsTable,
)
from admin_hits.report.formatting import views_text
from admin_hits.report.scope import Scope


def hours_heatmap(scope: Scope) -> SafeString:
    return heatmap(queries.week_grid(scope), label=gettext("Views per weekday and hour"),
                   number=views_text)  # fmt: skip


DEVICES = {
    "slug": "devices", "title": _("Devices"), "table": DevicesTable, "rows": queries.devices,
    "description": _("Human views by class of device."),
}  # fmt: skip
COUNTRIES = {
    "slug": "countries", "title": _("Countries"), "table": CountriesTable,
    "rows": queries.countries,
    "description": _("Human views by the country of the visitor's address (see the docs for "
                     "how exact it is)."),
}  # fmt: skip
HOURS = {
    "slug": "hours", "title": _("Hours of the day"), "table": HoursTable, "rows": queries.hours,
    "description": _("Human views per weekday and hour, in the site's time zone."),
    "figure": hours_heatmap, "wide": True,
}  # fmt: skip
REPORT: list[dict[str, Any]] = [
    {"slug": "browsers", "title": _("Browsers"), "table": BrowsersTable,
     "rows": queries.browsers, "description": _("Human views by browser.")},
    {"slug": "systems", "title": _("Operating systems"), "table": SystemsTable,
     "rows": queries.systems},
    DEVICES,
    {"slug": "versions", "title": _("Browser versions"), "table": VersionsTable,
     "rows": queries.browser_versions,
     "description": _("The site's 50 most used versions a day; the rest as Other.")},
    COUNTRIES,
    HOURS,
]  # fmt: skip
# An object's page: its device share, top countries (its top 10 a day) and hours.
OBJECT: list[dict[str, Any]] = [DEVICES, COUNTRIES, HOURS]


def ai_share(scope: Scope) -> SafeString:
    """The share of the bots' views that AI crawlers made, said in words."""
    ai, bots = ai_queries.ai_share(scope)
    if not bots:
        return SafeString("")
    text = gettext("AI crawlers made %(share)s of all bot views (%(ai)s of %(bots)s).") % {
        "share": f"{ai / bots:.0%}", "ai": views_text(ai), "bots": views_text(bots),
    }  # fmt: skip
    return format_html('<p class="admin-hits-ai-share"><strong>{}</strong></p>', text)


# The "Errors and bots" tab: crawlers that feed AI models or answer engines.
AI: list[dict[str, Any]] = [
    {"slug": "ai-crawlers", "title": _("AI crawlers"), "table": AICrawlersTable,
     "rows": ai_queries.ai_crawlers, "figure": ai_share,
     "description": _("Views by crawlers that feed AI models or answer engines (GPTBot, "
                      "ClaudeBot, CCBot, PerplexityBot ...), counted among the bots.")},
    {"slug": "ai-objects", "title": _("Objects fetched by AI crawlers"),
     "table": AIObjectsTable, "rows": ai_queries.ai_objects},
]  # fmt: skip
