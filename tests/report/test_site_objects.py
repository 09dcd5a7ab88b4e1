"""The *Content* tab of one site of several lists only the objects that can be viewed there:
those of the models its URLconf shows. Site 1 has no URLconf of its own (every model); the
blog (site 2, ``tests.nightly.urls_blog``) shows stories only; site 3
(``tests.report.urls_finder``) shows articles found by a finder.

What each site shows is computed here from the rows written and from ``ON_SITE``, read off
the test URLconfs, apart from the code under test.
"""

from __future__ import annotations

import datetime
import statistics

from django.contrib.admin.models import ADDITION
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings

from tests.admin.factories import days_ago, superuser
from tests.nightly.test_parse_log_sites import SITES
from tests.report.factories import REPORT, object_url, records
from tests.report.test_launches import story
from tests.report.test_publication import log, moment
from tests.report.test_site_editorial import on, params, write_views
from tests.testapp.models import Article, Story

SITE_CHOICES = [None, 1, 2, 3]
ON_SITE = {None: {"article", "story"}, 1: {"article", "story"}, 2: {"story"}, 3: {"article"}}
several_sites = override_settings(
    ADMIN_HITS_SITES={
        **SITES,
        "news.example.com": {"site": 3, "urlconf": "tests.report.urls_finder"},
    },
    ADMIN_HITS_URLS={"found-article": "tests.report.urls_finder.find_article"},
    ADMIN_HITS_LOG_FORMAT="vhost_combined",
    ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"],
    ADMIN_HITS_STALE_DAYS=30,
)


def article(slug: str, added_days_ago: int, editor: object) -> Article:
    """An article dated by its addition in the admin."""
    obj = Article.objects.create(title=slug.title(), slug=slug)
    log(obj, ADDITION, moment(days_ago(added_days_ago), 9), editor)
    return obj


# Published long ago, by kind: views by site {site: {days ago: views}}.
STALE_VIEWS = {
    "story": {
        "s-fresh": {1: {3: 5}, 2: {4: 1}},
        "s-www": {1: {10: 3}},
        "s-blog": {2: {5: 2}},
        "s-never": {},
    },
    "article": {
        "a-fresh": {1: {2: 4}, 3: {3: 1}},
        "a-old": {1: {50: 2}, 3: {40: 1}},
        "a-news": {3: {7: 9}},
        "a-never": {},
    },
}


def expected_stale(site: int | None) -> set[tuple[str, str, datetime.date | None]]:
    """(kind, slug, last viewed) of the objects of the site's models without a view there in
    the last 30 days."""
    found = set()
    for of_kind, objects in STALE_VIEWS.items():
        for slug, by_site in objects.items():
            ages = [n for s, views in by_site.items() if on(site, s) for n in views]
            if of_kind in ON_SITE[site] and not any(1 <= n <= 30 for n in ages):
                found.add((of_kind, slug, days_ago(min(ages)) if ages else None))
    return found


LAUNCHED = 3  # days ago
# By kind: the subject's views by site of its first days, and its peers' (by days ago).
SUBJECT = {
    "story": {1: [50, 30, 20], 2: [4, 9, 1]},
    "article": {1: [7, 7, 7], 3: [60, 0, 3]},
}
PEERS = {
    "story": {20: {1: [10, 10, 10], 2: [1, 1, 1]}, 25: {2: [30, 20, 10]}, 30: {1: [5, 5, 5]}},
    "article": {21: {1: [3, 3, 3]}, 26: {3: [9, 9, 9]}, 31: {1: [8, 0, 0], 3: [2, 2, 2]}},
}


def first_days(by_site: dict[int, list[int]], site: int | None) -> int:
    return sum(sum(views[:LAUNCHED]) for s, views in by_site.items() if on(site, s))


class NamedRows:
    """Report rows by (kind, slug) of their object."""

    @staticmethod
    def named(rows: list[dict]) -> dict[tuple[str, str], dict]:
        types = {ContentType.objects.get_for_model(m).pk: m for m in (Story, Article)}
        found = {}
        for row in rows:
            model = types[row["object_type"]]
            slug = model.objects.get(pk=row["object_pk"]).slug
            found[model._meta.model_name, slug] = row
        return found


@several_sites
class SiteStaleObjectsTests(NamedRows, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        for of_kind, objects in STALE_VIEWS.items():
            for slug, by_site in objects.items():
                obj = story(slug, 400) if of_kind == "story" else article(slug, 400, cls.boss)
                for site, views in by_site.items():
                    write_views(obj, site, views)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_stale_content_of_each_site_is_of_its_models(self) -> None:
        for site in SITE_CHOICES:
            rows = records(self.client.get(REPORT, params(site, tab="content")), "stale")
            found = {(k, slug, row["last_viewed"]) for (k, slug), row in self.named(rows).items()}
            self.assertEqual(found, expected_stale(site), site)
        self.assertIn(("article", "a-never", None), expected_stale(1))  # still listed there
        self.assertNotIn(("article", "a-never", None), expected_stale(2))


@several_sites
class SiteLaunchObjectsTests(NamedRows, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.subjects = {}
        for of_kind in SUBJECT:
            make = story if of_kind == "story" else lambda s, n: article(s, n, cls.boss)
            cls.subjects[of_kind] = subject = make(f"{of_kind}-subject", LAUNCHED)
            for site, views in SUBJECT[of_kind].items():
                write_views(subject, site, {LAUNCHED - i: v for i, v in enumerate(views) if v})
            for age, by_site in PEERS[of_kind].items():
                peer = make(f"{of_kind}-peer-{age}", age)
                for site, views in by_site.items():
                    write_views(peer, site, {age - i: v for i, v in enumerate(views) if v})

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def week(self, site: int | None) -> dict:
        week = {
            "period": "custom",
            "start": days_ago(6).isoformat(),
            "end": days_ago(0).isoformat(),
        }
        return params(site, tab="content", **week)

    def test_recent_launches_and_their_peers_of_each_site_are_of_its_models(self) -> None:
        for site in SITE_CHOICES:
            rows = self.named(records(self.client.get(REPORT, self.week(site)), "launches"))
            expected = {}
            for of_kind in sorted(ON_SITE[site]):
                typical = statistics.median(first_days(p, site) for p in PEERS[of_kind].values())
                current = first_days(SUBJECT[of_kind], site)
                expected[of_kind, f"{of_kind}-subject"] = (current, typical)
            found = {key: (row["current"], row["typical"]) for key, row in rows.items()}
            self.assertEqual(found, expected, site)

    def test_the_chart_marks_of_each_site_are_of_its_models(self) -> None:
        for site in SITE_CHOICES:
            response = self.client.get(REPORT, self.week(site))
            [event] = response.context["chart_events"]
            count = len(ON_SITE[site])  # a subject of each model on the site, the same day
            self.assertTrue(event.text.startswith(f"{count} object"), (site, event.text))

    def test_the_drill_down_launch_only_on_the_sites_of_its_model(self) -> None:
        for of_kind, subject in self.subjects.items():
            for site in SITE_CHOICES:
                data = self.client.get(object_url(subject), params(site, format="json")).json()
                if of_kind in ON_SITE[site]:
                    days = data["launch"]["days"][:LAUNCHED]
                    self.assertEqual(sum(days), first_days(SUBJECT[of_kind], site), site)
                else:
                    self.assertIsNone(data["launch"], (of_kind, site))
