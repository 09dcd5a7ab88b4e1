"""The pipe with several sites: every path's counter as always, and each site's beside it;
likewise the views per hour."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from admin_hits.live.hours import PREFIX as HOURS
from admin_hits.live.hours import SITE_PREFIX, hours_of
from admin_hits.models import LiveHits
from admin_hits.report.scope import LiveDay
from tests.live.pipe.test_same_counts import run_worker
from tests.nightly.test_parse_log_sites import DAY, SITES, generated_log
from tests.testapp.models import Article, Story


@pytest.fixture
def sites(settings) -> None:
    settings.ADMIN_HITS_SITES = SITES
    settings.ADMIN_HITS_LOG_FORMAT = "vhost_combined"
    settings.ADMIN_HITS_MODELS = ["testapp.Article", "testapp.Release", "testapp.Story"]


@pytest.mark.django_db(transaction=True)
def test_the_pipe_counts_each_site_apart(tmp_path: Path, sites) -> None:
    log, truth, other = generated_log(tmp_path, seed=21)
    worker = run_worker(log.read_bytes())
    rows = {row.path: row.views for row in LiveHits.objects.filter(date=DAY)}
    every: Counter[str] = Counter()
    for (_, path), n in truth.items():
        every[path] += n
    assert {p: n for p, n in rows.items() if p.startswith("/")} == every
    assert {p: n for p, n in rows.items() if p.startswith(SITE_PREFIX)} == {
        f"{SITE_PREFIX}{site}{path}": n for (site, path), n in truth.items()
    }
    assert sum(hours_of(rows).values()) == sum(truth.values())
    for site in (1, 2):  # each site's hours beside them
        assert sum(hours_of(rows, site).values()) == sum(
            n for (of_site, _), n in truth.items() if of_site == site
        )
    assert all(p.startswith(("/", SITE_PREFIX, HOURS)) for p in rows)
    assert worker.totals.lines == sum(truth.values()) + other


@pytest.mark.django_db(transaction=True)
def test_the_report_reads_one_site_live(tmp_path: Path, sites) -> None:
    run_worker(generated_log(tmp_path, seed=22)[0].read_bytes())
    story = Story.objects.create(title="Story A", slug="a")
    article = Article.objects.create(title="A", slug="a")
    blog = LiveDay.read(DAY, 2, "tests.nightly.urls_blog")
    www = LiveDay.read(DAY, 1)
    assert set(blog.paths) <= {"/articles/a/", "/articles/b/", "/about/"}
    assert blog.total + www.total == LiveDay.read(DAY).total
    story_type = ContentType.objects.get_for_model(Story).pk
    assert blog.object_views() == {(story_type, str(story.pk)): blog.paths["/articles/a/"]}
    assert LiveDay.read_object(article, DAY, 1).total == www.paths["/articles/a/"]
