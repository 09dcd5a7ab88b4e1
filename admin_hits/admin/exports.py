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

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from operator import itemgetter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast
from django.http import HttpRequest, StreamingHttpResponse
from import_export.signals import post_export

from admin_hits.report.csv_cells import PLAIN_FIRST, escape_formula
from admin_hits.report.naming import ObjectNames
from admin_hits.report.objects import attach_objects

CHUNK = 2000  # rows read, named and written at a time
NAMES_KEPT = 100_000  # object names remembered across chunks (a year's rows name the same ones)

#: The columns every resource offers first, in the order ``_Cells`` builds them; its figures
#: (``views``; a page's ``requests``, percentiles and bytes) follow, read as they are stored.
BASE = ("date", "path", "content_type", "object_id", "object")
COLUMNS = (*BASE, "views")


class _Cells:
    """Turns ``(date text, path, content type id, object id, *figures)`` into a row's cells."""

    def __init__(self, names: ObjectNames, wants_names: bool) -> None:
        self.names, self.wants_names = names, wants_names
        self.labels: dict[int | None, str] = {None: ""}
        self.known: dict[tuple[int, str], str] = {}

    def label(self, type_id: int | None) -> str:
        if type_id not in self.labels:
            ct = ContentType.objects.get_for_id(type_id)  # type: ignore[arg-type]  # None is cached above
            self.labels[type_id] = escape_formula(f"{ct.app_label}.{ct.model}")
        return self.labels[type_id]

    def learn(self, chunk: list[tuple[Any, ...]]) -> None:
        """Remember the names of the chunk's objects: those whose model the user may view
        fetched with one query per model, the others by model and id."""
        if not self.wants_names:
            return
        if len(self.known) > NAMES_KEPT:
            self.known.clear()
        wanted: dict[tuple[int, str], dict[str, Any]] = {}
        for row in chunk:
            key = (row[2], row[3])
            if key[0] and key not in self.known and key not in wanted:
                if self.names.may_name(key[0]):
                    wanted[key] = {"object_type": key[0], "object_pk": key[1]}
                else:
                    self.known[key] = escape_formula(self.names.of(key[0], key[1], None))
        attach_objects(wanted.values())
        self.known.update(
            (key, escape_formula(self.names.of_row(ref))) for key, ref in wanted.items()
        )

    def __call__(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """The row's cells, escaped (``escape_formula``, checked inline for speed: the
        names and labels were escaped once, the date is the database's ISO text; the figures
        are numbers)."""
        day, path, type_id, object_id, *figures = row
        name = self.known.get((type_id, object_id), "") if self.wants_names else ""
        if path[:1] not in PLAIN_FIRST:
            path = escape_formula(path)
        if object_id[:1] not in PLAIN_FIRST:
            object_id = escape_formula(object_id)
        return (day, path, self.label(type_id), object_id, name, *figures)


def export_chunks(
    queryset: models.QuerySet,
    columns: Sequence[str],
    names: ObjectNames,
    figures: Sequence[str] = ("views",),
) -> Iterator[Sequence[Sequence[Any]]]:
    """The header (``columns``), then the rows of ``queryset`` as cells, ``CHUNK`` at a time;
    ``figures``: the model's numeric fields the resource offers after ``BASE``."""
    yield [list(columns)]
    has_path = any(f.name == "path" for f in queryset.model._meta.fields)
    # The date as the database writes it (ISO): no date object made and formatted per row.
    fields = [Cast("date", models.CharField()), "path" if has_path else Value(""),
              "content_type_id", "object_id", *figures]  # fmt: skip
    # The changelist's queryset prefetches each row's object: tuples have none to prefetch.
    rows = queryset.prefetch_related(None).values_list(*fields).iterator(chunk_size=CHUNK)
    cells = _Cells(names, "object" in columns)
    offered = (*BASE, *figures)
    picked = [offered.index(column) for column in columns]
    pick = None if picked == list(range(len(offered))) else itemgetter(*picked)
    while chunk := list(islice(rows, CHUNK)):
        cells.learn(chunk)
        full = [cells(row) for row in chunk]
        if pick is None:
            yield full
        elif len(picked) == 1:
            yield [(pick(row),) for row in full]
        else:
            yield [pick(row) for row in full]


def _csv_text(chunks: Iterable[Sequence[Sequence[Any]]]) -> Iterator[str]:
    """Each chunk of rows as one piece of CSV text: fewer, larger writes to the client."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for chunk in chunks:
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def export_response(
    queryset: models.QuerySet,
    columns: Sequence[str],
    names: ObjectNames,
    filename: str,
    figures: Sequence[str] = ("views",),
) -> StreamingHttpResponse:
    """A streamed CSV download of ``queryset``'s rows, the file named ``filename``."""
    chunks = export_chunks(queryset, columns, names, figures)
    response = StreamingHttpResponse(_csv_text(chunks), content_type="text/csv; charset=utf-8")
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
        names = ObjectNames(request, self.admin_site)  # type: ignore[attr-defined]  # a ModelAdmin's
        given = super().get_export_resource_kwargs(request, **kwargs)  # type: ignore[misc]  # ExportMixin's
        return {**given, "names": names}

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
        figures = [name for name in order if name not in BASE]
        return export_response(queryset, columns, resource.names, filename, figures)
