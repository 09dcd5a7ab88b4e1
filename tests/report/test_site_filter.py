"""The report of one site of several (``?site=``): figures, tables, CSV and JSON of its rows."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from admin_hits.models import LandingPeriodTotals, PathPeriodTotals, PeriodTotals, periods
from admin_hits.nightly import period_totals
from admin_hits.report import queries, stored
from admin_hits.report.scope import Scope
from admin_hits.report.traffic import visit_queries
from tests.nightly.test_parse_log_sites import DAY, SITES, content, generated_log, parse
from tests.report.factories import REPORT

__all__ = ["content"]  # the fixture, used by name
PERIOD = {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()}


@pytest.fixture
def truth(tmp_path: Path, content, settings) -> Counter:
    """Two sites' views, parsed; the settings stay for the requests."""
    settings.ADMIN_HITS_SITES = SITES
    settings.ADMIN_HITS_LOG_FORMAT = "vhost_combined"
    settings.ADMIN_HITS_MODELS = ["testapp.Article", "testapp.Release", "testapp.Story"]
    log, views, _ = generated_log(tmp_path, seed=11)
    parse(str(log), "--date", DAY.isoformat())
    return views


def report_json(client, **params) -> dict:
    response = client.get(REPORT, {**PERIOD, **params, "format": "json"})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def table(data: dict, slug: str) -> dict:
    return next(t for t in data["tables"] if t["slug"] == slug)


def figure(data: dict, key: str):
    return next(f["value"] for f in data["figures"] if f["key"] == key)


@pytest.mark.parametrize("site", [1, 2, None])
def test_figures_and_pages_of_one_site(admin_client, truth: Counter, site: int | None) -> None:
    params = {} if site is None else {"site": site}
    data = report_json(admin_client, **params)
    mine: Counter = Counter()
    for (of_site, path), n in truth.items():
        if site in (None, of_site):
            mine[path] += n
    assert data["site"] == site
    assert figure(data, "views") == sum(mine.values())
    pages = Counter()
    for row in table(data, "pages")["rows"]:
        pages[row["page"]] += row["current"]
    # All sites: the same path of two sites is summed in one row (per site it is its own).
    assert pages == mine
    audience = report_json(admin_client, tab="audience", **params)
    assert sum(row["current"] for row in table(audience, "devices")["rows"]) == sum(mine.values())


def test_the_site_is_kept_by_links_and_exports(admin_client, truth: Counter) -> None:
    page = admin_client.get(REPORT, {**PERIOD, "site": 2})
    sites = page.context["sites"]
    # Site 1 is django.contrib.sites' site 1 (its name); site 2 has none: its first host.
    assert [(str(link.label), link.selected) for link in sites] == [
        ("All sites", False), ("example.com", False), ("blog.example.com", True),
    ]  # fmt: skip
    assert all("site=2" in link.url for link in page.context["presets"])
    assert all("site=2" in link.url for link in page.context["tabs"])
    assert b'name="site" value="2"' in page.content  # the custom range's form
    block = next(b for b in page.context["blocks"] if b.section.slug == "pages")
    assert "site=2" in block.export_url
    rows = list(csv.reader(io.StringIO(b"".join(admin_client.get(block.export_url)
                                                 .streaming_content).decode())))  # fmt: skip
    assert {row[0]: int(row[2]) for row in rows[1:]} == {
        path: n for (s, path), n in truth.items() if s == 2
    }


def test_an_unknown_site_shows_every_site(admin_client, truth: Counter) -> None:
    assert report_json(admin_client, site=9)["site"] is None
    assert report_json(admin_client, site="x")["site"] is None


def test_a_single_site_offers_no_filter(admin_client, db) -> None:
    assert admin_client.get(REPORT).context["sites"] == []


def test_the_changelists_filter_by_site(admin_client, truth: Counter) -> None:
    url = reverse("admin:admin_hits_pathhits_changelist")
    page = admin_client.get(url, {"site": 2})
    shown = {(row.path, row.views) for row in page.context["cl"].result_list}
    assert shown == {(path, n) for (s, path), n in truth.items() if s == 2}
    hits = admin_client.get(reverse("admin:admin_hits_hits_changelist"), {"site": 1})
    assert {row.site for row in hits.context["cl"].result_list} == {1}


@pytest.mark.parametrize("site", [None, 1, 2])
def test_each_site_has_its_own_stored_period_rows(truth: Counter, site: int | None) -> None:
    # The night after the day: "Yesterday" is the log's day, stored for all sites and each.
    period_totals.refresh(today=DAY + datetime.timedelta(days=1))
    period = periods.resolve(periods.YESTERDAY, DAY + datetime.timedelta(days=1))
    scope = Scope(period, periods.previous(period), site=site)
    pages, objects = stored.page_rows(scope), stored.object_rows(scope)
    assert pages is not None and objects is not None

    def shown(rows, *keys) -> list:
        return sorted(tuple(row[k] for k in (*keys, "current")) for row in rows)

    assert shown(pages, "page") == shown(queries.summed_page_rows(scope), "page")
    assert shown(objects, "object_type", "object_pk") == shown(
        queries.summed_object_rows(scope), "object_type", "object_pk"
    )
    # The landings of the site's visits, stored beside its pages.
    landings = stored.landing_rows(scope)
    assert landings is not None and list(landings)
    assert list(landings) == list(visit_queries.summed_landing_rows(scope))
    mine = {path: n for (s, path), n in truth.items() if site == s}
    if site is not None:  # the same path of two sites is two pages
        assert dict(shown(pages, "page")) == mine


def test_the_rows_of_a_site_no_longer_configured_go(truth: Counter, settings) -> None:
    today = DAY + datetime.timedelta(days=1)
    period_totals.refresh(today=today)
    assert PathPeriodTotals.objects.filter(preset="yesterday@2").exists()
    assert LandingPeriodTotals.objects.filter(preset="yesterday@2").exists()
    settings.ADMIN_HITS_SITES = {"www.example.com": 1}
    period_totals.refresh(today=today)
    presets = set(PeriodTotals.objects.values_list("preset", flat=True))
    assert "yesterday@1" in presets and not any(p.endswith("@2") for p in presets)
    assert not PathPeriodTotals.objects.filter(preset__endswith="@2").exists()
    assert not LandingPeriodTotals.objects.filter(preset__endswith="@2").exists()


def test_one_site_today_reads_its_own_live_counts(admin_client, truth: Counter, content) -> None:
    article = content["article_a"]
    ct = ContentType.objects.get_for_model(article).pk
    url = reverse("admin:admin_hits_object", args=[ct, str(article.pk)])
    for page in (REPORT, url):
        today = admin_client.get(page, {"period": "today", "site": 1})
        assert today.context["scope"].live is not None  # the site's counters (none yet)
        assert today.context["scope"].live_error == ""
        # The refreshing figure polls the site's own live JSON (tests/report/test_site_live.py).
        keys = {f.key: f.live_url for f in admin_client.get(page, {**PERIOD, "site": 1})
                .context["figures"]}  # fmt: skip
        assert keys["views_today"].endswith("?site=1") and not keys["views"]
        everyone = admin_client.get(page, PERIOD).context["figures"]
        assert "site=" not in next(f.live_url for f in everyone if f.key == "views_today")
