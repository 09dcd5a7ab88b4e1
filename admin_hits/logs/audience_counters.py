"""Which audience counters a tally gets: the nightly tables' or the pipe's."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from admin_hits.logs.audience import AudienceCounter
from admin_hits.logs.live_hours import LiveHours


def attach_audience(
    tally: Any, tz: tzinfo, rules: Any, getters: tuple[Any, Any, Any], *, nightly: bool
) -> None:
    """Give ``tally`` its audience counters: browsers, countries and hours for the nightly
    tables, or the views per hour of the day for the pipe (``live_hours``)."""
    if nightly:
        # Only the views of robots.txt readers are read back: no visitors per key.
        tally.audience = AudienceCounter(tz, rules.geoip_database,
                                         lambda: tally.new_views(unique=False))  # fmt: skip
        tally.audience.row_getters = getters
    else:
        tally.live_hours = LiveHours(tz, getters[0], getters[1])
