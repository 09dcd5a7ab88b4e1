"""The sections of delivery, which ``sections.py`` makes into ``Section``s: the report's
"Speed" tab with its "Slow pages", and an object's "Response times" (its paths). Shown only
when response times are stored: a site whose log format does not log the time taken sees no
tab and no empty table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from admin_hits.report.delivery import queries as delivery_queries
from admin_hits.report.delivery.chart import bandwidth_chart
from admin_hits.report.delivery.tables import SlowPagesTable

DELIVERY = "delivery"
LABEL = _("Speed")
SLOW_PAGES: dict[str, Any] = {
    "slug": "slow-pages", "title": _("Slow pages"), "table": SlowPagesTable,
    "rows": delivery_queries.slow_pages,
    "description": _("The most requested pages by the time within which the server answered "
                     "95 requests of 100 (p95), with the median (p50), p99 and the bytes "
                     "sent; within 1%."),
    "group": DELIVERY, "wide": True, "stored_only": True, "available": delivery_queries.timed,
    "figure": bandwidth_chart,
}  # fmt: skip
RESPONSE_TIMES: dict[str, Any] = {
    **SLOW_PAGES, "title": _("Response times"), "group": "overview", "figure": None,
    "description": _("How fast the server answered the requests of this object's paths: "
                     "median (p50), p95 and p99, within 1%; and the bytes sent."),
}  # fmt: skip
