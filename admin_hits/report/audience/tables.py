"""Tables of the audience: browsers, systems, devices, countries and hours (rows from
``admin_hits.report.audience.queries``); each row's views with a bar, as every report table.

Browser and system names come from uap-core's rules (some copy text of the user agent):
tables2 escapes them like any other value.
"""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import NEUTRAL
from admin_hits.report.tables import (
    ObjectLinks,
    ReportTable,
    change_column,
    previous_column,
    views_column,
)

UNKNOWN_COUNTRY = "ZZ"
DEVICE_NAMES = {
    "desktop": _("desktop"),
    "mobile": _("mobile"),
    "tablet": _("tablet"),
    "other": _("other (TVs, consoles, crawlers, unknown)"),
}
EMPTY = _("Counted by the nightly import: no views in this period yet.")


class NamesTable(ReportTable):
    name = tables.Column(verbose_name=_("name"), order_by=("name",))
    current = views_column("name")
    previous = previous_column("name")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = EMPTY

    def value_name(self, value: str) -> str:
        return value


class BrowsersTable(NamesTable):
    name = tables.Column(verbose_name=_("browser"), order_by=("name",))


class VersionsTable(NamesTable):
    name = tables.Column(verbose_name=_("browser version"), order_by=("name",))


class SystemsTable(NamesTable):
    name = tables.Column(verbose_name=_("operating system"), order_by=("name",))


class DevicesTable(NamesTable):
    name = tables.Column(verbose_name=_("device"), order_by=("name",))

    def render_name(self, value: str) -> str:
        return str(DEVICE_NAMES.get(value, value))


class CountriesTable(NamesTable):
    name = tables.Column(verbose_name=_("country"), order_by=("name",))

    def render_name(self, value: str) -> SafeString | str:
        if value == UNKNOWN_COUNTRY:
            return format_html('<span class="admin-hits-placeholder">{}</span>', gettext(
                "unknown (private or unassigned address)"))  # fmt: skip
        return value


class HoursTable(ReportTable):
    hour = tables.Column(verbose_name=_("hour"), order_by=("hour",))
    current = views_column("hour")
    previous = previous_column("hour")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = EMPTY
        order_by = "hour"
        per_page = 24

    def render_hour(self, value: int) -> str:
        return f"{value:02d}:00-{value:02d}:59"

    def value_hour(self, value: Any) -> int:
        return int(value)


class AICrawlersTable(ReportTable):
    bot = tables.Column(verbose_name=_("AI crawler"), order_by=("bot",))
    current = views_column("bot")
    previous = previous_column("bot")
    change = change_column()

    rising = NEUTRAL

    class Meta(ReportTable.Meta):
        empty_text = _("No AI crawler was counted in this period.")


class AIObjectsTable(ObjectLinks, ReportTable):
    needs_objects = True
    crawler = tables.Column(verbose_name=_("AI crawler"), order_by=("crawler",))
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    current = views_column("crawler", "object_type", "object_pk")

    class Meta(ReportTable.Meta):
        empty_text = _("No AI crawler fetched an object in this period.")
