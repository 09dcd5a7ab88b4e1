"""The site's own "today": the date the logs are counted on; a moment as the site's day."""

from __future__ import annotations

import datetime

from django.conf import settings as django_settings
from django.utils import timezone


def site_today() -> datetime.date:
    """Today in the site's ``TIME_ZONE``, which the logs are counted in; not in the active
    time zone, which a site may set per user (``timezone.activate``). Stored days and live
    counts are dates of ``TIME_ZONE``: another zone's "today" names another day."""
    # Without USE_TZ, Django's clock is naive local time: the process's zone is TIME_ZONE.
    return datetime.datetime.now(timezone.get_default_timezone()).date()


def as_day(value: datetime.date | datetime.datetime | None) -> datetime.date | None:
    """A date, or a moment as the day it was in the site's ``TIME_ZONE``."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, timezone.get_default_timezone())
        return value.date()
    return value


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the site's ``TIME_ZONE``, as the database compares
    moments (naive without ``USE_TZ``)."""
    value = datetime.datetime.combine(day, datetime.time.min)
    if django_settings.USE_TZ:
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value
