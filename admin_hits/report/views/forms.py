"""The period chooser of the report pages: a preset, or a custom range, from GET parameters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from admin_hits.models import periods

PRESET_LABELS = {
    periods.TODAY: _("Today (live)"),
    periods.YESTERDAY: _("Yesterday"),
    periods.LAST_7_DAYS: _("Last 7 days"),
    periods.LAST_30_DAYS: _("Last 30 days"),
    periods.THIS_MONTH: _("This month"),
    periods.LAST_MONTH: _("Last month"),
    periods.CUSTOM: _("Custom range"),
}
ERRORS = {
    "reversed": _("The range starts after it ends."),
    "future": _("The range can not end after today."),
    "too_long": _("A range can be at most %(days)s days long."),
    "too_early": _("The range can not start before %(earliest)s."),
}


class PeriodForm(forms.Form):
    """``?period=<preset>``, or ``?period=custom&start=YYYY-MM-DD&end=YYYY-MM-DD``."""

    period = forms.ChoiceField(
        label=_("Period"), choices=list(PRESET_LABELS.items()), required=False
    )
    # Browsers' date pickers submit ISO dates whatever the language.
    start = forms.DateField(label=_("From"), required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(label=_("To"), required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, data: Any, *, today: datetime.date) -> None:
        super().__init__(data)
        self.today = today

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        preset = data.get("period") or (periods.CUSTOM if start or end else periods.DEFAULT)
        try:
            data["resolved"] = periods.resolve(preset, self.today, start, end)
        except periods.PeriodError as exc:
            raise forms.ValidationError(
                ERRORS[exc.code],
                code=exc.code,
                params={"days": periods.MAX_DAYS, "earliest": periods.EARLIEST.isoformat()},
            ) from None
        return data

    @property
    def chosen(self) -> periods.Period:
        """The period asked for; the default when the parameters are not valid."""
        if self.is_valid():
            return self.cleaned_data["resolved"]
        return periods.resolve(periods.DEFAULT, self.today)
