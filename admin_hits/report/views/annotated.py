"""The events the report pages mark on their daily charts and list under them."""

from __future__ import annotations

from functools import partial

from admin_hits.report.annotations import Event, launch_events, marks, object_events
from admin_hits.report.chart_marks import Mark
from admin_hits.report.editorial.recent_launches import launch_models, published_in
from admin_hits.report.scope import Scope
from admin_hits.report.series import chart_days


def object_annotations(scope: Scope) -> tuple[list[Event], list[Mark]]:
    """An object's publication and admin edits on the days of its chart."""
    if scope.ref is None:
        return [], []
    days = chart_days(scope.period)
    events = object_events(scope.obj, scope.ref, days)
    return events, marks(events, days)


def site_annotations(scope: Scope) -> tuple[list[Event], list[Mark]]:
    """The days of the report's chart on which objects were published."""
    days = chart_days(scope.period)
    lookup = partial(published_in, scope)
    events = launch_events(launch_models(scope), days, scope.owner, lookup)
    return events, marks(events, days)
