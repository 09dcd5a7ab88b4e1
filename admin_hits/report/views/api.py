"""The report pages as JSON: ``?format=json`` or ``Accept: application/json`` on any report
page, tab or drill-down gives the figures the page shows, with the same period, tab, model
filter, sorting and paging parameters and the same permissions (docs/api.md).

Numbers are numbers and dates ISO strings: every cell is the plain value the CSV export
writes (``value_*`` of the table), never the formatted text of the page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django_tables2.rows import BoundRow

from admin_hits.models.periods import Period, change
from admin_hits.report.series import Series

#: Bumped when a field changes meaning or goes away (new fields do not bump it).
VERSION = 1


def wants_json(request: HttpRequest) -> bool:
    """``?format=json``, an API token (scripts read JSON, not pages), or an ``Accept`` header
    that prefers JSON to HTML."""
    if request.GET.get("format") == "json" or getattr(request, "admin_hits_token", False):
        return True
    if "application/json" not in request.headers.get("Accept", ""):
        return False
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return preferred == "application/json"


def json_response(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False},
                        headers={"Cache-Control": "private, no-store"})  # fmt: skip


def page_json(context: dict[str, Any], tabs: list[tuple[str, Any]], active: str) -> dict[str, Any]:
    """What a report page shows, from its template context; ``tabs`` (key, label) and the
    ``active`` one."""
    scope = context["scope"]
    data: dict[str, Any] = {
        "version": VERSION,
        "site": scope.site,  # None: every site's rows
        "period": _period(scope.period),
        "previous": _period(scope.previous),
        "compare": context["compare"],
        "figures": [_figure(f) for f in context["figures"]],
        "tab": active,
        "tabs": [{"key": key, "label": str(label)} for key, label in tabs],
        "tables": [_table(block) for block in context["blocks"]],
    }
    if scope.period.is_live:
        data["live_available"] = scope.live is not None
    series = context.get("series")
    if series is not None:
        data["days"] = _days(series, scope.period)
        if context["compare"]:
            data["previous_days"] = _days(series, scope.previous)
    return data


def _period(period: Period) -> dict[str, Any]:
    return {"preset": period.preset, "start": period.start.isoformat(),
            "end": period.end.isoformat(), "days": period.days}  # fmt: skip


def _figure(figure: Any) -> dict[str, Any]:
    ratio = None
    if figure.value is not None and figure.previous is not None:
        ratio = change(figure.value, figure.previous)
    return {
        "key": figure.key,
        "label": str(figure.label),
        "value": figure.value,
        "previous": figure.previous,
        "change": None if ratio is None else round(ratio * 100, 1),
    }


def _days(series: Series, period: Period) -> list[dict[str, Any]]:
    return [{"date": day.isoformat(), "views": series.by_day.get(day, 0)}
            for day in period.dates()]  # fmt: skip


def _table(block: Any) -> dict[str, Any]:
    table = block.table
    columns = [c for c in table.columns if not c.column.exclude_from_export]
    page = getattr(table, "page", None)
    rows = []
    for record in table.page_records():
        row = BoundRow(record, table=table)
        cells = {c.name: _plain(row.get_cell_value(c.name)) for c in columns}
        if record.get("object_type") is not None:  # what scripts join on: the object's ids
            cells["ref"] = {"content_type": record["object_type"], "pk": record["object_pk"]}
        rows.append(cells)
    return {
        "slug": block.section.slug,
        "title": str(block.section.title),
        "columns": [{"name": c.name, "header": str(c.header)} for c in columns],
        "rows": rows,
        "page": page.number if page is not None else 1,
        "per_page": table.paginator.per_page if page is not None else len(rows),
        "has_next": bool(page is not None and page.has_next()),
        "filters": [
            {"label": str(f.label), "selected": f.selected, "query": f.url} for f in block.filters
        ],  # fmt: skip
    }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
