"""The changelists' CSV export, streamed: rows are written as the database hands them over.

django-import-export builds the whole file in memory, one resource call per cell: a year of a
big site (a million rows and more) never finished behind a worker timeout, its memory rising.
Here the changelist's own query (its filters, search and order) is read with ``iterator()``
(a server-side cursor on PostgreSQL), a few thousand rows at a time, and each batch becomes CSV
text at once: memory stays flat whatever the number of rows. The columns and their headers are
those of the import-export resources, which the export form still offers to choose from; every
cell is formula-escaped as the report's CSV files are (``report.csv_cells``), and objects are
named only for users who may view their model (``report.naming``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, StreamingHttpResponse
from import_export.signals import post_export

from admin_hits.report.naming import ObjectNames
from admin_hits.report.objects import attach_objects
from admin_hits.report.views.csv import csv_lines

CHUNK = 2000  # rows read, named and written at a time

#: What each column of the resources reads: (the model fields, the cell from their values).
Cell = Callable[[dict[str, Any]], Any]


def _type_label(type_id: int | None) -> str:
    if not type_id:
        return ""
    ct = ContentType.objects.get_for_id(type_id)
    return f"{ct.app_label}.{ct.model}"


CELLS: dict[str, tuple[tuple[str, ...], Cell]] = {
    "date": (("date",), lambda row: row["date"]),
    "path": (("path",), lambda row: row["path"]),
    "content_type": (("content_type_id",), lambda row: _type_label(row["content_type_id"])),
    "object_id": (("object_id",), lambda row: row["object_id"]),
    "object": (("content_type_id", "object_id"), lambda row: row["object"]),
    "views": (("views",), lambda row: row["views"]),
}


def export_rows(
    queryset: models.QuerySet, columns: Sequence[str], names: ObjectNames
) -> Iterator[list[Any]]:
    """The header (``columns``), then one list of cells per row of ``queryset``."""
    yield list(columns)
    fields = sorted({f for column in columns for f in CELLS[column][0]})
    # The changelist's queryset prefetches each row's object: tuples have none to prefetch.
    rows = queryset.prefetch_related(None).values(*fields).iterator(chunk_size=CHUNK)
    cells = [CELLS[column][1] for column in columns]
    while chunk := list(islice(rows, CHUNK)):
        if "object" in columns:
            _name_objects(chunk, names)
        for row in chunk:
            yield [cell(row) for cell in cells]


def _name_objects(rows: list[dict[str, Any]], names: ObjectNames) -> None:
    """Set ``row["object"]``: the object's name, for those whose model the user may view (their
    objects fetched with one query per model), its model and id for the others."""
    refs: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["content_type_id"], row["object_id"])
        if key[0] and key not in refs and names.may_name(key[0]):
            refs[key] = {"object_type": key[0], "object_pk": key[1]}
    attach_objects(refs.values())
    for row in rows:
        type_id, object_pk = row["content_type_id"], row["object_id"]
        if not type_id:
            row["object"] = ""
        elif (type_id, object_pk) in refs:
            row["object"] = names.of_row(refs[type_id, object_pk])
        else:
            row["object"] = names.of(type_id, object_pk, None)


def _batched_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text of ``CHUNK`` rows at a time: fewer, larger writes to the client."""
    lines = csv_lines(_plain_cells(rows))
    while batch := "".join(islice(lines, CHUNK)):
        yield batch


def _plain_cells(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in row]


def export_response(
    queryset: models.QuerySet, columns: Sequence[str], names: ObjectNames, filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download of ``queryset``'s rows, the file named ``filename``."""
    rows = export_rows(queryset, columns, names)
    response = StreamingHttpResponse(_batched_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class StreamingExportMixin:
    """For an ``ExportMixin`` admin: the export form as import-export shows it, the file
    streamed by ``export_response``, with the columns chosen in the form.

    import-export (4.x) writes the file in ``_do_file_export``; it is replaced whole, so that
    nothing builds the file in memory.
    """

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        names = ObjectNames(request, self.admin_site)  # type: ignore[attr-defined]
        return {**super().get_export_resource_kwargs(request, **kwargs), "names": names}  # type: ignore[misc]

    def _do_file_export(
        self, file_format: Any, request: HttpRequest, queryset: models.QuerySet,
        export_form: Any = None,
    ) -> StreamingHttpResponse:  # fmt: skip
        admin: Any = self
        if not admin.has_export_permission(request):
            raise PermissionDenied
        resource_class = admin.choose_export_resource_class(export_form, request)
        resource = resource_class(**admin.get_export_resource_kwargs(request))
        order = resource.get_export_order()
        chosen = admin.get_export_resource_fields_from_form(export_form)
        columns = [name for name in order if not chosen or name in chosen]
        filename = admin.get_export_filename(request, queryset, file_format)
        post_export.send(sender=None, model=admin.model)
        return export_response(queryset, columns, resource.names, filename)
