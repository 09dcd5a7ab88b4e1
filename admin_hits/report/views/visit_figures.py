"""The headline figures of visits: "Visits" and "Bounce rate" beside views and visitors, each
compared with the previous period. A period without stored visits shows neither."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import BAD, change_html
from admin_hits.report.scope import Scope
from admin_hits.report.traffic.visit_queries import bounce_rate, visit_figures
from admin_hits.report.traffic.visit_tables import rate_text
from admin_hits.report.views.figures import Figure

VISITS_HELP = _(
    "A visitor's views with pauses under ADMIN_HITS_VISIT_GAP minutes (30), within a day."
)
BOUNCE_HELP = _("Visits that viewed one page and left, of all visits.")


@dataclass
class RateFigure(Figure):
    """A figure that is a share (0 to 1), shown as a percentage."""

    @property
    def text(self) -> str:
        return rate_text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else rate_text(self.previous)

    @property
    def change(self) -> SafeString | str:
        if self.value is None or self.previous is None:
            return ""
        return change_html(self.value, self.previous, self.rising)


def visits_figures(scope: Scope) -> list[Figure]:
    """ "Visits" and "Bounce rate" of the scope (the site, or the visits landing on an
    object), or nothing when the period has no stored visits."""
    found = visit_figures(scope)
    if found.visits is None:
        return []
    rate = bounce_rate(found.bounces, found.visits)
    previous_rate = bounce_rate(found.previous_bounces, found.previous_visits)
    return [
        Figure(_("Visits"), found.visits, found.previous_visits, help=VISITS_HELP, key="visits"),
        RateFigure(
            _("Bounce rate"),
            rate,  # type: ignore[arg-type]  # a share (0 to 1): RateFigure shows it
            previous_rate,  # type: ignore[arg-type]  # the same
            help=BOUNCE_HELP,
            rising=BAD,
            key="bounce_rate",
        ),
    ]
