"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, nothing to load.

Pure functions: values and already translated, already formatted texts in, safe markup out.
Every text is escaped here. Colours are CSS classes styled with the admin's own variables in
``admin_hits.css``, so the charts follow the admin's light and dark themes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from admin_hits.report.chart_marks import Mark, marks_svg


@dataclass(frozen=True)
class Point:
    """One day of a daily chart."""

    label: str  # the x-axis text, e.g. "3 Nov"
    value: int
    title: str  # the tooltip, e.g. "Mon 3 Nov 2025: 1,234 views"
    previous: int | None = None  # the same day of the previous period
    # "live": still being counted (today); "muted": shown for context only; "pending": not
    # counted yet (today, in a range that ends today and is not live)
    kind: str = ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    """``value`` escaped, without the control characters XML (and so SVG) does not allow."""
    return escape(_CONTROL.sub("", value))


def _grouped(value: int) -> str:
    """The active locale's grouping: "1,234", "1.234" or "1 234"."""
    return number_format(value, force_grouping=True)


def nice_ticks(maximum: float, count: int = 4) -> list[int]:
    """Round gridline values from 0 up to at least ``maximum`` (steps of 1, 2 or 5 x 10^n)."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    multipliers = (1, 2, 2.5, 5, 10) if magnitude >= 10 else (1, 2, 5, 10)
    step = next(m * magnitude for m in multipliers if m * magnitude >= raw)
    top = step * math.ceil(maximum / step)
    return list(range(0, int(top) + 1, int(step)))


def _num(value: float) -> str:
    """A coordinate: short, and never in exponent notation."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def summary(label: str, points: Sequence[Point], number: Callable[[int], str]) -> str:
    """``label``, then what the bars say in words: the days counted (not those shown for
    context), their sum, and the busiest day's tooltip."""
    counted = [point for point in points if point.kind not in ("muted", "pending")]
    if not counted:
        return label
    busiest = max(counted, key=lambda point: point.value)
    return gettext("%(label)s: %(total)s in all; the most on %(busiest)s") % {
        "label": label,
        "total": number(sum(point.value for point in counted)),
        "busiest": busiest.title,
    }


def daily_chart(
    points: Sequence[Point],
    *,
    label: str,
    number: Callable[[int], str] = _grouped,
    width: int = 960,
    height: int = 220,
    marks: Sequence[Mark] = (),
) -> SafeString:
    """Bars of each day's views, the previous period as a dashed line, gridlines with values.

    ``label`` begins the chart's accessible name, which screen readers read instead of the
    shapes; the days' sum and the busiest day follow it (``summary``).
    """
    left, right, top, bottom = 56, 8, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max([p.value for p in points] + [p.previous or 0 for p in points] + [0])
    ticks = nice_ticks(highest)
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(points), 1)
    bar_w = max(slot * 0.72, 1.0)
    parts = [
        f'<svg class="admin-hits-chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_text(summary(label, points, number))}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{_num(y)}" y2="{_num(y)}"/>'
            f'<text class="axis" x="{left - 6}" y="{_num(y + 4)}" text-anchor="end">'
            f"{_text(number(tick))}</text>"
        )
    every = max(1, math.ceil(len(points) / 8))
    for index, point in enumerate(points):
        x = left + index * slot
        h = point.value * scale
        css = _text(f"bar {point.kind}".strip())
        parts.append(
            f'<g class="day"><title>{_text(point.title)}</title>'
            f'<rect class="hit" x="{_num(x)}" y="{top}" width="{_num(slot)}" height="{plot_h}"/>'
            f'<rect class="{css}" x="{_num(x + (slot - bar_w) / 2)}" y="{_num(top + plot_h - h)}" '
            f'width="{_num(bar_w)}" height="{_num(h)}"/></g>'
        )
        if index % every == 0:
            parts.append(
                f'<text class="axis" x="{_num(x + slot / 2)}" y="{height - 6}" '
                f'text-anchor="middle">{_text(point.label)}</text>'
            )
    if any(p.previous is not None for p in points):
        coords = " ".join(
            f"{_num(left + (i + 0.5) * slot)},{_num(top + plot_h - (p.previous or 0) * scale)}"
            for i, p in enumerate(points)
        )
        parts.append(f'<polyline class="previous" points="{coords}"/>')
    parts.append(marks_svg(marks, left=left, slot=slot, top=top, bottom=top + plot_h))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # safe: numbers and escaped texts only


def sparkline(
    values: Sequence[int],
    *,
    title: str,
    width: int = 100,
    height: int = 24,
    live_last: bool = False,
) -> SafeString:
    """A small line of daily values with the last day marked; ``title`` is its tooltip."""
    pad = 2.5
    highest = max(list(values) + [1])
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def y(value: int) -> float:
        return height - pad - value / highest * (height - 2 * pad)

    coords = [(pad + i * step, y(v)) for i, v in enumerate(values)] or [(pad, y(0))]
    line = " ".join(f"{_num(cx)},{_num(cy)}" for cx, cy in coords)
    area = f"{_num(coords[0][0])},{height} {line} {_num(coords[-1][0])},{height}"
    last_x, last_y = coords[-1]
    dot = "dot live" if live_last else "dot"
    return mark_safe(  # safe: numbers and an escaped title only
        f'<svg class="admin-hits-sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{_text(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_text(title)}</title>'
        f'<polygon class="area" points="{area}"/><polyline class="line" points="{line}"/>'
        f'<circle class="{dot}" cx="{_num(last_x)}" cy="{_num(last_y)}" r="2"/></svg>'
    )


def share_bar(fraction: float) -> SafeString:
    """A thin bar filled to ``fraction`` (0..1), drawn under a figure in a table cell."""
    filled = min(max(fraction, 0.0), 1.0) * 100
    return mark_safe(  # safe: a number only
        '<svg class="admin-hits-bar" viewBox="0 0 100 4" preserveAspectRatio="none" '
        f'aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><rect class="track" width="100" '
        f'height="4"/><rect class="fill" width="{_num(filled)}" height="4"/></svg>'
    )
