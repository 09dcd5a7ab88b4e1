"""What happened to the content on the days of a chart: an object's publication and its edits
in the admin (``LogEntry`` additions and changes), or the days new objects were published.

Each ``Event`` is one line of the list under the chart; ``marks`` turns them into the chart's
marks, one per day (a day's events share its tooltip).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext, ngettext

from admin_hits.models.publication import (
    as_day,
    day_start,
    log_entries_installed,
    publication_date,
    published_between,
)
from admin_hits.report.chart_marks import Mark
from admin_hits.report.formatting import long_day_text
from admin_hits.report.owners import Owner

MAX_EDITS = 200  # edits of one object listed under its chart
NAMES_PER_DAY = 5  # objects named in a day's tooltip


@dataclass(frozen=True)
class Event:
    day: datetime.date
    kind: str  # "published", "edit" or "launches"
    text: str
    who: str = ""
    url: str = ""
    moment: datetime.datetime | None = None


def edits(type_id: int, object_pk: str, first: datetime.date, last: datetime.date) -> list[Event]:
    """The object's additions and changes in the admin from ``first`` to ``last``, oldest
    first, each with its editor and change message."""
    if not log_entries_installed():
        return []
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    rows = (
        LogEntry.objects.filter(
            content_type_id=type_id,
            object_id=object_pk,
            action_flag__in=(ADDITION, CHANGE),
            action_time__gte=day_start(first),
            action_time__lt=day_start(last + datetime.timedelta(days=1)),
        )
        .select_related("user")
        .order_by("action_time", "pk")[:MAX_EDITS]
    )
    found = []
    for entry in rows:
        added = entry.action_flag == ADDITION
        message = entry.get_change_message() or (
            gettext("Added.") if added else gettext("Changed.")
        )
        user = entry.user
        who = (user.get_full_name() or user.get_username()) if user is not None else ""
        day = as_day(entry.action_time)
        if day is not None:
            found.append(Event(day, "edit", message, who, moment=entry.action_time))
    return found


def object_events(
    obj: models.Model | None, ref: tuple[int, str], days: Sequence[datetime.date]
) -> list[Event]:
    """The publication and the edits of an object on ``days`` (a chart's), oldest first."""
    if not days:
        return []
    found = edits(ref[0], ref[1], days[0], days[-1])
    published = publication_date(obj) if obj is not None else None
    if published is not None and days[0] <= published <= days[-1]:
        found.insert(0, Event(published, "published", gettext("Published")))
    return sorted(found, key=lambda e: (e.day, e.kind != "published"))


def launch_events(
    chosen: Sequence[type[models.Model]],
    days: Sequence[datetime.date],
    owner: Owner | None,
    lookup: Callable[..., dict[str, datetime.date]] = published_between,
) -> list[Event]:
    """A line per day of ``days`` on which objects of ``chosen`` were published: how many,
    the first few named, linked to the report of that day's launches."""
    if not days:
        return []
    by_day: dict[datetime.date, list[str]] = defaultdict(list)
    for model in chosen:
        published = lookup(model, days[0], days[-1])
        if owner is not None:
            ct = ContentType.objects.get_for_model(model)
            allowed = {pk for _, pk in owner.allowed((ct.pk, pk) for pk in published)}
            published = {pk: day for pk, day in published.items() if pk in allowed}
        of_day: dict[datetime.date, list[str]] = defaultdict(list)
        for pk, day in published.items():
            of_day[day].append(pk)
        named = [pk for pks in of_day.values() for pk in pks[:NAMES_PER_DAY]]
        objects = model._default_manager.in_bulk([model._meta.pk.to_python(pk) for pk in named])
        names = {str(pk): str(obj) for pk, obj in objects.items()}
        for day, pks in of_day.items():
            by_day[day] += [names.get(pk, "") for pk in pks]
    return [_launch_event(day, by_day[day]) for day in sorted(by_day)]


def _launch_event(day: datetime.date, names: list[str]) -> Event:
    shown = [name for name in names if name][:NAMES_PER_DAY]
    text = ngettext("%(count)d object published", "%(count)d objects published", len(names)) % {
        "count": len(names)
    }
    if shown:
        text += ": " + ", ".join(shown) + (", …" if len(names) > len(shown) else "")
    query = urlencode(
        {"period": "custom", "start": day.isoformat(), "end": day.isoformat(), "tab": "content"}
    )
    return Event(day, "launches", text, url=f"?{query}#launches-table")


def marks(events: Sequence[Event], days: Sequence[datetime.date]) -> list[Mark]:
    """One mark per day of ``days`` with events: the publication's when there is one."""
    index = {day: i for i, day in enumerate(days)}
    grouped: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in events:
        if event.day in index:
            grouped[event.day].append(event)
    found = []
    for day, happened in sorted(grouped.items()):
        lines = [long_day_text(day)] + [line(event) for event in happened]
        kinds = {event.kind for event in happened}
        kind = next(k for k in ("published", "launches", "edit") if k in kinds)
        url = next((event.url for event in happened if event.url), "")
        found.append(Mark(index[day], kind, "\n".join(lines), url))
    return found


def line(event: Event) -> str:
    """An event in words: "Changed Title. (alice)"."""
    if event.who:
        return gettext("%(what)s (%(who)s)") % {"what": event.text, "who": event.who}
    return event.text
