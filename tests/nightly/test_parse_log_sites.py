"""Several sites in one log (``%v``): each site's rows, its URLconf, the hosts of no site."""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import override_settings

from admin_hits.models import DayTotals, Hits, PathHits, SiteDelivery
from tests.helpers import combined, write_log
from tests.testapp.models import Article, Story

DAY = datetime.date(2026, 11, 28)
SITES = {
    "www.example.com": 1,
    "example.com": 1,
    "blog.example.com": {"site": 2, "urlconf": "tests.nightly.urls_blog"},
}
HOST_SITES = {"www.example.com": 1, "example.com": 1, "blog.example.com": 2}
PATHS = ["/articles/a/", "/articles/b/", "/about/"]
multi_site = override_settings(
    ADMIN_HITS_SITES=SITES,
    ADMIN_HITS_LOG_FORMAT="vhost_combined",
    ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"],
)


def vhost_line(host: str, path: str, minute: int) -> str:
    """A ``vhost_combined`` line: ``%v:%p`` before the combined fields."""
    when = f"28/Nov/2026:10:{minute % 60:02d}:00 +0100"
    return f"{host}:443 " + combined(path, when, ip=f"198.51.100.{minute % 200 + 1}")


def generated_log(tmp_path: Path, seed: int) -> tuple[Path, Counter, int]:
    """A log of three known hosts and an unknown one; the views each site's path should get
    (counted here, from the lines as written) and the number of lines of the unknown host."""
    rng = random.Random(seed)
    lines, truth, other = [], Counter(), 0
    for minute in range(400):
        host = rng.choice([*HOST_SITES, "elsewhere.example.net"])
        path = rng.choice(PATHS)
        # Ports and upper case are the web server's way of writing the same host.
        logged = host.upper() if minute % 7 == 0 else host
        lines.append(vhost_line(logged, path, minute))
        if host in HOST_SITES:
            truth[HOST_SITES[host], path] += 1
        else:
            other += 1
    return write_log(tmp_path / "access.log", lines), truth, other


def parse(*args: str) -> dict:
    out = StringIO()
    call_command("parse_log", *args, "--json", stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


@pytest.fixture
def content(db):
    return {
        "article_a": Article.objects.create(title="A", slug="a"),
        "article_b": Article.objects.create(title="B", slug="b"),
        "story_a": Story.objects.create(title="Story A", slug="a"),
    }


def path_rows() -> Counter:
    return Counter({(p.site, p.path): p.views for p in PathHits.objects.filter(date=DAY)})


@multi_site
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_site_counts_its_own_lines(tmp_path: Path, content, jobs: str) -> None:
    log, truth, other = generated_log(tmp_path, seed=int(jobs))
    summary = parse(str(log), "--date", DAY.isoformat(), "--jobs", jobs)
    # The same path on two hosts of two sites is two pages.
    assert path_rows() == truth
    assert summary["ignored"]["other_site"] == other
    day = summary["days"][0]
    assert day["views"] == sum(truth.values())
    assert {site: d["views"] for site, d in day["sites"].items()} == {
        "1": sum(n for (s, _), n in truth.items() if s == 1),
        "2": sum(n for (s, _), n in truth.items() if s == 2),
    }
    totals = dict(DayTotals.objects.filter(date=DAY).values_list("site", "views"))
    assert totals == {s: day["sites"][str(s)]["views"] for s in (1, 2)}


@multi_site
def test_each_site_resolves_with_its_urlconf(tmp_path: Path, content) -> None:
    log, truth, _ = generated_log(tmp_path, seed=3)
    parse(str(log), "--date", DAY.isoformat())
    article, story = (ContentType.objects.get_for_model(m) for m in (Article, Story))
    hits = {(h.site, h.content_type_id, h.object_id): h.views for h in Hits.objects.all()}
    assert hits == {
        (1, article.pk, str(content["article_a"].pk)): truth[1, "/articles/a/"],
        (1, article.pk, str(content["article_b"].pk)): truth[1, "/articles/b/"],
        # /articles/a/ of the blog is a story; the blog has no /articles/b/ story.
        (2, story.pk, str(content["story_a"].pk)): truth[2, "/articles/a/"],
    }


@multi_site
def test_parsing_a_day_again_gives_the_same_rows(tmp_path: Path, content) -> None:
    log, _, _ = generated_log(tmp_path, seed=4)
    parse(str(log), "--date", DAY.isoformat())
    first = (path_rows(), set(Hits.objects.values_list("site", "object_id", "views")))
    parse(str(log), "--date", DAY.isoformat())
    assert (path_rows(), set(Hits.objects.values_list("site", "object_id", "views"))) == first


@multi_site
def test_any_other_host_goes_to_the_catch_all_site(tmp_path: Path, content) -> None:
    log, truth, other = generated_log(tmp_path, seed=5)
    with override_settings(ADMIN_HITS_SITES={**SITES, "*": 3}):
        summary = parse(str(log), "--date", DAY.isoformat())
    assert "other_site" not in summary["ignored"]
    assert sum(p.views for p in PathHits.objects.filter(site=3)) == other


def test_single_site_rows_are_site_0(tmp_path: Path, content) -> None:
    log = write_log(tmp_path / "access.log", [combined("/articles/a/")])
    parse(str(log), "--date", DAY.isoformat())
    assert set(PathHits.objects.values_list("site", flat=True)) == {0}
    assert set(Hits.objects.values_list("site", flat=True)) == {0}


@multi_site
def test_a_format_without_the_host_is_refused(tmp_path: Path, content) -> None:
    log, _, _ = generated_log(tmp_path, seed=6)
    with pytest.raises(CommandError, match="logs no host") as raised:
        parse(str(log), "--date", DAY.isoformat(), "--format", "combined")
    assert "Nothing was written" in str(raised.value)
    assert not PathHits.objects.exists()


@multi_site
def test_each_site_has_its_delivery(tmp_path: Path, content) -> None:
    log_format = '%v %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
    lines = []
    for n, (host, micros) in enumerate([("www.example.com", 1000)] * 3
                                       + [("blog.example.com", 9000)] * 2):  # fmt: skip
        line = combined("/articles/a/", f"28/Nov/2026:10:{n:02d}:00 +0100").rstrip("\n")
        lines.append(f"{host} {line} {micros}\n")
    log = write_log(tmp_path / "access.log", lines)
    day = parse(str(log), "--date", DAY.isoformat(), "--format", log_format)["days"][0]
    assert dict(SiteDelivery.objects.values_list("site", "requests")) == {1: 3, 2: 2}
    assert day["sites"]["1"]["response_ms"]["p50"] < day["sites"]["2"]["response_ms"]["p50"]
    assert "response_ms" not in day  # percentiles of two sites do not add up
    assert day["bytes"] == day["sites"]["1"]["bytes"] + day["sites"]["2"]["bytes"]


@multi_site
def test_the_summary_names_each_site(tmp_path: Path, content) -> None:
    log, truth, other = generated_log(tmp_path, seed=7)
    out = StringIO()
    call_command("parse_log", str(log), "--date", DAY.isoformat(), stdout=out, stderr=StringIO())
    text = out.getvalue()
    for site in (1, 2):
        views = sum(n for (s, _), n in truth.items() if s == site)
        assert f"    site {site}: {views:,} views on 3 paths" in text
    assert f"other_site {other:,}" in text
