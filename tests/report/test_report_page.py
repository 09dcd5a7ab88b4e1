"""The traffic report page: periods, figures, chart, tables, and the live day."""

from __future__ import annotations

import re

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from admin_hits.report.formatting import long_day_text
from admin_hits.report.objects import object_report_url
from admin_hits.report.tables import MAX_PER_PAGE
from tests.admin.factories import days_ago, superuser
from tests.helpers import REPORT_QUERIES
from tests.report.factories import (
    REPORT,
    add_live_path,
    add_object,
    add_paths,
    export_url,
    records,
)
from tests.testapp.models import Article, Release

HOSTILE_PATH = '/"><script>alert(1)</script>'
HOSTILE_TITLE = "Launch <img src=x onerror=alert(1)>"


def column(rows: list[dict], key: str) -> list:
    return [row[key] for row in rows]


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.launch = Article.objects.create(title=HOSTILE_TITLE, slug="launch")
        cls.quiet = Article.objects.create(title="Quiet", slug="quiet")
        cls.release = Release.objects.create(title="Version 2")
        add_object(cls.launch, {1: 10000, 2: 2345, 31: 1000})
        add_object(cls.quiet, {1: 5})
        add_object(cls.release, {3: 700})
        add_paths("/", {1: 500, 40: 250})
        add_paths(HOSTILE_PATH, {2: 3})
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def get(self, **params: str):
        response = self.client.get(REPORT, params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_last_30_days_by_default_compared_with_the_30_before(self) -> None:
        response = self.get()
        views = response.context["figures"][0]
        self.assertEqual((views.value, views.previous), (13553, 1250))
        self.assertContains(response, "13,553")
        self.assertContains(response, "vs 1,250")
        self.assertContains(response, "+984%")
        scope = response.context["scope"]
        self.assertEqual((scope.period.start, scope.period.end), (days_ago(30), days_ago(1)))
        self.assertEqual((scope.previous.start, scope.previous.end), (days_ago(60), days_ago(31)))
        chart = str(response.context["chart"])
        self.assertEqual(chart.count('class="bar"'), 30)
        self.assertIn('class="previous"', chart)

    def test_top_objects_of_every_model_with_their_previous_period(self) -> None:
        rows = records(self.get(), "objects")
        self.assertEqual(column(rows, "object"), [self.launch, self.release, self.quiet])
        self.assertEqual(column(rows, "current"), [12345, 700, 5])
        self.assertEqual(column(rows, "previous"), [1000, 0, 0])

    def test_top_objects_link_to_their_drill_down_and_escape_names(self) -> None:
        response = self.get()
        url = object_report_url("admin", *self._ref(self.launch))
        name = "Launch &lt;img src=x onerror=alert(1)&gt;"
        self.assertContains(response, f'<a href="{url}" title="{name}">{name}</a>', html=True)
        self.assertNotContains(response, "<img src=x")

    def test_object_links_keep_the_period(self) -> None:
        # The figure beside the link is the period's; the page it opens shows the same period.
        url = object_report_url("admin", *self._ref(self.launch))
        html = self.get(period="7d").content.decode()
        self.assertIn(f'href="{url}?period=7d"', html)
        start, end = days_ago(3).isoformat(), days_ago(2).isoformat()
        html = self.get(period="custom", start=start, end=end).content.decode()
        self.assertIn(f'href="{url}?period=custom&amp;start={start}&amp;end={end}"', html)
        self.assertIn(f'href="{url}"', self.get().content.decode())  # the default: none

    def test_long_names_and_paths_are_shortened_on_screen_only(self) -> None:
        title = "A" * 75 + " & more"
        long = Article.objects.create(title=title, slug="long")
        add_object(long, {1: 99999})
        add_paths("/" + "x" * 200, {1: 1})
        response = self.get()
        self.assertContains(response, f'title="{"A" * 75} &amp; more">{"A" * 69}…</a>')
        self.assertContains(response, f'title="/{"x" * 200}">/{"x" * 88}…</code>')
        self.assertEqual(records(response, "objects")[0]["object"], long)

    def test_top_objects_of_one_model(self) -> None:
        response = self.get()
        block = records(response, "objects")
        self.assertEqual(len(block), 3)
        filters = next(b for b in response.context["blocks"] if b.section.slug == "objects").filters
        self.assertEqual([str(f.label) for f in filters], ["All", "articles", "releases"])
        releases = filters[2].url
        rows = records(self.client.get(REPORT + releases), "objects")
        self.assertEqual(column(rows, "object"), [self.release])
        html = self.client.get(REPORT + releases).content.decode()
        self.assertNotIn('<th class="orderable" scope="col"><span>Type', html)
        # A model whose admin shows no hits can not be chosen: the filter is ignored.
        rows = records(self.get(**{"objects-model": "999999"}), "objects")
        self.assertEqual(len(rows), 3)

    def test_top_pages_and_unmatched_paths_escape_paths(self) -> None:
        response = self.get()
        pages = records(response, "pages")
        self.assertEqual(
            column(pages, "page"),
            ["/articles/launch/", f"/releases/{self.release.pk}/", "/", "/articles/quiet/",
             HOSTILE_PATH],
        )  # fmt: skip
        self.assertEqual(pages[0]["object"], self.launch)
        self.assertIsNone(pages[2]["object"])
        self.assertEqual(column(records(response, "unmatched"), "page"), ["/", HOSTILE_PATH])
        self.assertContains(response, "/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(response, "<script>alert(1)")

    def test_yesterday(self) -> None:
        response = self.get(period="yesterday")
        views = response.context["figures"][0]
        self.assertEqual((views.value, views.previous), (10505, 2348))
        self.assertEqual(column(records(response, "objects"), "current"), [10000, 5])
        # One day alone says little: the chart shows two weeks, the other days muted.
        chart = str(response.context["chart"])
        self.assertEqual(chart.count('class="bar"'), 1)
        self.assertEqual(chart.count('class="bar muted"'), 13)
        self.assertNotIn('class="previous"', chart)

    def test_today_in_a_range_is_not_counted_yet_rather_than_no_views(self) -> None:
        chart = str(self.get(period="month").context["chart"])
        self.assertEqual(chart.count('class="bar pending"'), 1)  # today, the range's last day
        self.assertIn("counted after midnight", chart)
        today = long_day_text(days_ago(0))
        self.assertNotIn(f"{today}: 0 views", chart)

    def test_last_7_days_and_last_month_are_offered(self) -> None:
        response = self.get(period="7d")
        self.assertEqual(response.context["figures"][0].value, 13553)
        presets = response.context["presets"]
        self.assertEqual(
            [str(p.label) for p in presets],
            ["Today (live)", "Yesterday", "Last 7 days", "Last 30 days", "This month",
             "Last month"],
        )  # fmt: skip
        self.assertEqual([p.selected for p in presets].index(True), 2)
        self.assertEqual(presets[4].url, "?period=month")
        self.assertEqual(self.get(period="last-month").context["scope"].period.preset, "last-month")

    def test_custom_range(self) -> None:
        start, end = days_ago(3), days_ago(2)
        response = self.get(period="custom", start=start.isoformat(), end=end.isoformat())
        self.assertEqual(response.context["figures"][0].value, 3048)
        self.assertEqual(
            column(records(response, "objects"), "object"), [self.launch, self.release]
        )
        self.assertContains(response, f'value="{start.isoformat()}"')

    def test_an_impossible_range_says_why_and_shows_the_default(self) -> None:
        response = self.get(
            period="custom", start=days_ago(1).isoformat(), end=days_ago(2).isoformat()
        )
        self.assertContains(response, "The range starts after it ends.")
        self.assertEqual(response.context["scope"].period.preset, "30d")
        response = self.get(period="custom", start="1900-01-01")
        self.assertContains(response, "A range can be at most 731 days long.")
        response = self.get(period="custom", start="not a date")
        self.assertContains(response, "Enter a valid date.")
        # Its previous period and its chart's days would be before the first date there is.
        for start, end in [("0001-01-01", "0001-01-02"), ("0001-01-05", "0001-01-05")]:
            response = self.get(period="custom", start=start, end=end)
            self.assertContains(response, "The range can not start before 1990-01-01.")
            self.assertEqual(response.context["scope"].period.preset, "30d")
            export = self.client.get(export_url("objects"), {"period": "custom", "start": start})
            self.assertEqual(export.status_code, 200)

    def test_sorting_and_pages(self) -> None:
        rows = records(self.get(**{"objects-sort": "current"}), "objects")
        self.assertEqual(column(rows, "current"), [5, 700, 12345])
        ascending = column(records(self.get(**{"pages-sort": "page"}), "pages"), "page")
        descending = column(records(self.get(**{"pages-sort": "-page"}), "pages"), "page")
        self.assertEqual(ascending[0], "/")  # the database's collation orders the rest
        self.assertEqual(ascending, descending[::-1])
        for n in range(12):
            add_object(Article.objects.create(title=f"A{n}", slug=f"a{n}"), {4: n + 1})
        first = self.get()
        self.assertEqual(len(records(first, "objects")), 10)
        self.assertContains(first, "objects-page=2")
        second = records(self.get(**{"objects-page": "2"}), "objects")
        self.assertEqual(len(second), 5)
        self.assertEqual(len(records(self.get(**{"objects-per_page": "100000"}), "objects")), 15)
        self.assertEqual(MAX_PER_PAGE, 100)

    def test_hostile_parameters_are_ignored(self) -> None:
        for sort in ("password", "object", "-change", "current,__class__", "-"):
            response = self.get(**{"objects-sort": sort, "objects-page": "x", "tab": "<b>"})
            self.assertEqual(len(records(response, "objects")), 3)
            self.assertNotContains(response, "<b>")
        response = self.get(**{"objects-page": "999", "objects-per_page": "-5"})
        self.assertEqual(len(records(response, "objects")), 3)
        # Past what the database's integers hold: the offset is not computed, the last page is
        # shown, its share bars drawn against its own rows.
        response = self.get(**{"objects-page": "99999999999999999999"})
        self.assertEqual(len(records(response, "objects")), 3)
        self.assertIn('class="fill" width="100"', response.content.decode())

    def test_today_comes_from_the_live_store(self) -> None:
        add_live_path("/articles/launch/", 40)
        add_live_path(f"/releases/{self.release.pk}/", 2)
        add_live_path("/about/", 7)
        response = self.get(period="today")
        views = response.context["figures"][0]
        # Not against the whole of yesterday: yesterday's hours were never counted here, so
        # there is no fair comparison (test_live_compare.py has the one with them).
        self.assertEqual((views.value, views.previous), (49, None))
        self.assertTrue(views.live_url)
        objects = records(response, "objects")
        self.assertEqual(column(objects, "object"), [self.launch, self.release])
        self.assertEqual(column(objects, "previous"), [10000, 0])
        self.assertEqual(column(records(response, "unmatched"), "page"), ["/about/"])
        self.assertIn('class="bar live"', str(response.context["chart"]))

    @override_settings(ADMIN_HITS_STORE="memcached://127.0.0.1:1", ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_a_live_store_that_is_down_is_reported_not_fatal(self) -> None:
        response = self.get(period="today")
        self.assertContains(response, "The live store is unavailable")
        self.assertIsNone(response.context["figures"][0].value)
        self.assertEqual(records(response, "objects"), [])
        response = self.get()
        self.assertEqual(response.context["figures"][0].value, 13553)
        self.assertIsNone(response.context["figures"][1].value)
        self.assertContains(response, "live store unavailable")

    def test_the_live_figure_is_refreshed_by_the_script(self) -> None:
        response = self.get()
        html = response.content.decode()
        self.assertIn("admin_hits/live.js", html)
        live = re.search(r'data-admin-hits-live="([^"]+)"', html)
        self.assertEqual(live.group(1), "/admin/admin_hits/report/live/")
        self.assertIn('data-age-text="updated %(seconds)s s ago"', html)

    def test_days_not_classified_have_no_visitor_bot_or_404_figures(self) -> None:
        labels = [str(f.label) for f in self.get().context["figures"]]
        self.assertEqual(labels, ["Views", "Views today"])  # no made-up zeros

    def test_tabs_keep_the_period(self) -> None:
        tabs = self.get(period="7d").context["tabs"]
        self.assertEqual(
            [(str(t.label), t.url, t.selected) for t in tabs],
            [("Overview", "?period=7d&tab=overview", True),
             ("Sources", "?period=7d&tab=sources", False),
             ("Audience", "?period=7d&tab=audience", False),
             ("Errors and bots", "?period=7d&tab=technical", False),
             ("Content", "?period=7d&tab=content", False)],
        )  # fmt: skip

    def _ref(self, obj) -> tuple[int, str]:
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get_for_model(obj).pk, str(obj.pk)


class QueryCountTests(TestCase):
    """The report costs the same number of queries whatever the number of rows."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()

    def queries(self, **params: str) -> int:
        self.client.force_login(self.boss)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(REPORT, params)
        self.assertEqual(response.status_code, 200)
        return len(captured)

    def add(self, first: int, count: int) -> None:
        for n in range(first, first + count):
            add_object(Article.objects.create(title=f"A{n}", slug=f"a{n}"), {1: n, 35: 1})
            add_object(Release.objects.create(title=f"R{n}"), {2: n})
            add_paths(f"/other/{n}/", {3: n})

    def test_at_most_21_queries_and_no_more_with_more_rows(self) -> None:
        # Session and user, the chart's days, the headline figures (traffic, visits, live
        # counts and the pipes' heartbeats), the chart's publication marks (and, per model,
        # how far the stored launches read the admin's log), the stored periods,
        # the overview tab's five tables and one query per model of their objects.
        self.add(0, 2)
        self.queries()  # content types and sessions cached, as on a running site
        few = self.queries()
        self.add(2, 40)
        many = self.queries()
        # And the site's bytes and response times (their figures, and the "Speed" tab).
        self.assertLessEqual(many, REPORT_QUERIES)
        self.assertEqual(few, many)
        self.assertEqual(self.queries(**{"objects-page": "3", "pages-sort": "page"}), many)
