"""Tables of where the traffic comes from and what went wrong: referrers, search keywords,
campaigns, status codes, 404s and bots (rows from ``admin_hits.report.traffic.queries``).

Referrers, keywords, campaign names and bot names come from visitors: tables2 escapes them,
and a referrer becomes a link only when it is an http(s) address (``referrer_html``).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import BAD, GOOD, NEUTRAL, referrer_html
from admin_hits.report.tables import (
    PathCells,
    ReportTable,
    change_column,
    previous_column,
    views_column,
)

REQUESTS = pgettext_lazy("column of a table of HTTP responses", "requests")


def _placeholder(text: str) -> SafeString:
    return format_html('<span class="admin-hits-placeholder">{}</span>', text)


class ReferrerHostsTable(ReportTable):
    host = tables.Column(verbose_name=_("site"), order_by=("host",))
    current = views_column("host")
    previous = previous_column("host")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No views came from another site in this period.")


class ReferrerPagesTable(ReportTable):
    url = tables.Column(verbose_name=_("referring page"), order_by=("url",))
    current = views_column("url")
    previous = previous_column("url")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No views came from another site in this period.")

    def render_url(self, value: str) -> SafeString:
        return referrer_html(value)

    def value_url(self, value: str) -> str:
        return value


class KeywordsTable(ReportTable):
    keyword = tables.Column(verbose_name=_("search keywords"), order_by=("keyword",),
                            empty_values=())  # fmt: skip
    current = views_column("keyword")
    previous = previous_column("keyword")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No views came from a search engine in this period.")

    def render_keyword(self, value: str) -> SafeString | str:
        # Most engines no longer pass the words searched for; say so rather than show nothing.
        # The keywords past a path's top 50 of a day are summed into the same row (rollups).
        return value or _placeholder(gettext("(not provided, or others)"))

    def value_keyword(self, value: str) -> str:
        return value


class SearchEnginesTable(ReportTable):
    engine = tables.Column(verbose_name=_("search engine"), order_by=("engine",))
    current = views_column("engine")
    previous = previous_column("engine")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No views came from a search engine in this period.")


class CampaignsTable(ReportTable):
    # A row per (campaign, source, medium): each order ends with all three, so that pages
    # neither repeat nor skip rows of the same campaign (or source, or medium).
    campaign = tables.Column(
        verbose_name=_("campaign"), empty_values=(), order_by=("campaign", "source", "medium")
    )
    source = tables.Column(
        verbose_name=_("source"), empty_values=(), order_by=("source", "medium", "campaign")
    )
    medium = tables.Column(
        verbose_name=_("medium"), empty_values=(), order_by=("medium", "source", "campaign")
    )
    current = views_column("campaign", "source", "medium")
    previous = previous_column("campaign", "source", "medium")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No views of a link with utm_ parameters in this period.")

    def render_campaign(self, value: str) -> SafeString | str:
        return value or _placeholder("—")

    def render_source(self, value: str) -> SafeString | str:
        return value or _placeholder("—")

    def render_medium(self, value: str) -> SafeString | str:
        return value or _placeholder("—")

    # In a CSV an empty cell says "none": the placeholder is the page's.
    def value_campaign(self, value: str) -> str:
        return value

    def value_source(self, value: str) -> str:
        return value

    def value_medium(self, value: str) -> str:
        return value


class StatusCodesTable(ReportTable):
    status = tables.Column(verbose_name=_("status"), order_by=("status",))
    current = views_column("status", verbose_name=REQUESTS)
    previous = previous_column("status")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No request was counted in this period.")

    def rising_of(self, record: dict[str, Any]) -> str:
        # More errors is bad news; more successful requests is good news.
        return BAD if record["status"] >= 400 else GOOD

    def render_status(self, value: int) -> SafeString:
        try:
            phrase = HTTPStatus(value).phrase
        except ValueError:
            phrase = ""
        css = f"admin-hits-status s{str(value)[:1]}xx"
        return format_html('<span class="{}">{}</span> {}', css, value, phrase)

    def value_status(self, value: int) -> int:
        return value


class NotFoundTable(PathCells, ReportTable):
    # A row per (path, referrer): each order ends with both, as for ``CampaignsTable``.
    page = tables.Column(verbose_name=_("path"), order_by=("page", "path_hash", "referrer"))
    referrer = tables.Column(
        verbose_name=_("referrer"), empty_values=(), order_by=("referrer", "path_hash")
    )
    current = views_column("path_hash", "referrer", verbose_name=REQUESTS)
    previous = previous_column("path_hash", "referrer")
    change = change_column()

    rising = BAD

    class Meta(ReportTable.Meta):
        empty_text = _("No page was missing in this period.")

    def render_referrer(self, value: str) -> SafeString:
        if not value:
            return _placeholder(gettext("(none, or others)"))
        return referrer_html(value)

    def value_referrer(self, value: str) -> str:
        return value


class BotsTable(ReportTable):
    bot = tables.Column(verbose_name=_("bot"), order_by=("bot",))
    current = views_column("bot")
    previous = previous_column("bot")
    change = change_column()

    rising = NEUTRAL

    class Meta(ReportTable.Meta):
        empty_text = _("No bot was counted in this period.")
