"""A previous period without data (a site that began recently, the demo's 30 days of logs): the
report says so once instead of showing every figure and row as "new"; CSV files keep their
columns."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from admin_hits.models import BotHits, DayTotals, NotFoundHits, ReferrerHits, StatusHits
from admin_hits.report.formatting import range_text
from admin_hits.report.totals import Totals, has_previous
from tests.admin.factories import add_live, days_ago, superuser
from tests.helpers import CONTENT_TAB_QUERIES
from tests.report.factories import REPORT, add_object, add_paths, export_url, object_url, records
from tests.report.test_export import download
from tests.testapp.models import Article

NOTE = "No data for the previous period"
BADGE = 'class="admin-hits-change'
TABS = ("overview", "sources", "technical")


def shown_columns(response, slug: str) -> list[str]:
    block = next(b for b in response.context["blocks"] if b.section.slug == slug)
    return [column.name for column in block.table.columns]


def previous_text(first: int, last: int) -> str:
    return range_text(days_ago(first), days_ago(last))


@pytest.mark.parametrize(
    ("views", "previous", "expected"),
    [
        (0, None, False),  # no day of the previous period classified, no views
        (0, {"visitors": 0, "bot_views": 0, "not_found": 0, "lines": 0}, False),
        (3, None, True),  # days imported before the classification
        (0, {"visitors": 0, "bot_views": 5, "not_found": 0, "lines": 5}, True),
        (0, {"visitors": 0, "bot_views": 0, "not_found": 0, "lines": 2}, True),  # files only
    ],
)
def test_has_previous(views: int, previous: dict | None, expected: bool) -> None:
    assert has_previous(views, Totals({"visitors": 1}, previous)) is expected


class NoPreviousDataTests(TestCase):
    """Every row in the last 30 days, classified, nothing before: the default report."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        add_object(cls.launch, {1: 100, 2: 50, 30: 7})
        add_paths("/", {1: 20})
        for day, views in ((1, 120), (2, 50), (30, 7)):
            DayTotals.objects.create(date=days_ago(day), views=views, visitors=5, bot_views=2,
                                     not_found=1, lines=200)  # fmt: skip
        ReferrerHits.objects.create(
            date=days_ago(1), host="news.example", url="", views=9,
            path="/articles/launch/", content_object=cls.launch,
        )  # fmt: skip
        StatusHits.objects.create(date=days_ago(1), status=200, views=9)
        NotFoundHits.objects.create(date=days_ago(1), path="/old/", hits=1)
        BotHits.objects.create(date=days_ago(1), bot="Googlebot", hits=2)
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_no_change_anywhere_and_the_note_once(self) -> None:
        for tab in TABS:
            with self.subTest(tab=tab):
                response = self.client.get(REPORT, {"tab": tab})
                self.assertNotContains(response, BADGE)
                self.assertNotContains(response, "compared with")
                self.assertContains(
                    response,
                    f"{NOTE} ({previous_text(60, 31)}), so there is nothing to compare with.",
                    count=1,
                )

    def test_figures_keep_their_values_without_a_previous_one(self) -> None:
        response = self.client.get(REPORT)
        figures = {
            str(f.label): (f.value, f.previous, f.change) for f in response.context["figures"]
        }
        self.assertEqual(figures["Views"], (177, None, ""))
        self.assertEqual(figures["Bot views"], (6, None, ""))
        self.assertNotContains(response, "vs 0")

    def test_tables_leave_out_the_previous_period(self) -> None:
        response = self.client.get(REPORT)
        self.assertEqual(shown_columns(response, "objects"), ["object", "object_type", "current"])
        self.assertEqual(shown_columns(response, "unmatched"), ["page", "current"])
        self.assertEqual(records(response, "objects")[0]["previous"], 0)  # rows unchanged
        self.assertNotContains(response, ">previous period<")
        technical = self.client.get(REPORT, {"tab": "technical"})
        self.assertEqual(shown_columns(technical, "status"), ["status", "current"])

    def test_the_chart_draws_no_previous_period(self) -> None:
        response = self.client.get(REPORT)
        self.assertNotIn('class="previous"', str(response.context["chart"]))
        self.assertNotContains(response, 'class="key previous"')

    def test_csv_files_keep_their_columns(self) -> None:
        _, rows = download(self.client, export_url("objects"))
        self.assertEqual(
            rows,
            [["object", "type", "views", "previous period", "change, %"],
             ["Launch", "article", "157", "0", ""]],
        )  # fmt: skip
        _, rows = download(self.client, export_url("status"))
        self.assertEqual(rows, [["status", "requests", "previous period", "change, %"],
                                ["200", "9", "0", ""]])  # fmt: skip
        path = object_url(self.launch, "admin_hits_object_export", "paths")
        _, rows = download(self.client, path)
        self.assertEqual(rows[0], ["path", "views", "previous period", "change, %"])

    def test_the_object_page_too(self) -> None:
        response = self.client.get(object_url(self.launch), {"tab": "sources"})
        self.assertContains(response, NOTE, count=1)
        self.assertNotContains(response, BADGE)
        self.assertEqual(shown_columns(response, "referrers"), ["host", "current"])

    def test_shorter_periods_and_today(self) -> None:
        response = self.client.get(REPORT, {"period": "7d"})
        self.assertContains(response, f"{NOTE} ({previous_text(14, 8)})")
        add_live(self.launch, 3)
        response = self.client.get(REPORT, {"period": "today"})
        self.assertNotContains(response, NOTE)  # yesterday had views
        self.assertContains(response, f'{BADGE} down bad"')  # 3 views today against 120

    def test_no_query_more_than_when_comparing(self) -> None:
        def count(**params: str) -> int:
            self.client.get(REPORT, params)  # content types and session cached
            with CaptureQueriesContext(connection) as captured:
                self.client.get(REPORT, params)
            return len(captured)

        empty = {tab: count(tab=tab) for tab in TABS}
        add_object(Article.objects.create(title="Old", slug="old"), {45: 3})
        DayTotals.objects.create(date=days_ago(45), views=3, lines=3)
        compared = {tab: count(tab=tab) for tab in TABS}
        self.assertContains(self.client.get(REPORT), BADGE)
        self.assertEqual(empty, compared)
        # The busiest tab (the overview: visits, live health, landing pages and downloads; the
        # content tab: launches, stale content, AI crawlers, each list of publications asking
        # how far the stored launches have read the admin's log) stays within a fixed budget.
        # One more since response times and bytes: the site's of the period (figures, tab).
        self.assertLessEqual(max(empty.values()), CONTENT_TAB_QUERIES)


