"""Sorting a changelist by "views today": today's live counts as part of the changelist's own
query, so that the database orders and pages the objects (no query per row).

Only when the changelist is sorted by that column: then the live store's paths of today are
read once and resolved to objects (as the report's "Today" does), and the ``MOST_VIEWED``
most viewed objects of the model get their count in a ``CASE``; every other object sorts as 0.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest

from admin_hits.admin.owner import request_owner
from admin_hits.exceptions import StoreError
from admin_hits.models.expressions import pk_as_text
from admin_hits.models.site_time import site_today
from admin_hits.report.scope import LiveDay

TODAY = "admin_hits_views_today_order"
MOST_VIEWED = 1000


def sorted_by(model_admin: Any, request: HttpRequest, column: str) -> bool:
    """Whether the changelist's ``o`` parameter sorts by ``column`` (at any rank)."""
    columns = list(model_admin.get_list_display(request))
    if column not in columns:
        return False
    # The admin numbers the columns as shown, the action checkbox first when there are actions
    # (``ModelAdmin.get_changelist_instance``).
    if model_admin.get_actions(request):
        columns.insert(0, "action_checkbox")
    wanted = str(columns.index(column))
    asked = request.GET.get("o", "").split(".")
    return any(part.lstrip("-") == wanted for part in asked)


def with_today_order(
    model_admin: Any, request: HttpRequest, queryset: models.QuerySet
) -> models.QuerySet:
    """``queryset`` annotated with today's live views when sorted by them (else 0 for all)."""
    if not sorted_by(model_admin, request, "views_today"):
        return queryset.annotate(**{TODAY: Value(0, output_field=IntegerField())})
    model = queryset.model
    try:
        live = LiveDay.read(site_today())
    except StoreError:
        live = LiveDay(site_today(), {})
    type_id = ContentType.objects.get_for_model(model).pk
    views = {pk: n for (ct, pk), n in live.object_views().items() if ct == type_id and n}
    owner = request_owner(request, model_admin.admin_site)
    if owner is not None:  # others' objects sort as if unviewed, as their cells are empty
        allowed = {pk for _, pk in owner.allowed((type_id, pk) for pk in views)}
        views = {pk: n for pk, n in views.items() if pk in allowed}
    top = sorted(views.items(), key=lambda item: -item[1])[:MOST_VIEWED]
    if not top:
        return queryset.annotate(**{TODAY: Value(0, output_field=IntegerField())})
    text = pk_as_text(model, "pk")
    order = Case(
        *(When(admin_hits_pk_text=pk, then=Value(n)) for pk, n in top),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.alias(admin_hits_pk_text=text).annotate(**{TODAY: order})
