"""The headline figures of delivery: "Bytes sent" and the response times (median, 95th
percentile) beside views and visitors, each compared with the previous period. A period
without stored delivery shows none (the log format logs neither the time nor the bytes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from admin_hits.report.delivery.queries import SiteDeliveryFigures
from admin_hits.report.delivery.tables import bytes_text, milliseconds_text
from admin_hits.report.formatting import BAD, NEUTRAL, change_html
from admin_hits.report.views.figures import Figure

BYTES_HELP = _("What the server sent for every request, pages, files and bots alike.")
TIME_HELP = _(
    "The time the server took to answer its requests: half of them were faster than the "
    "median, 95 of 100 faster than the 95th percentile (within 1%)."
)


@dataclass
class BytesFigure(Figure):
    @property
    def text(self) -> str:
        return bytes_text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else bytes_text(self.previous)


@dataclass
class TimeFigure(Figure):
    """A response time in milliseconds (a float)."""

    @property
    def text(self) -> str:
        return milliseconds_text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else milliseconds_text(self.previous)

    @property
    def change(self) -> SafeString | str:
        if not self.value or not self.previous:
            return ""
        return change_html(self.value, self.previous, self.rising)


def delivery_figures(found: SiteDeliveryFigures) -> list[Figure]:
    """The site's bytes sent and response times of the period, those it has stored."""
    figures: list[Figure] = []
    if found.bytes is not None:
        # More bytes are more readers as often as heavier pages: neither good nor bad.
        figures.append(BytesFigure(_("Bytes sent"), found.bytes, found.previous_bytes,
                                   help=BYTES_HELP, rising=NEUTRAL, key="bytes"))  # fmt: skip
    if found.p50 is not None:
        figures += [
            TimeFigure(_("Response time, median"), found.p50,  # type: ignore[arg-type]  # ms
                       found.previous_p50,  # type: ignore[arg-type]  # ms, a float
                       help=TIME_HELP, rising=BAD, key="response_ms_p50"),
            TimeFigure(_("Response time, 95th percentile"), found.p95,  # type: ignore[arg-type]  # ms
                       found.previous_p95,  # type: ignore[arg-type]  # ms, a float
                       help=TIME_HELP, rising=BAD, key="response_ms_p95"),
        ]  # fmt: skip
    return figures
