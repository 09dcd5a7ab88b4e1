"""The headline figures of the report pages: a period's value next to the previous period's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import BAD, GOOD, NEUTRAL, change_html, views_text
from admin_hits.report.totals import Totals


@dataclass
class Figure:
    """A headline figure: its value, the previous period's, and where it refreshes from."""

    label: Promise | str
    value: int | None
    previous: int | None = None
    live_url: str = ""
    help: Promise | str = ""
    rising: str = GOOD
    key: str = ""  # names the figure in the JSON of the page (views, visitors, ...)

    @classmethod
    def views(cls, series: Any, period: Any, live_url: str) -> Figure:
        """The period's views next to the previous period's (refreshed live when today)."""
        label = gettext("Views today") if period.is_live else gettext("Views")
        key = "views_today" if period.is_live else "views"
        url = live_url if period.is_live else ""
        return cls(label, series.current, series.previous, url, key=key)

    @property
    def text(self) -> str:
        return "—" if self.value is None else views_text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else views_text(self.previous)

    @property
    def change(self) -> SafeString | str:
        if self.value is None or self.previous is None:
            return ""
        if self.live_url and not self.value:  # today so far: not "-100%" before any view
            return ""
        return change_html(self.value, self.previous, self.rising)


VISITORS_HELP = _(
    "Unique visitors of each day, added up over the days: someone who came on two days "
    "counts twice."
)
#: label, explanation, and what a rise means (see ``change_html``)
FIGURE_LABELS: dict[str, tuple[Promise, Promise, str]] = {
    "visitors": (_("Visitors"), VISITORS_HELP, GOOD),
    "bot_views": (
        _("Bot views"),
        _("Views by crawlers and other robots, not in the views."),
        NEUTRAL,
    ),  # fmt: skip
    "not_found": (_("404 responses"), _("Requests of paths that do not exist."), BAD),
}


def uncompared(figures: list[Figure]) -> list[Figure]:
    """``figures`` without the previous period's values: no change, no "vs 0"."""
    return [replace(figure, previous=None) for figure in figures]


def traffic_figures(totals: Totals, names: Sequence[str]) -> list[Figure]:
    """The classification's figures that exist for the period (none for unclassified days)."""
    figures = []
    for name in names:
        current, previous = totals.get(name)
        if current is not None:
            label, help_text, rising = FIGURE_LABELS[name]
            figures.append(
                Figure(label, current, previous, help=help_text, rising=rising, key=name)
            )
    return figures
