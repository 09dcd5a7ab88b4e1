"""The drill-down's annotated charts in headless Chromium, at a desktop's width and a phone's:
the publication and edit marks with their tooltips, the list under the chart, the launch
curve, all inside the page's width."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import CHANGE
from django.contrib.auth.models import User

from tests.admin.factories import days_ago
from tests.browser.test_report_journey import PASSWORD, log_in
from tests.report.factories import object_url
from tests.report.test_launches import launched
from tests.report.test_publication import log, moment

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story_url(live_server, settings) -> str:
    settings.ADMIN_HITS_MODELS = ["testapp.Article", "testapp.Release", "testapp.Story"]
    editor = User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    story = launched("story", 12, [300, 120, 60, 40, 30, 20, 20, 10, 10, 5, 5, 5])
    for n in range(3):
        launched(f"peer-{n}", 40 + n, [20 * (n + 1)] * 20)
    change = json.dumps([{"changed": {"fields": ["Title"]}}])
    log(story, CHANGE, moment(days_ago(4), 10), editor, change)
    return object_url(story)


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 390)])
def test_annotated_chart(live_server, story_url, chromium, screenshot, name, width) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server.url, story_url)
    chart = page.locator(".admin-hits-chart-body svg").first
    assert chart.is_visible()
    published = chart.locator("g.mark.published")
    edit = chart.locator("g.mark.edit")
    assert published.count() == 1 and edit.count() == 1
    assert "Changed Title. (editor)" in edit.locator("title").text_content()
    box, mark = chart.bounding_box(), edit.bounding_box()
    assert box["x"] <= mark["x"] and mark["x"] + mark["width"] <= box["x"] + box["width"] + 1
    items = page.locator(".admin-hits-marks li")
    assert items.count() == 2
    assert items.nth(1).is_visible() and "Changed Title." in items.nth(1).inner_text()
    launch = page.locator("#launch svg")
    assert launch.is_visible() and launch.locator("polygon.band").count() == 1
    assert launch.locator("circle.launch-day").count() == 12
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {width}px"
    edit.locator("circle").hover()  # the dot is what a pointer finds
    screenshot(page, f"annotated-chart-{name}")
    context.close()
