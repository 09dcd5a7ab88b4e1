"""The week's hours as a heatmap: weekdays by hours of the day, drawn on the server as SVG.

Like ``charts.py``: values and already translated texts in, safe markup out, no JavaScript.
Each cell has a ``<title>`` (its weekday, hour and views) and the whole an accessible name that
says the busiest hour; the hours table beside it gives the same figures as text and CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from admin_hits.report.charts import _num, _text

LEVELS = 5  # shades besides "none": CSS classes level-1 .. level-5


def level(value: int, highest: int) -> int:
    """The shade of ``value`` (0: no views; 1..LEVELS by its share of ``highest``)."""
    if value <= 0 or highest <= 0:
        return 0
    return max(1, min(LEVELS, -(-value * LEVELS // highest)))


def heatmap(
    grid: Sequence[Sequence[int]], *, label: str, number: Callable[[int], str] = str,
    cell: int = 28, gap: int = 2,
) -> SafeString:  # fmt: skip
    """Weekdays (rows, Monday first) by hours (columns, 0-23) of ``grid``'s views."""
    left, top = 40, 18
    highest = max((max(row, default=0) for row in grid), default=0)
    width = left + 24 * (cell + gap)
    height = top + len(grid) * (cell + gap)
    parts = [
        f'<svg class="admin-hits-heatmap" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_text(_summary(grid, label, number))}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for hour in range(0, 24, 3):
        x = left + hour * (cell + gap) + cell / 2
        parts.append(f'<text class="axis" x="{_num(x)}" y="12" text-anchor="middle">{hour}</text>')
    for weekday, row in enumerate(grid):
        y = top + weekday * (cell + gap)
        name = _text(str(WEEKDAYS_ABBR[weekday]))
        parts.append(
            f'<text class="axis" x="{left - 6}" y="{_num(y + cell * 0.65)}" '
            f'text-anchor="end">{name}</text>'
        )
        for hour, value in enumerate(row):
            x = left + hour * (cell + gap)
            title = gettext("%(day)s %(hour)02d:00-%(hour)02d:59: %(views)s views") % {
                "day": WEEKDAYS_ABBR[weekday], "hour": hour, "views": number(value),
            }  # fmt: skip
            parts.append(
                f'<rect class="cell level-{level(value, highest)}" x="{x}" y="{y}" '
                f'width="{cell}" height="{cell}" rx="3"><title>{_text(title)}</title></rect>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # safe: numbers and escaped texts only


def _summary(grid: Sequence[Sequence[int]], label: str, number: Callable[[int], str]) -> str:
    cells = [(value, day, hour) for day, row in enumerate(grid) for hour, value in enumerate(row)]
    if not cells or max(cells)[0] <= 0:
        return gettext("%(label)s: no views") % {"label": label}
    value, day, hour = max(cells, key=lambda c: (c[0], -c[1], -c[2]))
    return gettext("%(label)s: the most views, %(views)s, on %(day)s at %(hour)02d:00") % {
        "label": label, "views": number(value), "day": WEEKDAYS_ABBR[day], "hour": hour,
    }  # fmt: skip
