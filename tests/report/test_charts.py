"""Server-side SVG charts: geometry, escaping, and markup that parses."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from admin_hits.report.charts import Point, daily_chart, nice_ticks, share_bar, sparkline

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(svg: ET.Element) -> list[ET.Element]:
    return [r for r in svg.iter(f"{SVG}rect") if "bar" in r.get("class", "").split()]


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (1234, [0, 500, 1000, 1500]),
        (1500, [0, 500, 1000, 1500]),
        (99_999, [0, 25_000, 50_000, 75_000, 100_000]),
        (9, [0, 5, 10]),
    ],
)
def test_nice_ticks(maximum: int, ticks: list[int]) -> None:
    assert nice_ticks(maximum) == ticks


def test_bars_are_proportional_and_the_previous_period_is_a_line() -> None:
    points = [Point("d1", 100, "t1", previous=50), Point("d2", 50, "t2", previous=100)]
    svg = parse(daily_chart(points, label="Views per day"))
    # Screen readers read the name instead of the bars: what the bars say is in it.
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Views per day: 150 in all; the most on t1"
    first, second = (float(b.get("height")) for b in bars(svg))
    assert first == pytest.approx(2 * second)
    line = svg.find(f"{SVG}polyline")
    assert line is not None and line.get("class") == "previous"
    ys = [float(pair.split(",")[1]) for pair in line.get("points").split()]
    assert ys[0] > ys[1]  # 50 is drawn lower than 100
    assert [t.text for t in svg.iter(f"{SVG}title")] == ["t1", "t2"]


def test_without_previous_values_there_is_no_line_and_kinds_become_classes() -> None:
    points = [Point("a", 1, "a", kind="muted"), Point("b", 2, "b", kind="live")]
    svg = parse(daily_chart(points, label="x"))
    assert svg.find(f"{SVG}polyline") is None
    assert [b.get("class") for b in bars(svg)] == ["bar muted", "bar live"]
    assert svg.get("aria-label") == "x: 2 in all; the most on b"  # context days not counted


def test_axis_labels_are_thinned_out_on_long_periods() -> None:
    points = [Point(f"day {n}", n, f"t{n}") for n in range(90)]
    svg = parse(daily_chart(points, label="x", number=lambda n: f"{n} views"))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    day_labels = [t for t in texts if t.startswith("day")]
    assert 4 <= len(day_labels) <= 8
    assert "0 views" in texts


def test_an_empty_chart_still_renders() -> None:
    svg = parse(daily_chart([], label="nothing yet"))
    assert bars(svg) == []
    svg = parse(daily_chart([Point("a", 0, "a")], label="zero"))
    assert float(bars(svg)[0].get("height")) == 0


hostile = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


def without_controls(text: str) -> str:
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def line_ends(text: str) -> str:
    """``text`` as an XML parser reads it: every CR LF pair, then every CR, one LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@given(hostile, hostile, hostile)
@example(label="a\r\nb", axis="", title="")  # one line break: one space, not two
def test_any_text_stays_text(label: str, axis: str, title: str) -> None:
    svg = parse(daily_chart([Point(axis, 3, title, previous=1)], label=label))
    # XML parsers make each line end one LF, then a whitespace character in an attribute a
    # space.
    name = f"{label}: 3 in all; the most on {title}"
    assert svg.get("aria-label") == re.sub(r"[\t\n]", " ", line_ends(without_controls(name)))
    text = line_ends(without_controls(title))
    assert (svg.find(f"{SVG}g/{SVG}title").text or "") == text
    assert len(list(svg.iter(f"{SVG}rect"))) == 2  # no markup smuggled in


def test_sparkline_marks_the_last_day_and_escapes_its_title() -> None:
    markup = sparkline([0, 5, 10], title='30 days: <b>"15"</b>', live_last=True)
    assert "<b>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == '30 days: <b>"15"</b>'
    dot = svg.find(f"{SVG}circle")
    assert dot.get("class") == "dot live"
    line = svg.find(f"{SVG}polyline").get("points").split()
    assert len(line) == 3
    assert float(line[2].split(",")[1]) < float(line[0].split(",")[1])  # 10 is above 0
    assert float(dot.get("cx")) == float(line[2].split(",")[0])


def test_sparkline_of_nothing() -> None:
    assert parse(sparkline([], title="none")).find(f"{SVG}circle") is not None
    assert parse(sparkline([0, 0], title="zeros")).find(f"{SVG}circle").get("class") == "dot"


@pytest.mark.parametrize(("fraction", "width"), [(0.5, "50"), (0, "0"), (2, "100"), (-1, "0")])
def test_share_bar_is_clamped(fraction: float, width: str) -> None:
    fill = next(
        r for r in parse(share_bar(fraction)).iter(f"{SVG}rect") if r.get("class") == "fill"
    )
    assert fill.get("width") == width


@pytest.mark.parametrize(
    ("language", "gridlines", "name"),
    [
        ("en", ["0", "500", "1,000", "1,500"], "views: 1,234 in all; the most on a"),
        ("de", ["0", "500", "1.000", "1.500"], "views: insgesamt 1.234; die meisten am a"),
    ],
)
def test_numbers_follow_the_language(language: str, gridlines: list[str], name: str) -> None:
    with translation.override(language):
        svg = parse(daily_chart([Point("a", 1234, "a")], label="views"))
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert values == gridlines
    assert svg.get("aria-label") == name
