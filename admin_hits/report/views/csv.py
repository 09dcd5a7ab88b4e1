"""CSV responses of report tables, every cell escaped as the admin's export escapes it."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from admin_hits.report.csv_cells import escape_formula


class _Line:
    """A file-like target for ``csv.writer`` that hands back each written line."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line; None is an empty cell, text that looks like a formula is not."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow(["" if cell is None else escape_formula(cell) for cell in row])


def csv_response(rows: Iterable[Iterable[Any]], *name_parts: object) -> StreamingHttpResponse:
    """Stream ``rows`` as a UTF-8 CSV download named after ``name_parts``."""
    name = "-".join(filter(None, (slugify(str(part)) for part in name_parts))) or "export"
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response
