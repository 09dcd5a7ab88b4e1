"""The report in headless Chromium in the staff's language: German at desktop and phone widths,
and Arabic, right to left. The browser asks for the language (Accept-Language) and
``LocaleMiddleware`` picks it, as on a real site."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer

from tests.browser.test_report_journey import PASSWORD, card, log_in
from tests.report.factories import REPORT, add_object
from tests.report.test_report_languages import LANGUAGES, with_locale_middleware
from tests.testapp.models import Article, Release

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: Every element of the report that must lie within the page's width: what does not fit (the
#: chart, wide tables) scrolls inside its own box instead.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const boxes = [...document.querySelectorAll(
        '#header, .breadcrumbs, #content-main, .admin-hits-toolbar, .admin-hits-period, '
        + '.admin-hits-card, .admin-hits-chart, .admin-hits-tabs, .admin-hits-section')];
    const outside = boxes
        .map(element => [element, element.getBoundingClientRect()])
        .filter(([, box]) => box.left < -1 || box.right > width + 1)
        .map(([element, box]) => `${element.className || element.id}: ${box.left}..${box.right}`);
    return {
        scrollWidth: document.documentElement.scrollWidth,
        width: width,
        outside: outside,
    };
}"""


@pytest.fixture
def site(transactional_db, settings) -> Iterator[LiveServer]:
    """A live server of its own: the shared ``live_server`` loaded its middleware when it started,
    without ``LocaleMiddleware``."""
    settings.MIDDLEWARE = with_locale_middleware()
    settings.LANGUAGES = [*LANGUAGES, ("ar", "Arabic")]
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    add_object(Article.objects.create(title="Launch", slug="launch"), {1: 1200, 2: 30, 9: 500})
    add_object(Release.objects.create(title="Version 2"), {3: 45, 40: 12})
    server = LiveServer("localhost")
    yield server
    # The browser has closed its connections; their request threads, which share the test's
    # in-memory database connection, must end before it stops being shareable.
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)
    server.stop()


@pytest.fixture
def open_report(site, chromium) -> Iterator:
    """Opens the report in a new browser context of a language and a viewport; gives the page
    and the errors its scripts raised or its requests met."""
    contexts = []

    def open_page(locale: str, viewport: dict[str, int]):
        context = chromium.new_context(locale=locale, viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # Every stylesheet, script and request of the page loads (the test server has no
        # favicon: the browser asks for one by itself).
        page.on(
            "response",
            lambda r: (
                errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        log_in(page, site.url, REPORT)
        return page, errors

    yield open_page
    for context in contexts:
        context.close()


def assert_fits(page) -> None:
    layout = page.evaluate(OVERFLOW)
    assert layout["scrollWidth"] <= layout["width"], layout
    assert not layout["outside"], layout


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_report_in_german(open_report, screenshot, name, viewport) -> None:
    page, errors = open_report("de-DE", viewport)
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("h1").inner_text() == "Traffic-Bericht"
    assert card(page, 0) == "1.775"  # the last 30 days, with a German thousands separator
    text = page.locator("#content-main").inner_text()
    for words in ("AUFRUFE", "Letzte 7 Tage", "Aufrufe pro Tag", "Vorzeitraum", "Top-Objekte"):
        assert words in text, words
    for english in ("Views per day", "Last 7 days", "previous period", "Top objects"):
        assert english not in text, english
    axis = page.locator(".admin-hits-chart-svg text.axis").all_text_contents()
    assert {"1.000", "1.500"} <= set(axis), axis  # the gridlines' values, grouped in German
    assert_fits(page)
    screenshot(page, f"report-german-{name}")

    page.click("text=Letzte 7 Tage")
    page.wait_for_url("**period=7d*")
    assert card(page, 0) == "1.275"
    assert_fits(page)
    assert not errors, errors


@pytest.mark.parametrize(("name", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_report_right_to_left(open_report, screenshot, name, viewport) -> None:
    page, errors = open_report("ar", viewport)
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The admin's own Arabic (our catalogues have none): the report still lays out right to left.
    assert page.locator("link[href$='admin/css/rtl.css']").count() == 1
    cards = page.locator(".admin-hits-card")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    if viewport is DESKTOP:
        assert first["x"] > second["x"], "the first figure is not on the right"
    assert_fits(page)
    screenshot(page, f"report-rtl-{name}")
    assert not errors, errors
