"""Figures, changes and referrers as the report shows them; everything from logs is hostile."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from admin_hits.report.formatting import (
    BAD,
    GOOD,
    NEUTRAL,
    change_html,
    change_percent,
    day_text,
    long_day_text,
    percent_text,
    referrer_html,
    views_text,
)


def test_views_have_thousands_separators() -> None:
    assert views_text(1234567) == "1,234,567"
    assert views_text(0) == "0"


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(0.045, "+4.5%"), (0.125, "+12%"), (-0.5, "−50%"), (0, "±0%"), (12.345, "+1,234%")],
)
def test_percent_text(ratio: float, text: str) -> None:
    assert percent_text(ratio) == text


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("de", ["+4,5\xa0%", "+1.234\xa0%", "Sa., 5. Dezember 2026", "5. Dez."]),
        ("fr", ["+4,5\xa0%", "+1\xa0234\xa0%", "sam. 5 décembre 2026", "5 déc."]),
    ],
)
def test_figures_and_days_in_other_languages(language: str, texts: list[str]) -> None:
    """Each language's decimal and thousands separators, its space before "%", its way of
    writing a day with its weekday and a short day on a chart's axis."""
    day = datetime.date(2026, 12, 5)
    with translation.override(language):
        assert [
            percent_text(0.045),
            percent_text(12.345),
            long_day_text(day),
            day_text(day),
        ] == texts


def test_change_html() -> None:
    up = change_html(150, 100)
    assert 'class="admin-hits-change up good"' in up and "+50%" in up
    assert 'title="previous period: 100"' in up
    assert 'class="admin-hits-change down bad"' in change_html(1, 100)
    assert 'class="admin-hits-change same neutral"' in change_html(5, 5)
    assert ">new<" in change_html(5, 0)
    assert change_percent(5, 0) is None and change_percent(1, 3) == -66.7


@pytest.mark.parametrize(
    ("current", "before", "rising", "css"),
    [
        (2, 1, BAD, "up bad"),
        (1, 2, BAD, "down good"),
        (2, 1, NEUTRAL, "up neutral"),
        (1, 2, NEUTRAL, "down neutral"),
        (1, 2, GOOD, "down bad"),
    ],
)
def test_what_a_change_means(current: int, before: int, rising: str, css: str) -> None:
    assert f'class="admin-hits-change {css}"' in change_html(current, before, rising)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=press+release",
        "http://example.com/",
        "HTTPS://EXAMPLE.COM/Path?x=1&y=<2>".replace("<2>", "%3C2%3E"),
    ],
)
def test_http_referrers_are_links_that_leak_nothing(url: str) -> None:
    html = referrer_html(url)
    assert html.startswith('<a href="')
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'target="_blank"' in html
    assert "&y=" not in html  # the ampersand is escaped in the attribute


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)//http://x",
        "data:text/html,<script>alert(1)</script>",
        " http://example.com/",
        "http://example.com/ onmouseover=alert(1)",
        'http://example.com/"onmouseover="alert(1)',
        "http:/example.com/",
        "//example.com/",
        "ftp://example.com/",
        "android-app://com.google.android.gm/",
        "-",
        "",
        "http://exa\tmple.com/",
        "http://example.com/\\x",
    ],
)
def test_anything_else_is_text(url: str) -> None:
    html = referrer_html(url)
    assert html.startswith("<span") and "<a " not in html
    assert "<script" not in html


@given(st.text())
def test_no_referrer_can_inject_markup(url: str) -> None:
    html = str(referrer_html(url))
    tags = re.findall(r"<(/?[a-z]+)", html)
    assert tags in (["a", "/a"], ["span", "/span"])
    if tags[0] == "a":
        href = re.search(r'href="([^"]*)"', html).group(1)
        assert re.match(r"https?://", href, re.IGNORECASE)
