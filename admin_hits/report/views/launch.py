"""The drill-down's launch section: the object's first days against its peers, on the page and
in its JSON."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from admin_hits.models.site_time import site_today
from admin_hits.report.editorial.launch_chart import launch_chart
from admin_hits.report.editorial.launches import Band, Launch, band, launch_of, ratio
from admin_hits.report.editorial.site_models import on_site
from admin_hits.report.formatting import long_day_text, views_text
from admin_hits.report.scope import Scope


def launch_context(scope: Scope) -> dict[str, Any]:
    """``launch`` (None without a publication date, or on a site whose URLconf does not show
    the object's model), ``launch_band``, ``launch_chart`` and ``launch_summary`` for the
    template."""
    obj = scope.obj
    launch = None
    if obj is not None and on_site(scope, [type(obj)]):
        launch = launch_of(obj, site_today(), scope.site)
    if launch is None or obj is None:
        return {"launch": None}
    peers = band(type(obj), launch.age, site_today(), exclude=[str(obj.pk)], owner=scope.owner,
                 site=scope.site)  # fmt: skip
    model = str(type(obj)._meta.verbose_name)
    return {
        "launch": launch,
        "launch_band": peers,
        "launch_summary": summary(launch, peers, model),
        "launch_chart": chart(launch, peers, model) if launch.age else "",
    }


def summary(launch: Launch, peers: Band, model: str) -> str:
    """ "Day 3: 2.3× a typical press release", or why there is no comparison."""
    if launch.age == 0:
        return gettext("Published today: its first day is still being counted.")
    if not peers.shown:
        if peers.peers:
            text = gettext(
                "Only one other %(model)s is old enough to compare with: no typical curve."
            )
        else:
            text = gettext("No other %(model)s is old enough to compare with: no typical curve.")
        return text % {"model": model}
    views = launch.first(launch.age)
    multiple = ratio(views, peers.median_at(launch.age))
    if multiple is None:
        return gettext("Day %(day)d: %(views)s views; a typical %(model)s had none by then.") % {
            "day": launch.age, "views": views_text(views), "model": model}  # fmt: skip
    return gettext("Day %(day)d: %(ratio)s× a typical %(model)s (%(views)s views, median "
                   "%(median)s of %(peers)s).") % {
        "day": launch.age,
        "ratio": number_format(multiple, 1),
        "model": model,
        "views": views_text(views),
        "median": number_format(peers.median_at(launch.age) or 0, 0, force_grouping=True),
        "peers": views_text(peers.peers),
    }  # fmt: skip


def chart(launch: Launch, peers: Band, model: str) -> Any:
    views = launch.cumulative()
    median = peers.median if peers.shown else []
    upper = peers.upper if peers.shown else []

    def day_title(index: int) -> str:
        day = launch.published + datetime.timedelta(days=index)
        text = ngettext(
            "Day %(number)d, %(day)s: %(views)s view so far",
            "Day %(number)d, %(day)s: %(views)s views so far",
            views[index],
        ) % {"number": index + 1, "day": long_day_text(day), "views": views_text(views[index])}
        if median:
            typical = gettext("typical %(model)s: %(median)s (top quarter from %(upper)s)")
            text += "\n" + typical % {
                "model": model,
                "median": number_format(median[index], 0, force_grouping=True),
                "upper": number_format(upper[index], 0, force_grouping=True),
            }
        return text

    label = gettext("Views since publication, day by day, against a typical %(model)s") % {
        "model": model
    }
    return launch_chart(views, median, upper, label=label, day_title=day_title, number=views_text)


def launch_json(context: dict[str, Any]) -> dict[str, Any]:
    """The drill-down JSON's launch keys, at its top level (docs/api.md)."""
    series = context.get("series")
    launch: Launch | None = context.get("launch")
    data: dict[str, Any] = {
        "views": series.current if series is not None else None,
        "published": None,
        "first_day": None,
        "first_7_days": None,
        "first_30_days": None,
        "peak_date": None,
        "launch": None,
    }
    if launch is None:
        return data
    peers: Band = context["launch_band"]
    data.update(
        published=launch.published.isoformat(),
        first_day=launch.first_day,
        first_7_days=launch.first_7_days,
        first_30_days=launch.first_30_days,
        peak_date=launch.peak_date.isoformat() if launch.peak_date else None,
        launch={
            "age_days": launch.age,
            "days": launch.days,
            "peers": peers.peers,
            "median": peers.median if peers.shown else None,
            "upper_quartile": peers.upper if peers.shown else None,
        },
    )
    return data
