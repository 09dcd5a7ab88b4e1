"""Today's live figures of one site of several (``?site=``): the self-refreshing views, the
live JSON, and "Today (live)" next to the site's own yesterday up to the same hour."""

from __future__ import annotations

import datetime
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_hits.models import HourHits
from tests.helpers import combined, write_log
from tests.live.pipe.test_same_counts import run_worker
from tests.live.site_hours import HourlyLog, hourly_log
from tests.nightly.test_parse_log_sites import SITES, content, parse
from tests.report.factories import LIVE, REPORT

__all__ = ["content"]  # the fixture, used by name
TODAY = datetime.date(2026, 12, 2)
YESTERDAY = TODAY - datetime.timedelta(days=1)
# 14:30 in Berlin: site 1's views reach into the clock's hour, site 2's stopped at 9 o'clock.
NOW = datetime.datetime(2026, 12, 2, 14, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
SHOP = 3  # a site with views yesterday (at 0 o'clock) and none yet today
SHOP_VIEWS = 4


def yesterday_so_far(yesterday: HourlyLog, today: HourlyLog, site: int | None) -> int:
    """Yesterday's views of ``site`` up to the last hour counted today (the clock's hour: up
    to the half of it past at 14:30)."""
    last = max(today.site_hours(site))
    hours = yesterday.site_hours(site)
    part = 0.5 if last == NOW.hour else 1.0
    return sum(n for hour, n in hours.items() if hour < last) + round(hours.get(last, 0) * part)


@pytest.fixture
def logs(tmp_path: Path, settings, transactional_db) -> tuple[HourlyLog, HourlyLog]:
    """Yesterday imported by ``parse_log``, today counted by the pipe; two sites."""
    settings.ADMIN_HITS_SITES = {**SITES, "shop.example.com": SHOP}
    settings.ADMIN_HITS_LOG_FORMAT = "vhost_combined"
    settings.ADMIN_HITS_MODELS = ["testapp.Article", "testapp.Release", "testapp.Story"]
    yesterday = hourly_log(YESTERDAY, seed=41, last_hours={1: 23, 2: 23}, size=900)
    for n in range(SHOP_VIEWS):
        when = f"{YESTERDAY:%d/%b/%Y}:00:40:0{n} +0100"
        yesterday.lines.append("shop.example.com:443 " + combined("/", when, ip=f"192.0.2.{n}"))
    yesterday.hours[SHOP, 0] += SHOP_VIEWS
    parse(str(write_log(tmp_path / "yesterday.log", yesterday.lines)), "--date", str(YESTERDAY))
    assert HourHits.objects.filter(date=YESTERDAY, site=SHOP).count() == 1
    today = hourly_log(TODAY, seed=42)
    run_worker(write_log(tmp_path / "today.log", today.lines).read_bytes())
    return yesterday, today


def figures(client, **params) -> dict:
    page = client.get(REPORT, params)
    assert page.status_code == 200
    return {figure.key: figure for figure in page.context["figures"]}


@pytest.mark.parametrize("site", [1, 2, None])
def test_today_live_of_one_site_next_to_its_yesterday(admin_client, logs, site) -> None:
    yesterday, today = logs
    params = {} if site is None else {"site": site}
    with time_machine.travel(NOW, tick=False):
        views = figures(admin_client, period="today", **params)["views_today"]
        data = admin_client.get(views.live_url).json()
    assert views.value == today.views(site)
    assert views.previous == yesterday_so_far(yesterday, today, site)
    assert views.live_url == (LIVE if site is None else f"{LIVE}?site={site}")
    assert (data["date"], data["views"]) == (str(TODAY), today.views(site))
    # Each site's figures are its own, not all the sites' nor the other's.
    assert len({today.views(s) for s in (1, 2, None)}) == 3
    assert len({yesterday_so_far(yesterday, today, s) for s in (1, 2, None)}) == 3


def test_a_site_without_views_today_shows_no_fall(admin_client, logs) -> None:
    with time_machine.travel(NOW, tick=False):
        views = figures(admin_client, period="today", site=SHOP)["views_today"]
    assert (views.value, views.previous) == (0, SHOP_VIEWS)  # none yet today
    assert views.change == ""  # not "-100%": today is not over


def test_views_today_beside_another_period_of_one_site(admin_client, logs) -> None:
    _, today = logs
    for site in (1, 2):
        with time_machine.travel(NOW, tick=False):
            shown = figures(admin_client, period="7d", site=site)
        assert shown["views_today"].value == today.views(site)
        assert shown["views_today"].live_url == f"{LIVE}?site={site}"


def test_an_objects_live_views_on_one_site(admin_client, logs, content) -> None:
    _, today = logs
    article = content["article_a"]
    ct = ContentType.objects.get_for_model(article).pk
    page = reverse("admin:admin_hits_object", args=[ct, str(article.pk)])
    with time_machine.travel(NOW, tick=False):
        views = figures_of(admin_client, page, period="today", site=1)["views_today"]
        data = admin_client.get(views.live_url).json()
        everyone = admin_client.get(views.live_url.partition("?")[0]).json()
    assert views.value == data["views"] == today.paths[1, "/articles/a/"]
    assert everyone["views"] == today.paths[1, "/articles/a/"] + today.paths[2, "/articles/a/"]
    # On the blog, /articles/a/ is a story (its URLconf): none of its views are the article's.
    with time_machine.travel(NOW, tick=False):
        blog = admin_client.get(views.live_url.replace("site=1", "site=2")).json()
    assert (blog["views"], today.paths[2, "/articles/a/"] > 0) == (0, True)


def test_a_site_not_configured_is_every_site(admin_client, logs) -> None:
    _, today = logs
    with time_machine.travel(NOW, tick=False):
        assert admin_client.get(LIVE, {"site": 9}).json()["views"] == today.views(None)


def figures_of(client, url: str, **params) -> dict:
    page = client.get(url, params)
    assert page.status_code == 200
    return {figure.key: figure for figure in page.context["figures"]}


def test_a_single_site_pays_nothing_more(admin_client, db) -> None:
    """One site (no ``ADMIN_HITS_SITES``): one query of yesterday's hours, as before sites, and
    the live JSON costs what it did."""
    admin_client.get(REPORT, {"period": "today"})  # content types and sessions cached
    with CaptureQueriesContext(connection) as report:
        admin_client.get(REPORT, {"period": "today", "site": 1})  # 1: no site of this project
    hours = [q["sql"] for q in report.captured_queries if HourHits._meta.db_table in q["sql"]]
    assert len(hours) == 1 and '"site"' not in hours[0]
    counted = []
    for params in ({}, {"site": 1}):
        with CaptureQueriesContext(connection) as live:
            assert admin_client.get(LIVE, params).json()["available"]
        counted.append(len(live))
    assert counted[0] == counted[1]
