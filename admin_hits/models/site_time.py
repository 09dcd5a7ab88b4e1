"""The site's own "today": the date the logs are counted on."""

from __future__ import annotations

import datetime

from django.utils import timezone


def site_today() -> datetime.date:
    """Today in the site's ``TIME_ZONE``, which the logs are counted in; not in the active
    time zone, which a site may set per user (``timezone.activate``). Stored days and live
    counts are dates of ``TIME_ZONE``: another zone's "today" names another day."""
    # Without USE_TZ, Django's clock is naive local time: the process's zone is TIME_ZONE.
    return datetime.datetime.now(timezone.get_default_timezone()).date()
