"""Visits and downloads in the report: the "Visits" and "Bounce rate" figures, the "Landing
pages" and "Top downloads" tables, on the report and on an object's page, with CSV."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from admin_hits.models import DownloadHits, LandingHits, VisitTotals
from tests.admin.factories import days_ago, superuser
from tests.helpers import REPORT_QUERIES
from tests.report.factories import REPORT, add_object, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article


def figures(response) -> dict[str, tuple]:
    return {str(f.label): (f.value, f.previous) for f in response.context["figures"]}


class VisitSectionsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        cls.other = Article.objects.create(title="Other", slug="other")
        add_object(cls.launch, {1: 100, 31: 80})
        add_object(cls.other, {1: 10})
        for day, visits, bounces in ((1, 80, 20), (2, 20, 20), (31, 50, 10)):
            VisitTotals.objects.create(date=days_ago(day), visits=visits, bounces=bounces,
                                       views=visits * 2)  # fmt: skip
        launch = {"path": cls.launch.get_absolute_url(), "content_object": cls.launch}
        LandingHits.objects.create(date=days_ago(1), visits=40, bounces=10, exits=30, **launch)
        LandingHits.objects.create(date=days_ago(31), visits=20, bounces=5, exits=20, **launch)
        LandingHits.objects.create(date=days_ago(1), path="/", visits=60, bounces=30, exits=50)
        LandingHits.objects.create(date=days_ago(1), path="/about/", visits=0, bounces=0, exits=5)
        DownloadHits.objects.create(date=days_ago(1), path="/media/kit.pdf", downloads=7,
                                    requests=30, content_object=cls.launch)  # fmt: skip
        DownloadHits.objects.create(date=days_ago(2), path="/files/=evil.zip", downloads=2,
                                    requests=2)  # fmt: skip
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_visits_and_bounce_rate_beside_views(self) -> None:
        response = self.client.get(REPORT)
        found = figures(response)
        self.assertEqual(found["Visits"], (100, 50))
        self.assertEqual(found["Bounce rate"], (0.4, 0.2))
        self.assertContains(response, "40.0%")
        labels = list(found)
        self.assertLess(labels.index("Views"), labels.index("Visits"))

    def test_no_visits_stored_no_figures(self) -> None:
        response = self.client.get(REPORT, {"period": "today"})
        self.assertNotIn("Visits", figures(response))
        self.assertNotIn("Bounce rate", figures(response))
        VisitTotals.objects.all().delete()
        self.assertNotIn("Visits", figures(self.client.get(REPORT)))

    def test_landing_pages_and_top_downloads(self) -> None:
        response = self.client.get(REPORT)
        landings = records(response, "landings")
        self.assertEqual(
            [(r["page"], r["current"], r["bounces"], r["previous"]) for r in landings],
            [("/", 60, 30, 0), ("/articles/launch/", 40, 10, 20)],
        )
        self.assertContains(response, "Landing pages")
        self.assertContains(response, "50.0%")  # the home page's bounce rate
        downloads = records(response, "downloads")
        self.assertEqual([(r["page"], r["current"]) for r in downloads],
                         [("/media/kit.pdf", 7), ("/files/=evil.zip", 2)])  # fmt: skip
        self.assertContains(response, "Top downloads")

    def test_csv_of_landings_and_downloads(self) -> None:
        _, rows = download(self.client, export_url("landings"))
        self.assertEqual(rows[0], ["landing page", "object", "visits", "bounces",
                                   "bounce rate, %", "exits", "previous period",
                                   "change, %"])  # fmt: skip
        self.assertEqual(rows[1], ["/", "", "60", "30", "50.0", "50", "0", ""])
        self.assertEqual(
            rows[2], ["/articles/launch/", "Launch", "40", "10", "25.0", "30", "20", "100.0"]
        )
        _, rows = download(self.client, export_url("downloads"))
        self.assertEqual(rows[0], ["file", "object", "downloads", "previous period", "change, %"])
        self.assertEqual(rows[2], ["/files/=evil.zip", "", "2", "0", ""])

    def test_the_objects_page_shows_its_landings_bounce_rate_and_downloads(self) -> None:
        response = self.client.get(object_url(self.launch))
        found = figures(response)
        self.assertEqual(found["Visits"], (40, 20))
        self.assertEqual(found["Bounce rate"], (0.25, 0.25))
        self.assertEqual([r["current"] for r in records(response, "landings")], [40])
        self.assertEqual([r["current"] for r in records(response, "downloads")], [7])
        other = self.client.get(object_url(self.other))
        self.assertNotIn("Visits", figures(other))
        self.assertEqual(records(other, "downloads"), [])

    def test_the_overview_within_the_query_budget(self) -> None:
        self.client.get(REPORT)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(REPORT)
        self.assertLessEqual(len(queries), REPORT_QUERIES)  # as test_report_page
