"""The *Content* tab of one site of several (``?site=``): launches, the peers' band, stale
content and the 404 suggestions read that site's rows, and a suggestion resolves on its URLconf.

Each test writes rows of two sites (and of site 0, written before sites were configured) and
computes what each site shows from those rows, apart from the code under test.
"""

from __future__ import annotations

import datetime
import statistics

from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.test import TestCase, override_settings
from django.urls import reverse

from admin_hits.models import Hits, NotFoundHits, ObjectLaunch, PathHits
from admin_hits.nightly import launches as stored_launches
from admin_hits.nightly import period_totals
from admin_hits.report.editorial.redirects import Suggester
from tests.admin.factories import days_ago, superuser
from tests.nightly.test_parse_log_sites import SITES
from tests.report.factories import REPORT, object_url, records
from tests.report.test_launches import story
from tests.testapp.models import Article, Release, Story

SITE_CHOICES = [None, 1, 2]
multi_site = override_settings(
    ADMIN_HITS_SITES=SITES,
    ADMIN_HITS_LOG_FORMAT="vhost_combined",
    ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"],
    ADMIN_HITS_STALE_DAYS=30,
)


def write_views(obj, site: int, views_by_days_ago: dict[int, int]) -> None:
    """``Hits`` rows of ``obj`` on ``site``, as parse_log writes them."""
    ct = ContentType.objects.get_for_model(obj)
    Hits.objects.bulk_create(
        Hits(content_type=ct, object_id=str(obj.pk), date=days_ago(n), views=views, site=site)
        for n, views in views_by_days_ago.items()
    )


def on(site: int | None, of_site: int) -> bool:
    """Whether a row of ``of_site`` is shown by the report of ``site`` (None: all sites)."""
    return site is None or site == of_site


def params(site: int | None, **more: str) -> dict:
    return {**more, **({} if site is None else {"site": site})}


# Views by site of the first days of each story (index 0: the publication day).
LAUNCHED = 3  # days ago
SUBJECT = {1: [50, 30, 20], 2: [4, 9, 1], 0: [7, 0, 0]}
PEERS = {  # published days ago: views by site of its first 3 days
    20: {1: [10, 10, 10], 2: [1, 1, 1]},
    25: {1: [40, 0, 0], 2: [30, 20, 10]},
    30: {1: [5, 5, 5], 2: [0, 0, 2], 0: [100, 0, 0]},
}


def first_days(by_site: dict[int, list[int]], site: int | None, days: int) -> int:
    return sum(sum(views[:days]) for of_site, views in by_site.items() if on(site, of_site))


@multi_site
class SiteLaunchTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.subject = story("subject", LAUNCHED)
        for site, views in SUBJECT.items():
            write_views(cls.subject, site, {LAUNCHED - i: v for i, v in enumerate(views) if v})
        for age, by_site in PEERS.items():
            peer = story(f"peer-{age}", age)
            for site, views in by_site.items():
                write_views(peer, site, {age - i: v for i, v in enumerate(views) if v})

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def recent(self, site: int | None) -> dict:
        week = {
            "period": "custom",
            "start": days_ago(6).isoformat(),
            "end": days_ago(0).isoformat(),
        }
        response = self.client.get(REPORT, params(site, tab="content", **week))
        [row] = records(response, "launches")
        return row

    def check_recent_launches(self) -> None:
        for site in SITE_CHOICES:
            row = self.recent(site)
            current = first_days(SUBJECT, site, LAUNCHED)
            typical = statistics.median(first_days(p, site, LAUNCHED) for p in PEERS.values())
            self.assertEqual((row["current"], row["typical"]), (current, typical), site)
            self.assertAlmostEqual(row["ratio"], current / typical)

    def test_recent_launches_of_each_site_from_the_daily_rows(self) -> None:
        self.check_recent_launches()

    def test_recent_launches_of_each_site_from_the_stored_launches(self) -> None:
        stored_launches.refresh()
        # A row of every site (with the first addition, if any) and one per site.
        rows = ObjectLaunch.objects.filter(object_id=str(self.subject.pk))
        self.assertEqual(
            {row.site: row.days[:LAUNCHED] for row in rows},
            {0: [sum(v[i] for v in SUBJECT.values()) for i in range(LAUNCHED)],
             1: SUBJECT[1], 2: SUBJECT[2]},
        )  # fmt: skip
        self.check_recent_launches()
        # Stored rows are what the report reads: changing them changes what it shows.
        rows.filter(site=2).update(days=[1000] + [0] * 29)
        self.assertEqual(self.recent(2)["current"], 1000)
        self.assertEqual(self.recent(1)["current"], first_days(SUBJECT, 1, LAUNCHED))

    def test_refresh_is_stable_and_forgets_sites_no_longer_counted(self) -> None:
        stored_launches.refresh()
        self.assertEqual(stored_launches.refresh(), 0)  # nothing to count again
        with override_settings(ADMIN_HITS_SITES={"www.example.com": 1}):
            stored_launches.refresh()
        self.assertEqual(set(ObjectLaunch.objects.values_list("site", flat=True)), {0, 1})
        # Only the row of every site keeps a publication's first addition.
        self.assertFalse(ObjectLaunch.objects.filter(site=1, added__isnull=False).exists())

    def test_the_drill_down_curve_of_each_site(self) -> None:
        for site in SITE_CHOICES:
            data = self.client.get(object_url(self.subject), params(site, format="json")).json()
            days = [first_days({s: v[i : i + 1] for s, v in SUBJECT.items()}, site, 1)
                    for i in range(LAUNCHED)]  # fmt: skip
            self.assertEqual(data["launch"]["days"], [*days, 0], site)  # today: none yet
            self.assertEqual(data["first_day"], days[0])
            self.assertEqual(data["launch"]["median"][LAUNCHED - 1],
                             statistics.median(first_days(p, site, LAUNCHED)
                                               for p in PEERS.values()))  # fmt: skip


