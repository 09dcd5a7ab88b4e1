"""parse_log writes every table of a day: bots apart, visitors, referrers, keywords,
campaigns, statuses, 404s; re-running a day gives the same rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import override_settings

from admin_hits.logs.days import ROBOTS_BOT
from admin_hits.models import (
    BotHits,
    CampaignHits,
    DayTotals,
    Hits,
    NotFoundHits,
    PathHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
)
from admin_hits.nightly import writing
from admin_hits.nightly.resolvers import register_url, unregister_url
from tests.helpers import combined, write_log
from tests.testapp.models import Article

DAY = datetime.date(2026, 11, 28)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GPTBOT = "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)"
TABLES = (Hits, PathHits, DayTotals, ReferrerHits, SearchHits, CampaignHits, StatusHits,
          NotFoundHits, BotHits)  # fmt: skip
pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, set[tuple]]:
    """Every row of every table, without ids."""
    return {
        model.__name__: {
            tuple(v for k, v in row.items() if k != "id") for row in model.objects.values()
        }
        for model in TABLES
    }


@pytest.fixture
def articles():
    return Article.objects.create(title="A", slug="a"), Article.objects.create(title="B", slug="b")


@pytest.fixture
def log(tmp_path: Path, articles) -> Path:
    lines = [
        # Two people on /articles/a/, one of them twice, from Google with a keyword.
        combined("/articles/a/", ip="203.0.113.1", user_agent=FIREFOX,
                 referrer="https://www.google.com/search?q=Django+Hits"),
        combined("/articles/a/", ip="203.0.113.1", user_agent=FIREFOX,
                 referrer="https://www.example.com/articles/b/"),  # own page: no referrer
        combined("/articles/a/", ip="203.0.113.2", user_agent=CHROME,
                 referrer="https://news.example.org/today"),
        # The same person on two pages of one object counts once for the object.
        combined("/articles/b/", ip="203.0.113.2", user_agent=CHROME),
        combined("/articles/b/?utm_source=Newsletter&utm_medium=email&utm_campaign=Nov",
                 ip="203.0.113.2", user_agent=CHROME),
        combined("/articles/b/", ip="203.0.113.3", user_agent=FIREFOX,
                 referrer="https://www.bing.com/"),  # a search without its keyword
        # Bots: named, counted apart, even on a path no person saw.
        combined("/articles/a/", ip="66.249.66.1", user_agent=GOOGLEBOT),
        combined("/articles/a/", ip="66.249.66.1", user_agent=GOOGLEBOT),
        combined("/only-bots/", ip="20.15.0.1", user_agent=GPTBOT),
        combined("/articles/b/", ip="198.51.100.9", user_agent="-"),
        # A browser-looking client that reads robots.txt is a bot for the day.
        combined("/robots.txt", ip="198.51.100.7", user_agent=FIREFOX, status=404),
        combined("/articles/b/", ip="198.51.100.7", user_agent=FIREFOX,
                 referrer="https://spam.example.net/"),
        # 404s with their referrers; other statuses; assets.
        combined("/old-page/", status=404, referrer="https://www.example.com/links/"),
        combined("/old-page/", status=404, referrer="https://www.example.com/links/"),
        combined("/old-page/", status=404),
        combined("/articles/a/", status=301),
        combined("/static/site.css"),
        # An excluded network counts nowhere.
        combined("/articles/a/", ip="192.0.2.50", user_agent=FIREFOX),
    ]  # fmt: skip
    return write_log(tmp_path / "access.log", lines)


def parse(log: Path) -> None:
    call_command("parse_log", str(log), "--date", DAY.isoformat(), stdout=StringIO())


@override_settings(ADMIN_HITS_EXCLUDE_IPS=["192.0.2.0/24"])
def test_every_table_of_the_day(log: Path, articles) -> None:
    parse(log)
    a, b = articles
    ct = ContentType.objects.get_for_model(Article)
    hits = {h.object_id: (h.views, h.bot_views, h.visitors) for h in Hits.objects.filter(date=DAY)}
    assert hits == {str(a.pk): (3, 2, 2), str(b.pk): (3, 2, 2)}
    paths = {p.path: (p.views, p.bot_views, p.visitors) for p in PathHits.objects.all()}
    assert paths == {"/articles/a/": (3, 2, 2), "/articles/b/": (3, 2, 2), "/only-bots/": (0, 1, 0)}
    totals = DayTotals.objects.get(date=DAY)
    assert (totals.views, totals.bot_views, totals.visitors) == (6, 5, 3)
    assert (totals.not_found, totals.lines) == (4, 18)
    bots = dict(BotHits.objects.values_list("bot", "hits"))
    assert bots == {"Googlebot": 2, "GPTBot": 1, "(no user agent)": 1, ROBOTS_BOT: 1}
    referrers = set(ReferrerHits.objects.values_list("path", "host", "url", "views", "object_id"))
    assert referrers == {
        ("/articles/a/", "www.google.com", "https://www.google.com/search?q=Django+Hits", 1,
         str(a.pk)),
        ("/articles/a/", "news.example.org", "https://news.example.org/today", 1, str(a.pk)),
        ("/articles/b/", "www.bing.com", "https://www.bing.com/", 1, str(b.pk)),
    }  # fmt: skip
    assert all(r.content_type_id == ct.pk for r in ReferrerHits.objects.all())
    searches = set(SearchHits.objects.values_list("path", "engine", "keyword", "views"))
    assert searches == {("/articles/a/", "Google", "django hits", 1),
                        ("/articles/b/", "Bing", "", 1)}  # fmt: skip
    campaigns = set(CampaignHits.objects.values_list("path", "source", "medium", "campaign"))
    assert campaigns == {("/articles/b/", "newsletter", "email", "nov")}
    statuses = dict(StatusHits.objects.values_list("status", "views"))
    assert statuses == {200: 12, 404: 4, 301: 1}  # the excluded network's line not
    not_found = set(NotFoundHits.objects.values_list("path", "referrer", "hits"))
    assert not_found == {("/old-page/", "https://www.example.com/links/", 2), ("/old-page/", "", 1),
                         ("/robots.txt", "", 1)}  # fmt: skip


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_object_with_two_paths_sums_them(tmp_path: Path, articles, jobs: str) -> None:
    # /pages/<pk>/ shows an article too: its Hits row adds up both paths' views and bot
    # views, and counts a person who saw both once.
    a, _ = articles
    page = f"/pages/{a.pk}/"
    lines = [combined("/articles/a/", ip="203.0.113.1"), combined(page, ip="203.0.113.1"),
             combined(page, ip="203.0.113.2"), combined("/articles/a/", ip="203.0.113.3"),
             combined("/articles/a/", user_agent=GOOGLEBOT), combined(page, user_agent=GPTBOT),
             combined(page, user_agent=GPTBOT)]  # fmt: skip
    log = write_log(tmp_path / "access.log", lines)
    register_url("page", Article, {"code": "pk"})
    try:
        call_command("parse_log", str(log), "--date", DAY.isoformat(), "--jobs", jobs,
                     stdout=StringIO())  # fmt: skip
    finally:
        unregister_url("page")
    paths = {
        p.path: (p.views, p.bot_views, p.visitors, p.object_id) for p in PathHits.objects.all()
    }
    assert paths == {"/articles/a/": (2, 1, 2, str(a.pk)), f"/pages/{a.pk}/": (2, 2, 2, str(a.pk))}
    hits = [(h.object_id, h.views, h.bot_views, h.visitors) for h in Hits.objects.all()]
    assert hits == [(str(a.pk), 4, 3, 3)]


def test_running_a_day_again_gives_the_same_rows(log: Path) -> None:
    parse(log)
    first = snapshot()
    parse(log)
    assert snapshot() == first
    assert all(first.values())


def test_a_failure_leaves_the_day_as_it_was(log: Path, monkeypatch) -> None:
    parse(log)
    before = snapshot()
    calls = []

    def fail(using, table):
        calls.append(table.model)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return real(using, table)

    real = writing.insert_rows
    monkeypatch.setattr(writing, "insert_rows", fail)
    with pytest.raises(RuntimeError):
        parse(log)
    assert snapshot() == before


def test_referrer_rows_are_capped_per_path(tmp_path: Path, monkeypatch) -> None:
    from admin_hits.nightly import rollups

    monkeypatch.setattr(rollups, "REFERRERS_PER_PATH", 3)
    lines = [
        combined("/p/", ip=f"203.0.113.{i}", referrer=f"https://site{i % 5}.example/page{i}")
        for i in range(1, 41)
    ]
    parse(write_log(tmp_path / "access.log", lines))
    rows = list(ReferrerHits.objects.values_list("host", "url", "views"))
    assert sum(n for *_, n in rows) == 40
    assert len([r for r in rows if r[1]]) == 3  # the top 3 URLs, then one row per host
    assert {host for host, url, _ in rows if not url} == {f"site{i}.example" for i in range(5)}


@override_settings(ADMIN_HITS_OWN_HOSTS=[".example.org"])
def test_own_hosts_setting(tmp_path: Path) -> None:
    lines = [combined("/p/", referrer="https://news.example.org/x"),
             combined("/p/", referrer="https://www.example.com/x")]  # fmt: skip
    parse(write_log(tmp_path / "access.log", lines))
    assert list(ReferrerHits.objects.values_list("host", flat=True)) == ["www.example.com"]


@override_settings(
    ADMIN_HITS_EXCLUDE_PATHS=["/private/", "*/feed/", "/print/*", "^/api/v[0-9]+/"],
    ADMIN_HITS_EXCLUDE_STATUSES=[204],
    ADMIN_HITS_METHODS=["GET", "HEAD"],
)
def test_exclusion_settings(tmp_path: Path) -> None:
    lines = [combined("/private/x/"), combined("/blog/feed/"), combined("/feed/"),
             combined("/print/x/"), combined("/news/print/x/"), combined("/api/v2/items/"),
             combined("/docs/api/v2/"), combined("/api/docs/"), combined("/p/", status=204),
             combined("/p/", method="HEAD")]  # fmt: skip
    parse(write_log(tmp_path / "access.log", lines))
    # Globs and regexes match from the path's start: "/news/print/x/" and "/docs/api/v2/" count.
    assert dict(PathHits.objects.values_list("path", "views")) == {
        "/news/print/x/": 1, "/docs/api/v2/": 1, "/api/docs/": 1, "/p/": 1,
    }  # fmt: skip


@override_settings(ADMIN_HITS_BOT_PATTERNS=["(unclosed"])
def test_a_bad_setting_stops_parse_log_with_a_clear_message(log: Path) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ADMIN_HITS_BOT_PATTERNS"):
        parse(log)
    assert not PathHits.objects.exists()


@override_settings(ADMIN_HITS_EXCLUDE_IPS=["192.0.2.0/24"])
def test_parallel_workers_count_the_same_visitors(log: Path) -> None:
    # Forked workers share the process's visitor salt, so a visitor whose lines two workers
    # read is still one visitor.
    parse(log)
    single = snapshot()
    call_command("parse_log", str(log), "--date", DAY.isoformat(), "--jobs", "2", stdout=StringIO())
    assert snapshot() == single
