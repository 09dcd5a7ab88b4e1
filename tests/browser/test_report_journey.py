"""A member of staff's journey through the report, in headless Chromium against a live server:
log in, open the report, switch period, download a CSV, and watch today's figure move when a
log line goes through the pipe."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.utils import timezone

from tests.helpers import combined
from tests.report.factories import REPORT, add_object
from tests.testapp.models import Article, Release

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(live_server, memcached, settings):
    """The site on a live server, its live store in a real memcached, with a month of views."""
    settings.ADMIN_HITS_STORE = memcached.url
    settings.ADMIN_HITS_LIVE_INTERVAL = 0.5
    User.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    launch = Article.objects.create(title="Launch", slug="launch")
    add_object(launch, {1: 1200, 2: 30, 9: 500, 20: 7})
    add_object(Release.objects.create(title="Version =2"), {3: 45})
    return live_server


def log_in(page, base: str, next_url: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_url}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}*")


def card(page, index: int) -> str:
    return page.locator(".admin-hits-card-value").nth(index).inner_text()


def test_report_journey(site, chromium, start_pipe, memcached, screenshot) -> None:
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, site.url, REPORT)
    assert page.locator("h1").inner_text() == "Traffic report"
    assert card(page, 0) == "1,782"  # the last 30 days
    assert card(page, 1) == "0"  # nothing counted today yet
    # Every view is in these 30 days: nothing to compare with, said once, no "new" everywhere.
    assert page.locator(".admin-hits-no-previous").count() == 1
    assert page.locator(".admin-hits-change").count() == 0
    screenshot(page, "report-30-days")

    page.click("text=Last 7 days")
    page.wait_for_url(re.compile(r"period=7d"))
    assert card(page, 0) == "1,275"
    rows = page.locator("#objects-table tbody tr")
    assert rows.count() == 2
    assert rows.first.locator("a").inner_text() == "Launch"
    assert page.locator("#objects-table .admin-hits-change").count() == 2  # +146%, new

    with page.expect_download() as download:
        page.click("#objects-table a.admin-hits-csv")
    body = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename.startswith("traffic-objects-")
    assert body == (
        b'object,type,views,previous period,"change, %"\r\n'
        b"Launch,article,1230,500,146.0\r\n"
        b"Version =2,release,45,0,\r\n"
    )

    # A visit now, through the pipe into memcached: the open page shows it within seconds.
    pipe = start_pipe("--store", memcached.url, "--time-zone", django_settings.TIME_ZONE)
    now = timezone.now().astimezone(ZoneInfo(django_settings.TIME_ZONE))
    pipe.send(combined("/articles/launch/", now.strftime("%d/%b/%Y:%H:%M:%S %z")))
    live = page.locator("[data-admin-hits-live] [data-live-value]")
    live.filter(has_text=re.compile(r"^1$")).wait_for(timeout=15_000)
    age = page.locator("[data-admin-hits-live] [data-live-age]").inner_text()
    assert re.fullmatch(r"updated \d+ s ago", age), age
    screenshot(page, "report-7-days-live")

    page.emulate_media(color_scheme="dark")
    page.reload()
    screenshot(page, "report-7-days-dark")
    assert pipe.close() == 0
    context.close()


def test_the_report_works_without_javascript(site, chromium, screenshot) -> None:
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, site.url, REPORT + "?period=yesterday")
    assert card(page, 0) == "1,200"
    assert page.locator("[data-live-age]").inner_text().startswith("as of ")
    page.click("#objects-table th a:text('Views')")  # sort: a plain link, no script
    assert "objects-sort=" in page.url
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    page.fill("#id_start", yesterday)
    page.fill("#id_end", yesterday)
    page.click(".admin-hits-custom input[type=submit]")
    assert "period=custom" in page.url and card(page, 0) == "1,200"
    screenshot(page, "report-without-javascript")
    context.close()