# Stories published long ago and their views by site: {site: {days ago: views}}.
STALE_VIEWS = {
    "everywhere": {1: {3: 5}, 2: {4: 1}},
    "blog-only": {1: {40: 6}, 2: {5: 2}},
    "www-only": {1: {10: 3}},
    "legacy": {0: {10: 8}},  # counted before sites were configured
    "forgotten": {1: {50: 1}, 2: {45: 1, 60: 4}},
    "never": {},
}


def expected_stale(site: int | None) -> list[tuple[str, datetime.date | None]]:
    """(slug, last viewed) of the stories without a view on ``site`` in the last 30 days."""
    found = []
    for slug, by_site in STALE_VIEWS.items():
        ages = [n for s, views in by_site.items() if on(site, s) for n, v in views.items() if v]
        if not any(1 <= n <= 30 for n in ages):
            found.append((slug, days_ago(min(ages)) if ages else None))
    return found


@multi_site
class SiteStaleTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        # The same publication day: the table's order is then its objects' order.
        for slug, by_site in STALE_VIEWS.items():
            obj = story(slug, 400)
            for site, views in by_site.items():
                write_views(obj, site, views)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def stale(self, site: int | None) -> list[tuple[str, datetime.date | None]]:
        rows = records(self.client.get(REPORT, params(site, tab="content")), "stale")
        slugs = {str(pk): slug for pk, slug in
                 Story.objects.values_list("pk", "slug")}  # fmt: skip
        return sorted((slugs[r["object_pk"]], r["last_viewed"]) for r in rows)

    def test_stale_content_of_each_site(self) -> None:
        for site in SITE_CHOICES:
            self.assertEqual(self.stale(site), sorted(expected_stale(site)), site)
        self.assertIn(("www-only", None), self.stale(2))  # never viewed on the blog

    def test_stale_content_of_each_site_from_the_stored_totals(self) -> None:
        period_totals.refresh()
        for site in SITE_CHOICES:
            self.assertEqual(self.stale(site), sorted(expected_stale(site)), site)


@multi_site
class SiteNotFoundFixTests(TestCase):
    """Site 1 resolves with the test URLconf (articles, releases); site 2, the blog, with
    ``tests.nightly.urls_blog``, whose ``/articles/<slug>/`` are stories and that has no
    ``/releases/``."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        article = ContentType.objects.get_for_model(Article)
        story_type = ContentType.objects.get_for_model(Story)
        cls.release = Release.objects.create(title="Release")
        release = ContentType.objects.get_for_model(Release)
        rows = [  # (site, path, content type, object, views 2 days ago)
            (1, "/articles/resulsx/", article, "1", 50),  # site 1's closest, most viewed
            (2, "/articles/results/", story_type, "2", 5),  # the blog's closest
            (2, "/old-release/", release, str(cls.release.pk), 3),  # showed the release
        ]
        for site, path, ct, oid, views in rows:
            PathHits.objects.create(date=days_ago(2), path=path, content_type=ct, object_id=oid,
                                    views=views, site=site)  # fmt: skip
        for path in ("/articles/resuls/", "/old-release/"):
            NotFoundHits.objects.create(date=days_ago(1), path=path, hits=4, site=2)
        Site.objects.create(pk=2, domain="blog.example.com", name="Blog")

    def test_suggestions_of_each_site(self) -> None:
        release_path = self.release.get_absolute_url()
        expected = {
            # Every site's rows: the most viewed of the closest; the release's address now.
            None: {"/articles/resuls/": "/articles/resulsx/", "/old-release/": release_path},
            # The blog's rows only; /releases/ is no address of the blog: no suggestion.
            2: {"/articles/resuls/": "/articles/results/", "/old-release/": None},
        }
        for site, paths in expected.items():
            found = Suggester(site=site).suggest_many(paths)
            self.assertEqual({p: s.path if s else None for p, s in found.items()}, paths, site)

    def test_the_report_of_the_blog_and_its_redirect(self) -> None:
        self.client.force_login(self.boss)
        week = {"tab": "technical", "period": "7d"}
        response = self.client.get(REPORT, {**week, "site": 2})
        [row] = [r for r in records(response, "not-found") if r["page"] == "/articles/resuls/"]
        block = next(b for b in response.context["blocks"] if b.section.slug == "not-found")
        self.assertEqual(block.table.suggester.suggest(row["page"]).path, "/articles/results/")
        self.assertContains(response, '<input type="hidden" name="site" value="2">')
        self.client.post(
            reverse("admin:admin_hits_redirect"),
            {"old_path": "/articles/resuls/", "new_path": "/articles/results/", "site": "2"},
        )
        self.assertEqual(
            list(Redirect.objects.values_list("site_id", "old_path")), [(2, "/articles/resuls/")]
        )
