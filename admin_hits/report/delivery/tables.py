"""The "Slow pages" table: the period's most requested pages by their 95th percentile response
time, with the median, the 99th percentile and the bytes sent (rows from
``report.delivery_queries``)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import views_text
from admin_hits.report.tables import NUMBER, ObjectLinks, PathCells, ReportTable


def milliseconds_text(value: float | None) -> str:
    """``1234.5`` as "1,235 ms", under 10 ms with a decimal ("2.4 ms"), "—" without one."""
    if value is None:
        return "—"
    shown = round(value, 1) if value < 10 else round(value)
    decimals = 1 if value < 10 else 0
    # A no-break space: a narrow figure keeps its unit beside it.
    return f"{number_format(shown, decimal_pos=decimals, force_grouping=True)}\u00a0ms"


def bytes_text(value: int | None) -> str:
    """Bytes in the largest unit that keeps a number over 1 (1,000-based, as disks and
    networks count): "12.3 MB"; "—" without one."""
    if value is None:
        return "—"
    size = float(value)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            places = 0 if unit == "B" else 1
            shown = number_format(round(size, places), decimal_pos=places, force_grouping=True)
            return f"{shown}\u00a0{unit}"
        size /= 1000
    return ""  # not reached: TB takes any size


def _time_column(name: str) -> tables.Column:
    column = tables.Column(verbose_name=name, attrs=NUMBER, order_by=(name, "path_hash"))
    column.export_header = f"{name}, ms"  # the CSV holds numbers: milliseconds
    return column


class SlowPagesTable(PathCells, ObjectLinks, ReportTable):
    """Pages by their 95th percentile response time (the time within which 95 requests of 100
    were served), the period's percentiles merged from its days' sketches (1% accuracy)."""

    needs_objects = True
    page = tables.Column(verbose_name=_("page"), order_by=("page", "path_hash"))
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    requests = tables.Column(verbose_name=_("requests"), attrs=NUMBER)
    p50 = _time_column("p50")
    p95 = _time_column("p95")
    p99 = _time_column("p99")
    bytes = tables.Column(verbose_name=_("bytes sent"), attrs=NUMBER)

    class Meta(ReportTable.Meta):
        empty_text = _("No response time is stored for this period.")
        order_by = "-p95"

    def __init__(self, data: Any, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        if not any(row.get("sized") for row in data):  # the format logs no bytes
            self.columns.hide("bytes")

    def render_requests(self, value: int) -> str:
        return views_text(value)

    def value_requests(self, value: int) -> int:
        return value

    def render_p50(self, value: float | None) -> str:
        return milliseconds_text(value)

    def value_p50(self, value: float | None) -> float | None:
        return value

    def render_p95(self, value: float | None) -> str:
        return milliseconds_text(value)

    def value_p95(self, value: float | None) -> float | None:
        return value

    def render_p99(self, value: float | None) -> str:
        return milliseconds_text(value)

    def value_p99(self, value: float | None) -> float | None:
        return value

    def render_bytes(self, value: int | None) -> str:
        return bytes_text(value)

    def value_bytes(self, value: int | None) -> int | None:
        return value


# The CSV holds numbers, the page "12.3 MB".
SlowPagesTable.base_columns["bytes"].export_header = _("bytes sent")
