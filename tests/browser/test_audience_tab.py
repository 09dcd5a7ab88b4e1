"""The Audience tab in headless Chromium at desktop and phone widths: tables with their bars,
the hours heatmap drawn and named, the page never wider than the screen."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from admin_hits.models import AudienceHits, HourHits
from tests.admin.factories import days_ago
from tests.browser.test_report_journey import PASSWORD, log_in
from tests.report.factories import REPORT, add_object
from tests.testapp.models import Article

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    add_object(Article.objects.create(title="Launch", slug="launch"), {1: 120})
    rows = [("browser", "Chrome", 80), ("browser", "Firefox", 40), ("os", "Windows", 120),
            ("device", "mobile", 70), ("device", "desktop", 50), ("country", "DE", 100),
            ("country", "ZZ", 20), ("version", "Chrome 131", 80)]  # fmt: skip
    for dimension, name, views in rows:
        AudienceHits.objects.create(date=days_ago(1), dimension=dimension, name=name,
                                    views=views)  # fmt: skip
    for hour, views in ((8, 30), (13, 60), (22, 30)):
        HourHits.objects.create(date=days_ago(1), hour=hour, views=views)
    return live_server


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)])
def test_the_audience_tab(site, chromium, screenshot, width, height) -> None:
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log_in(page, site.url, REPORT)
    page.goto(f"{site.url}{REPORT}?period=7d&tab=audience")
    assert page.locator(".admin-hits-tabs a.selected").inner_text() == "Audience"
    heatmap = page.locator("svg.admin-hits-heatmap")
    assert heatmap.is_visible()
    assert heatmap.locator("rect.cell").count() == 7 * 24
    assert heatmap.locator("rect.level-5").count() == 1
    assert "the most views, 60" in heatmap.get_attribute("aria-label")
    box = heatmap.bounding_box()
    assert box is not None and box["width"] >= 500  # legible: the box scrolls on a phone
    rows = page.locator("#browsers-table tbody tr")
    assert rows.count() == 2 and "Chrome" in rows.nth(0).inner_text()
    assert page.locator("#browsers-table svg.admin-hits-bar").count() == 2
    assert page.locator("#countries-table").inner_text().count("unknown") == 1
    # The page itself never scrolls sideways: wide content scrolls in its own box.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    csv = page.locator("#hours-table a.admin-hits-csv")
    assert csv.get_attribute("href").startswith("/admin/admin_hits/report/export/hours")
    screenshot(page, f"audience-{width}")
    context.close()
