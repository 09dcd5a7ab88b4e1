"""The report's editorial tables: recent launches (``recent_launches``)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from admin_hits.report.formatting import long_day_text, views_text
from admin_hits.report.objects import model_name
from admin_hits.report.tables import NUMBER, ObjectLinks, ReportTable


class LaunchesTable(ObjectLinks, ReportTable):
    """Objects published in the period, the most recent first."""

    needs_objects = True
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    object_type = tables.Column(verbose_name=_("type"), orderable=False)
    published = tables.Column(verbose_name=_("published"),
                              order_by=("published", "object_type", "object_pk"))  # fmt: skip
    current = tables.Column(verbose_name=_("first 7 days"), attrs=NUMBER,
                            order_by=("current", "object_type", "object_pk"))  # fmt: skip
    typical = tables.Column(verbose_name=_("typical"), attrs=NUMBER, orderable=False,
                            empty_values=())  # fmt: skip
    ratio = tables.Column(verbose_name=_("vs typical"), attrs=NUMBER, orderable=False,
                          empty_values=())  # fmt: skip

    class Meta(ReportTable.Meta):
        order_by = "-published"
        empty_text = _("No object was published in this period.")

    def render_object_type(self, value: int) -> str:
        return model_name(value)

    def value_object_type(self, value: int) -> str:
        return model_name(value)

    def render_published(self, value: Any) -> str:
        return long_day_text(value)

    def value_published(self, value: Any) -> str:
        return value.isoformat()

    def render_current(  # type: ignore[override]  # tables2 passes the record by name
        self, record: dict[str, Any], value: int
    ) -> SafeString:
        if record["age"] >= 7:
            return super().render_current(value)
        note = gettext("%(days)d of 7 days so far") % {"days": record["age"]}
        return format_html('{} <span class="quiet">({})</span>', views_text(value), note)

    def render_typical(self, value: float | None) -> str:
        return "—" if value is None else number_format(value, 0, force_grouping=True)

    def value_typical(self, value: float | None) -> float | None:
        return value

    def render_ratio(self, value: float | None) -> str:
        if value is None:
            return "—"
        return gettext("%(ratio)s×") % {"ratio": number_format(value, 1)}

    def value_ratio(self, value: float | None) -> float | None:
        return None if value is None else round(value, 2)


class StaleTable(ObjectLinks, ReportTable):
    """Published objects without a view in ``ADMIN_HITS_STALE_DAYS`` days, the oldest first."""

    needs_objects = True
    object = tables.Column(verbose_name=_("object"), empty_values=(), orderable=False)
    object_type = tables.Column(verbose_name=_("type"), orderable=False)
    published = tables.Column(verbose_name=_("published"),
                              order_by=("published", "object_type", "object_pk"))  # fmt: skip
    last_viewed = tables.Column(verbose_name=_("last viewed"), orderable=False, empty_values=())

    class Meta(ReportTable.Meta):
        order_by = "published"
        empty_text = _("Every published object was viewed recently.")

    def render_object_type(self, value: int) -> str:
        return model_name(value)

    def value_object_type(self, value: int) -> str:
        return model_name(value)

    def render_published(self, value: Any) -> str:
        return long_day_text(value)

    def value_published(self, value: Any) -> str:
        return value.isoformat()

    def render_last_viewed(self, value: Any) -> str:
        return gettext("never") if value is None else long_day_text(value)

    def value_last_viewed(self, value: Any) -> str:
        return "" if value is None else value.isoformat()
