"""The report inside the admin: app list entry, changelist link, sparkline column."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from django.urls import reverse

from admin_hits.admin import HitsAdmin
from admin_hits.admin.report import list_report
from admin_hits.models import Hits
from tests.admin.factories import add_hits, add_live, superuser
from tests.report.factories import REPORT, object_url
from tests.testapp.models import Article

ARTICLES = reverse("admin:testapp_article_changelist")
UNREACHABLE = "memcached://127.0.0.1:1"


def sparkline_points(html: str) -> list[list[float]]:
    """The y of each day of each sparkline on the page (smaller y = more views)."""
    lines = re.findall(r'<svg class="admin-hits-sparkline".*?</svg>', html, re.S)
    found = []
    for line in lines:
        svg = ET.fromstring(line)
        points = svg.find("{http://www.w3.org/2000/svg}polyline").get("points").split()
        found.append([float(p.split(",")[1]) for p in points])
    return found


class SparklineTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Trend", slug="trend")
        add_hits(cls.article, {30: 10, 15: 20, 1: 40, 31: 999})  # day 31 is outside
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_thirty_days_then_today_live(self) -> None:
        add_live(self.article, 40)
        html = self.client.get(ARTICLES).content.decode()
        (ys,) = sparkline_points(html)
        self.assertEqual(len(ys), 31)  # the report's last 30 days, then today
        heights = [round(24 - 2.5 - y, 1) for y in ys]  # 0 for no views
        nonzero = [i for i, h in enumerate(heights) if h > 0]
        self.assertEqual(nonzero, [0, 15, 29, 30])
        self.assertEqual(heights[29], heights[30])  # yesterday 40, today (live) 40
        self.assertEqual(heights[15], heights[29] / 2)
        # The 30 days' sum is the column's, and the linked page's "last 30 days".
        self.assertIn("Views per day, last 30 days: 70 in all; today so far: 40", html)
        self.assertEqual(re.findall(r'field-views_last_30_days"><a [^>]*>([^<]*)<', html), ["70"])
        self.assertIn('class="dot live"', html)
        self.assertIn("Last 30 days", html)  # the column's header

    @override_settings(ADMIN_HITS_STORE=UNREACHABLE, ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_without_the_live_store_the_stored_days_are_drawn(self) -> None:
        html = self.client.get(ARTICLES).content.decode()
        (ys,) = sparkline_points(html)
        self.assertEqual(len(ys), 30)
        self.assertIn('class="dot"', html)
        self.assertIn("70 in all", html)

    def test_links_to_the_drill_down(self) -> None:
        html = self.client.get(ARTICLES).content.decode()
        cell = re.search(r'<td class="field-views_trend">(.*?)</td>', html, re.S).group(1)
        self.assertIn(f'<a href="{object_url(self.article)}">', cell)


class AppListTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_the_report_is_first_in_the_hits_app_on_the_index_and_app_pages(self) -> None:
        for url in (reverse("admin:index"), reverse("admin:app_list", args=["admin_hits"])):
            with self.subTest(url=url):
                apps = self.client.get(url).context["app_list"]
                hits_app = next(a for a in apps if a["app_label"] == "admin_hits")
                first = hits_app["models"][0]
                self.assertEqual(
                    (str(first["name"]), first["admin_url"]), ("Traffic report", REPORT)
                )
        sidebar = self.client.get(reverse("admin:admin_hits_hits_changelist"))
        self.assertContains(sidebar, f'<a href="{REPORT}">Traffic report</a>', html=True)

    def test_the_sidebar_marks_the_page_shown_alone(self) -> None:
        # The sidebar marks each row whose URL starts the current path: the report must not
        # live under the Hits changelist's URL, or both rows are marked on the report.
        for url, name in ((REPORT, "Traffic report"),
                          (reverse("admin:admin_hits_hits_changelist"), "Hits")):  # fmt: skip
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html)
                self.assertEqual(current, [name])

    @override_settings(ROOT_URLCONF="tests.report.other_site_urls")
    def test_the_pages_of_another_site_link_within_it(self) -> None:
        article = Article.objects.create(title="Elsewhere", slug="elsewhere")
        add_hits(article, {1: 3})
        ct = ContentType.objects.get_for_model(Article)
        for url in ("/other-admin/admin_hits/report/",
                    f"/other-admin/admin_hits/object/{ct.pk}/{article.pk}/"):  # fmt: skip
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn('<a href="/other-admin/">Home</a>', html)
                self.assertNotIn('href="/admin/', html)

    def test_other_admin_sites_get_their_own_report(self) -> None:
        site = admin.AdminSite(name="other")
        site.register(Hits, HitsAdmin)
        self.assertTrue(getattr(site, "admin_hits_report_listed", False))
        get_app_list = site.get_app_list
        list_report(site)  # a second time changes nothing
        self.assertIs(site.get_app_list, get_app_list)
        mounted = [p for p in site.get_urls() if str(p.pattern) == "admin_hits/"]
        self.assertEqual(len(mounted), 1)  # beside the Hits admin's URLs, not under them
        urls = {p.name for p in mounted[0].url_patterns if p.name}
        self.assertLessEqual(
            {"admin_hits_report", "admin_hits_report_live", "admin_hits_report_export",
             "admin_hits_object", "admin_hits_object_live", "admin_hits_object_export"},
            urls,
        )  # fmt: skip
