"""django-import-export resources for the admin's CSV export, with formula escaping.

Every exported header and cell goes through ``admin_hits.report.csv_cells.escape_formula``, the
same escaping as the report's own CSV files. The admin's Export streams its file itself
(``admin_hits.admin.exports``) with these resources' columns; used directly, a resource names
objects only as its ``names`` (``admin_hits.report.naming.ObjectNames``) allow: by default, by
model and id only.
"""

from __future__ import annotations

from typing import Any

from import_export import fields, resources

from admin_hits.models import Hits, PageDelivery, PathHits
from admin_hits.report.csv_cells import escape_formula
from admin_hits.report.naming import ObjectNames


class FormulaSafeResource(resources.ModelResource):
    """A ``ModelResource`` whose exported headers and cells are all formula-escaped."""

    def __init__(self, names: ObjectNames | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.names = names or ObjectNames(None, None)

    def export_field(self, field: fields.Field, instance: Any, **kwargs: Any) -> Any:
        return escape_formula(super().export_field(field, instance, **kwargs))

    def get_export_headers(self, selected_fields: Any = None) -> list[str]:
        return [escape_formula(h) for h in super().get_export_headers(selected_fields)]


def _content_type_label(row: Hits | PathHits | PageDelivery) -> str:
    ct = row.content_type
    return f"{ct.app_label}.{ct.model}" if ct is not None else ""


def _object_text(row: Hits | PathHits | PageDelivery, names: ObjectNames) -> str:
    if not row.content_type_id:
        return ""
    if not names.may_name(row.content_type_id):
        return names.of(row.content_type_id, row.object_id, None)
    return names.of(row.content_type_id, row.object_id, row.content_object)


class HitsResource(FormulaSafeResource):
    """One row per object and day; ``object`` is the object's text as the admin shows it."""

    content_type = fields.Field(attribute="content_type", column_name="content_type")
    object = fields.Field(column_name="object")

    class Meta:
        model = Hits
        fields = ("date", "content_type", "object_id", "object", "views")
        export_order = fields

    def dehydrate_content_type(self, row: Hits) -> str:
        return _content_type_label(row)

    def dehydrate_object(self, row: Hits) -> str:
        return _object_text(row, self.names)


class PathHitsResource(FormulaSafeResource):
    """One row per path and day, with the matched object when there is one."""

    content_type = fields.Field(attribute="content_type", column_name="content_type")
    object = fields.Field(column_name="object")

    class Meta:
        model = PathHits
        fields = ("date", "path", "content_type", "object_id", "object", "views")
        export_order = fields

    def dehydrate_content_type(self, row: PathHits) -> str:
        return _content_type_label(row)

    def dehydrate_object(self, row: PathHits) -> str:
        return _object_text(row, self.names)


class PageDeliveryResource(FormulaSafeResource):
    """One row per page and day: its requests, response-time percentiles (ms) and bytes."""

    content_type = fields.Field(attribute="content_type", column_name="content_type")
    object = fields.Field(column_name="object")

    class Meta:
        model = PageDelivery
        fields = ("date", "path", "content_type", "object_id", "object", "requests", "p50",
                  "p95", "p99", "bytes")  # fmt: skip
        export_order = fields

    def dehydrate_content_type(self, row: PageDelivery) -> str:
        return _content_type_label(row)

    def dehydrate_object(self, row: PageDelivery) -> str:
        return _object_text(row, self.names)
