"""The report's django-tables2 tables: sortable, paginated, and exportable cell by cell.

Every table renders rows shaped by ``admin_hits.report.queries``: ``current`` and
``previous`` views plus the keys of what was viewed. Rendered cells escape everything (paths
and names come from visitors and editors); ``value_*`` methods give the plain values a CSV
export writes. Pages are fetched without a ``COUNT`` query (``LazyPaginator``).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from itertools import islice
from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tables2.paginators import LazyPaginator
from django_tables2.rows import BoundRow
from django_tables2.utils import signature

from admin_hits.report.charts import share_bar
from admin_hits.report.formatting import (
    GOOD,
    change_html,
    change_percent,
    long_day_text,
    views_text,
)
from admin_hits.report.naming import ObjectNames
from admin_hits.report.objects import attach_objects, model_name, object_report_url

PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 10**6
EXPORT_CHUNK = 500
PERIOD_PARAMS = ("period", "start", "end")  # the report's period chooser (views.forms)
PATH_LENGTH = 90  # characters of a path shown in a cell; the title and the CSV have it all
TITLE_LENGTH = 2000
NAME_LENGTH = 70  # characters of an object's name in a cell; its title has it all

NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}


class ReportTable(tables.Table):
    """Base of the report tables; ``site_name`` is the admin site that links point into."""

    needs_objects = False
    rising = GOOD  # what a rise means in this table (see ``change_html``)

    class Meta:
        template_name = "admin/admin_hits/table.html"
        attrs = {"class": "admin-hits-table"}
        empty_text = _("No views in this period.")
        per_page = PER_PAGE
        order_by = "-current"

    def __init__(self, data: Any, *, site_name: str = "admin", **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.site_name = site_name
        # Who reads the table: objects are named only for users who may view their model
        # (``admin_hits.report.naming``); until the view says who, nobody's are.
        self.names = ObjectNames(None, None)
        self._page_max: tuple[Any, int] | None = None  # (the page, its highest figure)

    def paginate(
        self, paginator_class: type = LazyPaginator, per_page: int | None = None, *args: Any,
        page: int = 1, **kwargs: Any,
    ) -> ReportTable:  # fmt: skip
        # ``?<prefix>per_page=`` and ``?<prefix>page=`` come from the request: capped, so
        # nobody asks for a million rows, nor for an offset past what the database's integers
        # hold (an error, not an empty page). A page past the end shows the last one.
        per_page = min(per_page if per_page and per_page > 0 else self._meta.per_page, MAX_PER_PAGE)
        page = min(page, MAX_PAGE) if isinstance(page, int) else page
        super().paginate(paginator_class, per_page, *args, page=page, **kwargs)
        return self

    @property
    def page_max(self) -> int:
        """The highest figure of the page shown, which the share bars are drawn against. Of
        the page shown: ``RequestConfig`` swaps the page for another when it is past the end."""
        page = getattr(self, "page", None)
        if self._page_max is None or self._page_max[0] is not page:
            highest = max((r.get("current", 0) for r in self.page_records()), default=0)
            self._page_max = (page, highest)
        return self._page_max[1]

    def page_records(self) -> list[dict[str, Any]]:
        """The rows of the current page (all rows when not paginated)."""
        if hasattr(self, "page"):
            return [row.record for row in self.page.object_list]
        return list(self.data)

    def export_rows(self) -> Iterator[list[Any]]:
        """The header, then every row of the table (not only the page) as plain values."""
        columns = [c for c in self.columns if not c.column.exclude_from_export]
        yield [str(getattr(c.column, "export_header", None) or c.header) for c in columns]
        values = {c.name: (c.value, *signature(c.value)) for c in columns}
        records = iter(self.data)
        while chunk := list(islice(records, EXPORT_CHUNK)):
            if self.needs_objects:
                attach_objects(chunk)
            for record in chunk:
                row = _ExportRow(record, table=self, values=values)
                yield [row.get_cell_value(c.name) for c in columns]

    def hide_comparison(self) -> None:
        """Hide the previous period's columns, for a previous period without data (all 0 and
        "new"). Only on the page: a CSV keeps them, so that files of any period have the same
        columns (the export builds its own table)."""
        for name in ("previous", "change"):
            if name in self.columns:
                self.columns.hide(name)

    # The figures every table shows.

    def render_current(self, value: int) -> SafeString:
        fraction = value / self.page_max if self.page_max else 0
        return format_html(
            '<span class="admin-hits-figure">{}</span>{}', views_text(value), share_bar(fraction)
        )

    def value_current(self, value: int) -> int:
        return value

    def render_previous(self, value: int) -> str:
        return views_text(value)

    def value_previous(self, value: int) -> int:
        return value

    def rising_of(self, record: dict[str, Any]) -> str:
        return self.rising

    def render_change(self, record: dict[str, Any]) -> SafeString:
        return change_html(record["current"], record["previous"], self.rising_of(record))

    def value_change(self, record: dict[str, Any]) -> float | None:
        return change_percent(record["current"], record["previous"])


class _ExportRow(BoundRow):
    """A row of an export, whose cells call each column's value function as tables2 does but
    with its arguments looked up once per export (``values``: name -> function, argument
    names, name of its ``**kwargs``), not once per cell: ``inspect.signature`` was most of the
    time of a 10,000-row CSV."""

    def __init__(self, record: Any, *, table: ReportTable, values: dict[str, Any]) -> None:
        super().__init__(record, table=table)
        self.values = values

    def _call_value(self, bound_column: Any, value: Any = None) -> Any:
        function, names, any_names = self.values[bound_column.name]
        given = self._optional_cell_arguments(bound_column, value)
        if any_names:
            return function(**given)
        if any(name not in given for name in names):
            return None  # as ``call_with_appropriate``
        return function(**{name: given[name] for name in names})


def views_column(*tie_breakers: str, verbose_name: Any = None) -> tables.Column:
    return tables.Column(
        accessor="current",
        verbose_name=verbose_name or _("views"),
        order_by=("current", *tie_breakers),
        attrs=NUMBER,
    )


def previous_column(*tie_breakers: str) -> tables.Column:
    return tables.Column(
        accessor="previous",
        verbose_name=_("previous period"),
        order_by=("previous", *tie_breakers),
        attrs=NUMBER,
    )


def change_column() -> tables.Column:
    column = tables.Column(verbose_name=_("change"), empty_values=(), orderable=False, attrs=NUMBER)
    column.export_header = _("change, %")  # the CSV holds numbers, the page "+12%"
    return column


class ObjectLinks:
    """An ``object`` column: the row's object, linked to its drill-down page for the same
    period (the figure beside the link is the period's: the page must show it too)."""

    site_name: str  # a ReportTable's

    def render_object(self, record: dict[str, Any]) -> SafeString | str:
        if record.get("object_type") is None:
            return "—"
        name = self.names.of_row(record)  # type: ignore[attr-defined]  # a ReportTable's
        shown = Truncator(name).chars(NAME_LENGTH)
        site = self.site_name
        url = object_report_url(site, record["object_type"], record["object_pk"])
        if not url:
            return format_html('<span title="{}">{}</span>', name, shown)
        url += self.period_query
        return format_html('<a href="{}" title="{}">{}</a>', url, name, shown)

    @cached_property
    def period_query(self) -> str:
        """``?period=...`` (with ``start`` and ``end``) of the page the table is on."""
        request = getattr(self, "request", None)
        params = request.GET if request is not None else {}
        kept = {key: params[key] for key in PERIOD_PARAMS if params.get(key)}
        return f"?{urlencode(kept)}" if kept else ""

    def value_object(self, record: dict[str, Any]) -> str:
        if record.get("object_type") is None:
            return ""
        return self.names.of_row(record)  # type: ignore[attr-defined]  # a ReportTable's


class PathCells:
    """A ``page`` column: the path as logged, shortened on screen, whole in the title and CSV."""

    def render_page(self, value: str) -> SafeString:
        shown = Truncator(value).chars(PATH_LENGTH)
        title = Truncator(value).chars(TITLE_LENGTH)
        return format_html('<code class="admin-hits-path" title="{}">{}</code>', title, shown)

    def value_page(self, value: str) -> str:
        return value


class ObjectsTable(ObjectLinks, ReportTable):
    """Objects by views, of every model or of one (then the ``type`` column is left out)."""

    needs_objects = True
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    object_type = tables.Column(verbose_name=_("type"), orderable=False)
    current = views_column("object_type", "object_pk")
    previous = previous_column("object_type", "object_pk")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No object was viewed in this period.")

    def render_object_type(self, value: int) -> str:
        return model_name(value)

    def value_object_type(self, value: int) -> str:
        return model_name(value)


class PagesTable(PathCells, ObjectLinks, ReportTable):
    """Paths by views, with the object each one shows when it was matched to one."""

    needs_objects = True
    page = tables.Column(verbose_name=_("path"), order_by=("page", "path_hash"))
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    current = views_column("path_hash")
    previous = previous_column("path_hash")
    change = change_column()

    class Meta(ReportTable.Meta):
        pass


class PathsTable(PathCells, ReportTable):
    """Paths by views, without objects: unmatched paths, or the paths of one object."""

    page = tables.Column(verbose_name=_("path"), order_by=("page", "path_hash"))
    current = views_column("path_hash")
    previous = previous_column("path_hash")
    change = change_column()

    class Meta(ReportTable.Meta):
        empty_text = _("No such path was viewed in this period.")


class DaysTable(ReportTable):
    """One row per day of the period: the object's daily views."""

    date = tables.Column(verbose_name=_("date"))
    current = views_column("date")

    class Meta(ReportTable.Meta):
        order_by = "-date"
        per_page = 31  # a month on one page
        empty_text = _("No day in this period.")

    def render_date(self, value: Any) -> str:
        return long_day_text(value)

    def value_date(self, value: Any) -> str:
        return value.isoformat()