class PreviousDataTests(TestCase):
    """Any data in the previous period: everything as before, "new" where a row had none."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title="Launch", slug="launch")
        cls.fresh = Article.objects.create(title="Fresh", slug="fresh")
        add_object(cls.launch, {1: 100, 40: 50})
        add_object(cls.fresh, {2: 10})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_changes_and_new_rows_as_before(self) -> None:
        response = self.client.get(REPORT)
        self.assertNotContains(response, NOTE)
        self.assertContains(response, f"compared with {previous_text(60, 31)}")
        self.assertContains(response, "+120%")  # 110 views against 50
        # "Fresh" had nothing before: "new" in the top objects and the top pages.
        self.assertContains(response, f'{BADGE} new"', count=2)
        self.assertIn("change", shown_columns(response, "objects"))
        self.assertIn('class="previous"', str(response.context["chart"]))

    def test_only_bot_views_before_is_something_to_compare_with(self) -> None:
        DayTotals.objects.create(date=days_ago(3), views=0, bot_views=4, lines=4)
        response = self.client.get(REPORT, {"period": "custom", "start": days_ago(2).isoformat(),
                                            "end": days_ago(1).isoformat()})  # fmt: skip
        self.assertNotContains(response, NOTE)
        self.assertContains(response, f'{BADGE} new"')

    def test_the_object_page_looks_at_the_objects_own_previous_period(self) -> None:
        launch = self.client.get(object_url(self.launch))
        self.assertNotContains(launch, NOTE)
        self.assertContains(launch, BADGE)
        fresh = self.client.get(object_url(self.fresh))
        self.assertContains(fresh, NOTE, count=1)
        self.assertNotContains(fresh, BADGE)
        self.assertNotIn("change", shown_columns(fresh, "paths"))

    def test_the_object_page_today_without_views_yesterday(self) -> None:
        add_live(self.fresh, 4)
        response = self.client.get(object_url(self.fresh), {"period": "today"})
        self.assertEqual(response.context["figures"][0].value, 4)
        self.assertContains(response, f"{NOTE} ({previous_text(1, 1)})")
        self.assertNotContains(response, BADGE)
        self.assertContains(self.client.get(REPORT, {"period": "today"}), "compared with")
