"""The launch curve drawn on the server as inline SVG: an object's cumulative views day by day
since its publication, over the band its peers drew (median to 75th percentile).

Pure, as ``charts``: values and already translated texts in, safe markup out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString, mark_safe

from admin_hits.report.charts import _grouped, _num, _text, nice_ticks


def launch_chart(
    views: Sequence[int],
    median: Sequence[float],
    upper: Sequence[float],
    *,
    label: str,
    day_title: Callable[[int], str],
    number: Callable[[int], str] = _grouped,
    width: int = 960,
    height: int = 200,
) -> SafeString:
    """``views``: the object's cumulative views at each age (index 0: publication day);
    ``median`` and ``upper``: its peers' (empty without a band). ``label`` is the chart's
    accessible name; ``day_title(index)`` each day's tooltip."""
    left, right, top, bottom = 56, 8, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    days = max(len(views), len(median), 1)
    ticks = nice_ticks(max([*views, *upper, 0]))
    scale = plot_h / ticks[-1]
    step = plot_w / max(days - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: float) -> float:
        return top + plot_h - value * scale

    parts = [
        f'<svg class="admin-hits-chart-svg admin-hits-launch-svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_text(label)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{_num(y(tick))}" '
            f'y2="{_num(y(tick))}"/><text class="axis" x="{left - 6}" y="{_num(y(tick) + 4)}" '
            f'text-anchor="end">{_text(number(tick))}</text>'
        )
    for index in range(0, days, 7 if days > 8 else 1):
        parts.append(
            f'<text class="axis" x="{_num(x(index))}" y="{height - 6}" text-anchor="middle">'
            f"{index + 1}</text>"
        )
    if median:
        edge = [f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(upper)]
        back = [f"{_num(x(i))},{_num(y(v))}" for i, v in reversed(list(enumerate(median)))]
        parts.append(f'<polygon class="band" points="{" ".join(edge + back)}"/>')
        line = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(median))
        parts.append(f'<polyline class="median" points="{line}"/>')
    if views:
        line = " ".join(f"{_num(x(i))},{_num(y(v))}" for i, v in enumerate(views))
        parts.append(f'<polyline class="launch" points="{line}"/>')
        for index, value in enumerate(views):
            parts.append(
                f'<circle class="launch-day" cx="{_num(x(index))}" cy="{_num(y(value))}" r="3">'
                f"<title>{_text(day_title(index))}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # safe: numbers and escaped texts only
