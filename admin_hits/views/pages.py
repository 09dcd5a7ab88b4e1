"""What the report and the drill-down page share: period chooser, figures, chart, tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from admin_hits import periods
from admin_hits.charts import daily_chart
from admin_hits.conf import settings
from admin_hits.exceptions import StoreError
from admin_hits.models import Hits
from admin_hits.reports.formatting import (
    BAD,
    GOOD,
    NEUTRAL,
    change_html,
    range_text,
    views_text,
)
from admin_hits.reports.objects import attach_objects
from admin_hits.reports.scope import LiveDay, Scope
from admin_hits.reports.sections import Section, groups_of
from admin_hits.reports.series import Series
from admin_hits.reports.totals import Totals
from admin_hits.tables import ReportTable
from admin_hits.views.access import can_export
from admin_hits.views.forms import PRESET_LABELS, PeriodForm


@dataclass
class Link:
    label: Promise | str
    url: str
    selected: bool = False


@dataclass
class Figure:
    """A headline figure: its value, the previous period's, and where it refreshes from."""

    label: Promise | str
    value: int | None
    previous: int | None = None
    live_url: str = ""
    help: Promise | str = ""
    rising: str = GOOD

    @classmethod
    def views(cls, series: Any, period: Any, live_url: str) -> Figure:
        """The period's views next to the previous period's (refreshed live when today)."""
        label = gettext("Views today") if period.is_live else gettext("Views")
        return cls(label, series.current, series.previous, live_url if period.is_live else "")

    @property
    def text(self) -> str:
        return "—" if self.value is None else views_text(self.value)

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else views_text(self.previous)

    @property
    def change(self) -> SafeString | str:
        if self.value is None or self.previous is None:
            return ""
        return change_html(self.value, self.previous, self.rising)


VISITORS_HELP = _(
    "Unique visitors of each day, added up over the days: someone who came on two days "
    "counts twice."
)
#: label, explanation, and what a rise means (see ``change_html``)
FIGURE_LABELS: dict[str, tuple[Promise, Promise, str]] = {
    "visitors": (_("Visitors"), VISITORS_HELP, GOOD),
    "bot_views": (
        _("Bot views"),
        _("Views by crawlers and other robots, not in the views."),
        NEUTRAL,
    ),  # fmt: skip
    "not_found": (_("404 responses"), _("Requests of paths that do not exist."), BAD),
}


def uncompared(figures: list[Figure]) -> list[Figure]:
    """``figures`` without the previous period's values: no change, no "vs 0"."""
    return [replace(figure, previous=None) for figure in figures]


def traffic_figures(totals: Totals, names: Sequence[str]) -> list[Figure]:
    """The classification's figures that exist for the period (none for unclassified days)."""
    figures = []
    for name in names:
        current, previous = totals.get(name)
        if current is not None:
            label, help_text, rising = FIGURE_LABELS[name]
            figures.append(Figure(label, current, previous, help=help_text, rising=rising))
    return figures


@dataclass
class TableBlock:
    section: Section
    table: ReportTable
    export_url: str = ""
    filters: list[Link] = field(default_factory=list)


def query_url(params: QueryDict | dict[str, Any], **changes: Any) -> str:
    """``?`` and the query string of ``params`` with ``changes``; None values are left out."""
    if isinstance(params, QueryDict):
        query = params.copy()
    else:
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in params.items() if v is not None})
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return "?" + query.urlencode()


