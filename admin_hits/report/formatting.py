"""Figures as people read them: thousands separators, signed percentages, short dates."""

from __future__ import annotations

import datetime
import re

from django.utils import formats
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext

from admin_hits.models.periods import change


def views_text(views: int) -> str:
    """``views`` with the active locale's thousands separator: "12,345"."""
    return number_format(views, force_grouping=True)


def percent_text(ratio: float) -> str:
    """``0.125`` as "+12.5%" (one decimal below 10 %, none above), in the active locale."""
    value = ratio * 100
    digits = 1 if 0 < abs(value) < 10 else 0
    text = number_format(round(abs(value), digits), decimal_pos=digits, force_grouping=True)
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    # Where the sign goes and whether a space comes before it is the language's: "12,5 %".
    return pgettext("a signed percentage", "%(sign)s%(number)s%%") % {"sign": sign, "number": text}


def change_percent(current: int, before: int) -> float | None:
    """The change as a percentage rounded to one decimal (for CSV); None when it is new."""
    ratio = change(current, before)
    return None if ratio is None else round(ratio * 100, 1)


#: How a rise reads: views rising is good news, 404s rising bad news, bots neither.
GOOD, BAD, NEUTRAL = "good", "bad", "neutral"


def change_html(current: int, before: int, rising: str = GOOD) -> SafeString:
    """The change from ``before`` to ``current`` with an arrow, coloured by what it means
    (``rising``: ``GOOD``, ``BAD`` or ``NEUTRAL``), with its base as title."""
    ratio = change(current, before)
    title = gettext("previous period: %(views)s") % {"views": views_text(before)}
    if ratio is None:
        return format_html(
            '<span class="admin-hits-change new" title="{}">{}</span>', title, gettext("new")
        )
    direction = "up" if ratio > 0 else "down" if ratio < 0 else "same"
    arrow = {"up": "▲", "down": "▼", "same": ""}[direction]
    meaning = {GOOD: GOOD, BAD: BAD}.get(rising, NEUTRAL) if ratio else NEUTRAL
    if direction == "down" and meaning != NEUTRAL:
        meaning = BAD if meaning == GOOD else GOOD
    return format_html(
        '<span class="admin-hits-change {} {}" title="{}">'
        '<span aria-hidden="true">{}</span> {}</span>',
        direction,
        meaning,
        title,
        arrow,
        percent_text(ratio),
    )


def day_text(day: datetime.date) -> str:
    """A short day for chart axes: "Nov 3" (translators may reorder the format)."""
    return formats.date_format(day, pgettext("short day on a chart axis", "M j"))


def long_day_text(day: datetime.date) -> str:
    """A day with its weekday, for tooltips and tables: "Mon, 3 Nov 2025"."""
    return pgettext("a day with its weekday", "%(weekday)s, %(date)s") % {
        "weekday": formats.date_format(day, "D"),
        "date": formats.date_format(day, "DATE_FORMAT"),
    }


def range_text(start: datetime.date, end: datetime.date) -> str:
    """ "3 Nov 2025 – 9 Nov 2025", or one date when the range is one day."""
    first = formats.date_format(start, "DATE_FORMAT")
    if start == end:
        return first
    return f"{first} – {formats.date_format(end, 'DATE_FORMAT')}"


# A web address a browser opens as such: http(s), a host, no whitespace, quotes or controls
# (browsers strip or reinterpret those, so what is shown would not be what is opened).
_LINKABLE = re.compile(r"https?://[^\s\x00-\x1f\x7f\"'<>\\`]+", re.IGNORECASE)


def referrer_html(url: str, length: int = 80) -> SafeString:
    """A referrer from a log, shortened: a link when it is an http(s) address, text otherwise.

    Links open in a new tab without telling the other site where the reader came from
    (``noreferrer``), without giving it this window (``noopener``), and give it no ranking
    credit (``nofollow``).
    """
    shown = Truncator(url).chars(length)
    title = Truncator(url).chars(2000)
    if _LINKABLE.fullmatch(url) and "//" in url[:8]:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow" target="_blank" title="{}">{}</a>',
            url,
            title,
            shown,
        )
    return format_html('<span class="admin-hits-referrer" title="{}">{}</span>', title, shown)
