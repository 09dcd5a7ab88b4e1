"""Query expressions linking content objects to their ``Hits`` rows (text ``object_id``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import CharField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, Substr

from admin_hits.models.hits import Hits


def pk_as_text(model: type[models.Model], expression: Any) -> Any:
    """``expression`` (the model's pk) as the text ``Hits.object_id`` holds: ``str(obj.pk)``.

    Databases without a UUID type (SQLite, MySQL) store UUIDs as 32 hex digits, while
    ``str(uuid)`` has hyphens; rebuild them so the comparison can use the ``object_id`` index.
    """
    text = Cast(expression, CharField())
    connection = connections[router.db_for_read(model)]
    if isinstance(model._meta.pk, models.UUIDField) and not (
        connection.features.has_native_uuid_field
    ):
        dash = Value("-")
        parts = [Substr(text, 1, 8), dash, Substr(text, 9, 4), dash, Substr(text, 13, 4)]
        parts += [dash, Substr(text, 17, 4), dash, Substr(text, 21, 12)]
        return Concat(*parts, output_field=CharField())
    return text


def views_between(model: type[models.Model], first: datetime.date, last: datetime.date) -> Coalesce:
    """Per-row sum of the model's ``Hits`` from ``first`` to ``last``, as a correlated
    subquery."""
    rows = (
        Hits.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=pk_as_text(model, OuterRef("pk")),
            date__range=(first, last),
        )
        .order_by()
        .values("content_type")
        .annotate(total=Sum("views"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=models.BigIntegerField()), 0)