class ReportPage(TemplateView):
    """Base of the two report pages; ``admin_site`` is the site they are mounted on."""

    admin_site: admin.AdminSite = admin.site
    sections: Sequence[Section] = ()

    def scope(self, **narrow: Any) -> Scope:
        """The request's period and previous period; today's live counts when it is today."""
        self.form = PeriodForm(self.request.GET or None, today=timezone.localdate())
        period = self.form.chosen
        scope = Scope(period, periods.previous(period), **narrow)
        if period.is_live:
            try:
                scope.live = self.read_live(scope)
            except StoreError as exc:
                scope.live_error = str(exc)
        return scope

    def read_live(self, scope: Scope) -> LiveDay:
        if scope.ref is None:
            return LiveDay.read(scope.period.end)
        if scope.obj is None:  # deleted: nobody views it any more
            return LiveDay(scope.period.end, {})
        return LiveDay.read_object(scope.obj, scope.period.end)

    def active_group(self) -> str:
        groups = [key for key, _ in groups_of(self.sections)]
        asked = self.request.GET.get("tab", "")
        return asked if asked in groups else groups[0]

    def section_scope(self, section: Section, scope: Scope) -> Scope:
        """``scope`` narrowed to the model chosen for ``section``, when it offers the choice."""
        if not section.model_filter:
            return scope
        choices = hits_models(self.admin_site)
        return replace(scope, content_type=chosen_model(choices, self.request.GET, section))

    def tables(
        self, scope: Scope, export_url: Callable[[Section], str], *, compare: bool = True
    ) -> list[TableBlock]:
        """The active tab's tables, sorted and paginated as the request asks, objects attached;
        without the previous period's columns when it holds no data (``compare`` False)."""
        group = self.active_group()
        exports = can_export(self.request.user)
        blocks = []
        for section in self.sections:
            if section.group != group:
                continue
            narrowed = self.section_scope(section, scope)
            table = section.build(narrowed, self.admin_site.name)
            RequestConfig(self.request, paginate={"per_page": table._meta.per_page}).configure(
                table
            )
            if not compare:
                table.hide_comparison()
            block = TableBlock(section, table, export_url(section) if exports else "")
            if section.model_filter:
                choices = hits_models(self.admin_site)
                block.filters = model_filters(
                    choices, self.request.GET, narrowed.content_type, model_key(section)
                )
            blocks.append(block)
        # One query per model for the objects of every table on the page, not one per table.
        attach_objects(
            record for block in blocks if block.table.needs_objects
            for record in block.table.page_records()
        )  # fmt: skip
        return blocks

    def chart(self, series: Series, label: str, *, compare: bool = True) -> SafeString:
        return daily_chart(series.points(compare=compare), label=label, number=views_text)

    def base_context(self, scope: Scope, title: str, *, compare: bool = True) -> dict[str, Any]:
        """What both pages show; ``compare`` False says the previous period holds no data."""
        request = self.request
        params = request.GET
        group = self.active_group()
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": Hits._meta,
            "scope": scope,
            "form": self.form,
            "period_text": range_text(scope.period.start, scope.period.end),
            "previous_text": range_text(scope.previous.start, scope.previous.end),
            "compare": compare,
            "presets": [
                Link(
                    label,
                    query_url({"period": key, "tab": params.get("tab")}),
                    scope.period.preset == key,
                )
                for key, label in PRESET_LABELS.items()
                if key != periods.CUSTOM
            ],  # fmt: skip
            "tabs": [
                Link(label, query_url(params, tab=key), key == group)
                for key, label in groups_of(self.sections)
            ],
            "live_interval": settings.LIVE_INTERVAL,
            "can_export": can_export(request.user),
        }


def hits_models(site: admin.AdminSite) -> dict[int, type[models.Model]]:
    """``{content type id: model}`` of the models whose admin on ``site`` shows hits."""
    from admin_hits.admin_mixins import HitsAdminMixin  # the admin imports the views

    chosen = [m for m, a in site._registry.items() if isinstance(a, HitsAdminMixin)]
    types = ContentType.objects.get_for_models(*chosen) if chosen else {}
    return {ct.pk: model for model, ct in types.items()}


def model_key(section: Section) -> str:
    return f"{section.slug}-model"


def chosen_model(
    choices: dict[int, type[models.Model]], params: QueryDict, section: Section
) -> ContentType | None:
    """The model picked by ``?<slug>-model=<content type id>``, when it is one of ``choices``."""
    value = params.get(model_key(section), "")
    if not value.isdigit() or int(value) not in choices:
        return None
    return ContentType.objects.get_for_id(int(value))


def model_filters(
    choices: dict[int, type[models.Model]],
    params: QueryDict,
    chosen: ContentType | None,
    key: str,
) -> list[Link]:
    """ "All" and one link per model, for the top objects table (none for a single model)."""
    if len(choices) < 2:
        return []
    links = [Link(gettext("All"), query_url(params, **{key: None}), chosen is None)]
    by_name = sorted(choices.items(), key=lambda item: str(item[1]._meta.verbose_name_plural))
    for type_id, model in by_name:
        selected = chosen is not None and chosen.pk == type_id
        links.append(
            Link(model._meta.verbose_name_plural, query_url(params, **{key: type_id}), selected)
        )
    return links


def object_of(type_id: int, object_pk: str) -> tuple[ContentType, models.Model | None]:
    """The object a drill-down URL names; None when it is gone (its rows may remain).

    Raises ``ContentType.DoesNotExist`` for an unknown content type.
    """
    ct = ContentType.objects.get_for_id(type_id)
    model = ct.model_class()
    if model is None:
        return ct, None
    try:
        return ct, model._default_manager.get(pk=model._meta.pk.to_python(object_pk))
    except (model.DoesNotExist, ValidationError):
        return ct, None
