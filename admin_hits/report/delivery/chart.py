"""The "Speed" tab's chart: the site's bytes sent per day, the previous period's as a line
(``charts.daily_chart``), drawn above "Slow pages" when the days have bytes stored."""

from __future__ import annotations

import datetime

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from admin_hits.models import SiteDelivery
from admin_hits.report.charts import Point, daily_chart
from admin_hits.report.delivery.tables import bytes_text
from admin_hits.report.formatting import day_text, long_day_text
from admin_hits.report.scope import Scope
from admin_hits.report.series import chart_days


def bandwidth_chart(scope: Scope) -> SafeString:
    """Bars of the bytes sent each day of the period (one query; nothing without bytes)."""
    if scope.period.is_live:
        return SafeString("")
    days = chart_days(scope.period)
    before = scope.previous.dates() if scope.period.days > 1 else []
    first, last = min([*days, *before]), max([*days, *before])
    rows = SiteDelivery.objects.filter(
        scope.site_filter(), date__gte=first, date__lte=last, bytes__isnull=False
    )
    sent: dict[datetime.date, int] = {}
    for day, n in rows.values_list("date", "bytes"):  # a row per site of the day
        sent[day] = sent.get(day, 0) + (n or 0)
    if not any(day in sent for day in days):
        return SafeString("")
    points = []
    for index, day in enumerate(days):
        value = sent.get(day, 0)
        title = gettext("%(day)s: %(bytes)s sent") % {
            "day": long_day_text(day), "bytes": bytes_text(value),
        }  # fmt: skip
        previous = None
        if index < len(before):
            previous = sent.get(before[index], 0)
            title += "\n" + gettext("previous period, %(day)s: %(views)s") % {
                "day": long_day_text(before[index]), "views": bytes_text(previous),
            }  # fmt: skip
        kind = "" if before or day in scope.period else "muted"
        points.append(Point(day_text(day), value, title, previous, kind))
    return daily_chart(points, label=gettext("Bytes sent per day"), number=bytes_text)
