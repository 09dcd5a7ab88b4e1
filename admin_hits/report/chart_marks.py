"""Marks on a daily chart: the days something happened to the content (published, edited).

Drawn by ``charts.daily_chart`` over its bars: a line through the day and a dot at its top
whose ``<title>`` says what happened (a tooltip on hover, read by screen readers), linked
when the mark has an address. Pure: values and already translated texts in, safe markup out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Mark:
    """Something that happened on the ``index``-th day of a chart."""

    index: int
    kind: str  # "published", "edit" or "launches": its CSS class
    title: str  # what happened, every line of it
    url: str = ""


def _text(value: str) -> str:
    return escape(_CONTROL.sub("", value))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def marks_svg(marks: Sequence[Mark], *, left: float, slot: float, top: float, bottom: float) -> str:
    """The marks of a chart whose day ``i`` is the slot from ``left + i * slot``, its plot
    from ``top`` to ``bottom``. Escaped here."""
    parts = []
    for mark in marks:
        x = left + (mark.index + 0.5) * slot
        shape = (
            f'<path d="M{_num(x - 5)},{_num(top)} h10 l-5,8 z"/>'
            if mark.kind == "published"
            else f'<circle cx="{_num(x)}" cy="{_num(top + 4)}" r="5"/>'
        )
        body = (
            f'<title>{_text(mark.title)}</title><line x1="{_num(x)}" x2="{_num(x)}" '
            f'y1="{_num(top)}" y2="{_num(bottom)}"/>{shape}'
        )
        if mark.url:
            body = f'<a href="{_text(mark.url)}">{body}</a>'
        parts.append(f'<g class="mark {_text(mark.kind)}">{body}</g>')
    return "".join(parts)
