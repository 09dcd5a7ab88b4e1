"""The classification in the report: visitors, bot views and 404s, and the tables of the
"Sources" and "Errors and bots" tabs, on the report and on an object's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from admin_hits.models import (
    BotHits,
    CampaignHits,
    DayTotals,
    NotFoundHits,
    ReferrerHits,
    SearchHits,
    StatusHits,
)
from admin_hits.report.traffic.tables import CampaignsTable, NotFoundTable
from tests.admin.factories import days_ago, superuser
from tests.helpers import CONTENT_TAB_QUERIES
from tests.report.factories import REPORT, add_object, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article

GOOGLE = "https://www.google.com/search?q=launch"
EVIL_URL = "javascript:alert(document.cookie)"
EVIL_HOST = "<b>evil.example</b>"
FORMULA = "=cmd|' /C calc'!A0"


def labels(response) -> list[str]:
    return [str(f.label) for f in response.context["figures"]]


class TrafficTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        cls.other = Article.objects.create(title="Other", slug="other")
        add_object(cls.launch, {1: 100, 2: 50, 31: 80})
        add_object(cls.other, {1: 10})
        for day, visitors, bots, missing in ((1, 70, 30, 4), (2, 40, 5, 1), (31, 60, 10, 2)):
            DayTotals.objects.create(date=days_ago(day), views=1, visitors=visitors,
                                     bot_views=bots, not_found=missing, lines=1)  # fmt: skip
        from admin_hits.models import Hits

        Hits.objects.filter(object_id=str(cls.launch.pk), date=days_ago(1)).update(
            visitors=60, bot_views=12
        )
        path = cls.launch.get_absolute_url()
        detail = {"path": path, "content_object": cls.launch}
        ReferrerHits.objects.create(date=days_ago(1), host="www.google.com", url=GOOGLE,
                                    views=40, **detail)  # fmt: skip
        ReferrerHits.objects.create(date=days_ago(31), host="www.google.com", url=GOOGLE,
                                    views=20, **detail)  # fmt: skip
        ReferrerHits.objects.create(date=days_ago(2), host=EVIL_HOST, url=EVIL_URL, views=3,
                                    **detail)  # fmt: skip
        ReferrerHits.objects.create(date=days_ago(1), host="news.example", url="", views=9,
                                    path="/articles/other/", content_object=cls.other)  # fmt: skip
        SearchHits.objects.create(date=days_ago(1), engine="Google", keyword="", views=30,
                                  **detail)  # fmt: skip
        SearchHits.objects.create(date=days_ago(2), engine="Bing", keyword=FORMULA, views=2,
                                  **detail)  # fmt: skip
        CampaignHits.objects.create(date=days_ago(1), source="newsletter", medium="email",
                                    campaign="launch-week", views=12, **detail)  # fmt: skip
        StatusHits.objects.create(date=days_ago(1), status=200, views=900)
        StatusHits.objects.create(date=days_ago(1), status=404, views=4)
        StatusHits.objects.create(date=days_ago(31), status=404, views=2)
        StatusHits.objects.create(date=days_ago(2), status=599, views=1)
        NotFoundHits.objects.create(date=days_ago(1), path="/old-page/", hits=3,
                                    referrer="http://blog.example/post")  # fmt: skip
        NotFoundHits.objects.create(date=days_ago(1), path="/wp-login.php", hits=1)
        BotHits.objects.create(date=days_ago(1), bot="Googlebot", hits=25)
        BotHits.objects.create(date=days_ago(2), bot="<script>alert(1)</script>", hits=5)
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_headline_figures_of_classified_days(self) -> None:
        response = self.client.get(REPORT)
        self.assertEqual(
            labels(response),
            ["Views", "Visitors", "Bot views", "404 responses", "Views today"],
        )
        figures = {str(f.label): (f.value, f.previous) for f in response.context["figures"]}
        self.assertEqual(figures["Visitors"], (110, 60))
        self.assertEqual(figures["Bot views"], (35, 10))
        self.assertEqual(figures["404 responses"], (5, 2))
        self.assertContains(response, "Unique visitors of each day, added up")
        # The previous period was not classified: figures without a comparison.
        response = self.client.get(REPORT, {"period": "yesterday"})
        figures = {str(f.label): (f.value, f.previous) for f in response.context["figures"]}
        self.assertEqual(figures["Visitors"], (70, 40))
        response = self.client.get(REPORT, {"period": "custom", "start": days_ago(2).isoformat()})
        self.assertEqual(response.context["figures"][1].previous, None)

    def test_sources_tab(self) -> None:
        response = self.client.get(REPORT, {"tab": "sources"})
        self.assertEqual(
            [b.section.slug for b in response.context["blocks"]],
            ["referrers", "keywords", "referring-pages", "engines", "campaigns"],
        )
        hosts = [(r["host"], r["current"], r["previous"]) for r in records(response, "referrers")]
        self.assertEqual(hosts, [("www.google.com", 40, 20), ("news.example", 9, 0),
                                 (EVIL_HOST, 3, 0)])  # fmt: skip
        self.assertEqual([r["url"] for r in records(response, "referring-pages")],
                         [GOOGLE, EVIL_URL])  # fmt: skip
        self.assertEqual([r["keyword"] for r in records(response, "keywords")], ["", FORMULA])
        self.assertEqual(records(response, "campaigns")[0]["campaign"], "launch-week")
        html = response.content.decode()
        self.assertIn(
            f'<a href="{GOOGLE}" rel="noopener noreferrer nofollow" target="_blank"', html
        )
        self.assertNotIn('href="javascript:', html)
        self.assertIn("&lt;b&gt;evil.example&lt;/b&gt;", html)
        self.assertNotIn(EVIL_HOST, html)
        self.assertIn("(not provided, or others)", html)

    def test_errors_and_bots_tab(self) -> None:
        response = self.client.get(REPORT, {"tab": "technical"})
        self.assertEqual(
            [(r["status"], r["current"]) for r in records(response, "status")],
            [(200, 900), (404, 4), (599, 1)],
        )
        self.assertContains(response, "404</span> Not Found")
        self.assertContains(response, 'class="admin-hits-change up bad"', count=2)  # 404s
        self.assertEqual(
            [(r["page"], r["referrer"], r["current"]) for r in records(response, "not-found")],
            [("/old-page/", "http://blog.example/post", 3), ("/wp-login.php", "", 1)],
        )
        self.assertContains(response, "(none, or others)")
        self.assertEqual([r["bot"] for r in records(response, "bots")],
                         ["Googlebot", "<script>alert(1)</script>"])  # fmt: skip
        self.assertNotContains(response, "<script>alert(1)")

    def test_every_tab_within_the_query_budget(self) -> None:
        for tab in ("overview", "sources", "technical"):
            self.client.get(REPORT, {"tab": tab})
            with CaptureQueriesContext(connection) as queries:
                self.client.get(REPORT, {"tab": tab})
            with self.subTest(tab=tab):
                # As the overview (test_report_page), and the 404 suggestions' renames.
                self.assertLessEqual(len(queries), CONTENT_TAB_QUERIES)

    def test_today_says_these_tables_come_with_the_nightly_import(self) -> None:
        response = self.client.get(REPORT, {"tab": "sources", "period": "today"})
        self.assertContains(response, "Counted by the nightly import", count=5)
        self.assertEqual(labels(response), ["Views today"])

    def test_csv_of_a_source_table_is_escaped(self) -> None:
        _, rows = download(self.client, export_url("keywords"))
        self.assertEqual(rows, [["search keywords", "views", "previous period", "change, %"],
                                ["", "30", "0", ""], ["'" + FORMULA, "2", "0", ""]])  # fmt: skip
        _, rows = download(self.client, export_url("status"))
        self.assertEqual(rows[0], ["status", "requests", "previous period", "change, %"])
        self.assertEqual(rows[1], ["200", "900", "0", ""])

    def test_the_objects_page_shows_its_own_sources(self) -> None:
        response = self.client.get(object_url(self.launch), {"tab": "sources"})
        self.assertEqual(
            [r["host"] for r in records(response, "referrers")], ["www.google.com", EVIL_HOST]
        )
        self.assertEqual(len(records(response, "keywords")), 2)
        figures = {str(f.label): (f.value, f.previous) for f in response.context["figures"]}
        self.assertEqual(figures["Visitors"], (60, 0))
        self.assertEqual(figures["Bot views"], (12, 0))
        other = self.client.get(object_url(self.other), {"tab": "sources"})
        self.assertEqual([r["host"] for r in records(other, "referrers")], ["news.example"])
        self.assertEqual(records(other, "keywords"), [])


@pytest.mark.parametrize(
    ("table", "key"),
    [
        (CampaignsTable, {"campaign", "source", "medium"}),
        (NotFoundTable, {"path_hash", "referrer"}),
    ],
)
def test_every_order_of_a_table_ends_with_its_rows_key(table: type, key: set[str]) -> None:
    # Otherwise rows that tie on the sorted column may come in any order on PostgreSQL, a
    # different one for each page: a row is then on two pages, another on none.
    for name, column in table.base_columns.items():
        if column.orderable and name != "change":
            with_ties = table([]).columns[name].order_by
            assert key <= {field.lstrip("-") for field in with_ties}, name
