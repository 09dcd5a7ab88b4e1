"""The "Audience" tab: browsers, systems, devices, versions, countries and hours, on the
report (the site's rows) and on an object's page (its own), with CSV and the heatmap."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from admin_hits.models import AICrawlerHits, AudienceHits, DayTotals, HourHits, ObjectAudience
from admin_hits.report.audience.heatmap import heatmap, level
from tests.admin.factories import days_ago, superuser
from tests.helpers import REPORT_QUERIES
from tests.report.factories import REPORT, add_object, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article

EVIL = "<script>alert(1)</script>"


class AudienceTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        add_object(cls.launch, {1: 100})
        ct = ContentType.objects.get_for_model(Article)
        own = {"content_type": ct, "object_id": str(cls.launch.pk)}
        rows = [
            ("browser", "Chrome", {1: 70, 31: 50}), ("browser", "Firefox", {1: 30, 2: 5}),
            ("browser", EVIL, {2: 1}), ("os", "Windows", {1: 60}), ("os", "iOS", {1: 40}),
            ("device", "desktop", {1: 60}), ("device", "mobile", {1: 40}),
            ("country", "DE", {1: 80}), ("country", "ZZ", {1: 20}),
            ("version", "Chrome 131", {1: 70}),
        ]  # fmt: skip
        for dimension, name, days in rows:
            for n, views in days.items():
                AudienceHits.objects.create(date=days_ago(n), dimension=dimension, name=name,
                                            views=views)  # fmt: skip
        # The object's days: one row each, its hours and names (a day of the period before
        # too, to compare with).
        for n, views, device, country, hour in ((1, 7, "tablet", "FR", 14),
                                                (31, 3, "tablet", "DE", 14)):  # fmt: skip
            ObjectAudience.objects.create(
                date=days_ago(n), views=views, hours=ObjectAudience.encode_hours({hour: views}),
                names=ObjectAudience.encode_names({"device": {device: views},
                                                   "country": {country: views}}),
                **own,
            )  # fmt: skip
        cls.yesterday = days_ago(1)
        HourHits.objects.create(date=cls.yesterday, hour=9, views=60)
        HourHits.objects.create(date=cls.yesterday, hour=21, views=40)
        HourHits.objects.create(date=days_ago(8), hour=9, views=5)  # the same weekday
        AICrawlerHits.objects.create(date=cls.yesterday, bot="GPTBot", views=30)
        AICrawlerHits.objects.create(date=cls.yesterday, bot="ClaudeBot", views=10)
        AICrawlerHits.objects.create(date=cls.yesterday, bot="GPTBot", views=12, **own)
        DayTotals.objects.create(date=cls.yesterday, views=100, bot_views=160, lines=1)
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_the_tab_lists_the_sites_figures(self) -> None:
        response = self.client.get(REPORT, {"tab": "audience"})
        self.assertEqual(
            [b.section.slug for b in response.context["blocks"]],
            ["browsers", "systems", "devices", "versions", "countries", "hours"],
        )
        self.assertEqual(
            [(r["name"], r["current"], r["previous"]) for r in records(response, "browsers")],
            [("Chrome", 70, 50), ("Firefox", 35, 0), (EVIL, 1, 0)],
        )
        self.assertEqual([r["name"] for r in records(response, "devices")],
                         ["desktop", "mobile"])  # fmt: skip
        self.assertEqual([(r["hour"], r["current"]) for r in records(response, "hours")],
                         [(9, 65), (21, 40)])  # fmt: skip
        self.assertContains(response, "unknown (private or unassigned address)")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, EVIL)
        self.assertContains(response, 'class="admin-hits-bar"', count=12)  # a bar per row

    def test_the_heatmap_shows_weekday_and_hour(self) -> None:
        response = self.client.get(REPORT, {"tab": "audience"})
        html = response.content.decode()
        self.assertIn('<svg class="admin-hits-heatmap"', html)
        self.assertEqual(html.count('class="cell level-'), 7 * 24)
        weekday = self.yesterday.strftime("%a")
        self.assertIn(f"{weekday} 09:00-09:59: 65 views", html)
        self.assertIn(f"the most views, 65, on {weekday} at 09:00", html)

    def test_csv_of_every_audience_table(self) -> None:
        for slug in ("browsers", "systems", "devices", "versions", "countries", "hours"):
            _, rows = download(self.client, export_url(slug))
            with self.subTest(slug=slug):
                self.assertGreater(len(rows), 1)
                self.assertEqual(rows[0][1:], ["views", "previous period", "change, %"])
        _, rows = download(self.client, export_url("countries"))
        self.assertEqual(rows[1:], [["DE", "80", "0", ""], ["ZZ", "20", "0", ""]])
        _, rows = download(self.client, export_url("hours"))
        self.assertEqual(rows[1], ["9", "65", "0", ""])

    def test_the_objects_page_shows_its_own_audience(self) -> None:
        response = self.client.get(object_url(self.launch), {"tab": "audience"})
        self.assertEqual([b.section.slug for b in response.context["blocks"]],
                         ["devices", "countries", "hours"])  # fmt: skip
        self.assertEqual(
            [(r["name"], r["current"], r["previous"]) for r in records(response, "devices")],
            [("tablet", 7, 3)],
        )
        self.assertEqual([r["name"] for r in records(response, "countries")], ["FR"])
        self.assertEqual([(r["hour"], r["current"]) for r in records(response, "hours")],
                         [(14, 7)])  # fmt: skip
        weekday = self.yesterday.strftime("%a")
        self.assertContains(response, f"{weekday} 14:00-14:59: 7 views")
        # Its rows are no part of the site's figures.
        site = self.client.get(REPORT, {"tab": "audience"})
        self.assertNotIn("tablet", [r["name"] for r in records(site, "devices")])

    def test_the_objects_page_reads_its_days_once(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(object_url(self.launch), {"tab": "audience"})
        table = ObjectAudience._meta.db_table
        # Devices, countries, hours and the heatmap: one read of the object's days.
        self.assertEqual(sum(table in q["sql"] for q in queries.captured_queries), 1)

    def test_within_the_query_budget(self) -> None:
        self.client.get(REPORT, {"tab": "audience"})
        with CaptureQueriesContext(connection) as queries:
            self.client.get(REPORT, {"tab": "audience"})
        self.assertLessEqual(
            len(queries), REPORT_QUERIES
        )  # the budget of every tab (test_report_page)

    def test_today_says_the_tables_come_with_the_nightly_import(self) -> None:
        response = self.client.get(REPORT, {"tab": "audience", "period": "today"})
        self.assertContains(response, "Counted by the nightly import", count=6)


class AICrawlerTests(AudienceTests):
    def test_the_ai_crawlers_and_the_objects_they_fetched(self) -> None:
        response = self.client.get(REPORT, {"tab": "technical"})
        slugs = [b.section.slug for b in response.context["blocks"]]
        self.assertEqual(slugs[-2:], ["ai-crawlers", "ai-objects"])
        self.assertEqual([(r["bot"], r["current"]) for r in records(response, "ai-crawlers")],
                         [("GPTBot", 30), ("ClaudeBot", 10)])  # fmt: skip
        rows = records(response, "ai-objects")
        self.assertEqual([(r["crawler"], r["object_pk"], r["current"]) for r in rows],
                         [("GPTBot", str(self.launch.pk), 12)])  # fmt: skip
        self.assertContains(response, "AI crawlers made 25% of all bot views (40 of 160).")
        self.assertContains(response, ">Launch</a>")
        _, csv_rows = download(self.client, export_url("ai-objects"))
        self.assertEqual(csv_rows[1], ["GPTBot", "Launch", "12"])


def test_heatmap_levels_and_escaping():
    assert [level(v, 100) for v in (0, 1, 20, 21, 100)] == [0, 1, 1, 2, 5]
    grid = [[0] * 24 for _ in range(7)]
    grid[2][23] = 4
    svg = heatmap(grid, label="<b>")
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert 'class="cell level-5"' in svg
    assert svg.count("<rect") == 7 * 24
    assert "no views" in heatmap([[0] * 24] * 7, label="x")
