"""The ``Hits`` and ``PathHits`` changelists at volume: estimated counts on PostgreSQL, and a date
hierarchy read from the days that have rows, the same links as Django's own."""

from __future__ import annotations

import datetime
from unittest import mock

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from admin_hits.admin import changelists
from admin_hits.models import Hits, PathHits
from tests.admin.factories import superuser
from tests.testapp.models import Article, Release

HITS = reverse("admin:admin_hits_hits_changelist")
PATHS = reverse("admin:admin_hits_pathhits_changelist")
DAYS = [
    datetime.date(2024, 12, 31),
    datetime.date(2025, 1, 1),
    datetime.date(2025, 1, 2),
    datetime.date(2025, 1, 20),
    datetime.date(2025, 3, 5),
]


class DateHierarchyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        a, b = (Article.objects.create(title=t, slug=t) for t in ("a", "b"))
        ct = ContentType.objects.get_for_model(Article)
        for n, day in enumerate(DAYS):
            for obj in (a, b):
                Hits.objects.create(date=day, views=n + 1, content_type=ct, object_id=str(obj.pk))
            PathHits.objects.create(date=day, path=f"/p{n}/", views=n)
        # Releases were viewed on two of those days only: filtered by type, the links differ.
        release = Release.objects.create(title="r")
        cls.release_type = ContentType.objects.get_for_model(Release)
        for day in (DAYS[1], DAYS[4]):
            Hits.objects.create(
                date=day, views=7, content_type=cls.release_type, object_id=str(release.pk)
            )
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def changelist(self, url: str, **params: str):
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return response.context["cl"]

    def test_the_same_links_as_djangos_date_hierarchy(self) -> None:
        cases = [
            {},
            {"date__year": "2025"},
            {"date__year": "2024"},
            {"date__year": "2025", "date__month": "1"},
            {"date__year": "2025", "date__month": "1", "date__day": "20"},
            {"date__gte": "2025-01-02", "date__lt": "2025-03-01"},
            {"date__gte": "2025-03-01"},
            {"date__year": "2025", "date__gte": "2025-01-02"},
            {"date__year": "2023"},
        ]
        for url in (HITS, PATHS):
            for params in cases:
                with self.subTest(url=url, params=params):
                    cl = self.changelist(url, **params)
                    self.assertIsNotNone(cl.days_hierarchy)
                    self.assertEqual(cl.days_hierarchy, date_hierarchy(cl))

    def test_the_page_shows_what_djangos_date_hierarchy_shows(self) -> None:
        # The same HTML, whatever the running Django's own template needs besides the links.
        tag = Template("{% load admin_list %}{% date_hierarchy cl %}")
        for url in (HITS, PATHS):
            for params in ({}, {"date__year": "2025"}, {"date__year": "2025", "date__month": "1"}):
                with self.subTest(url=url, params=params):
                    response = self.client.get(url, params)
                    cl = response.context["cl"]
                    self.assertIsNotNone(cl.days_hierarchy)
                    djangos = tag.render(Context({"cl": cl, "opts": cl.opts}))
                    self.assertIn('class="toplinks"', djangos)
                    self.assertInHTML(djangos, response.content.decode())

    def test_a_content_type_filter_gives_the_days_of_that_type(self) -> None:
        article_type = ContentType.objects.get_for_model(Article)
        for ct in (article_type, self.release_type):
            for params in ({}, {"date__year": "2025"}, {"date__year": "2025", "date__month": "3"},
                           {"date__gte": "2025-01-02"}):  # fmt: skip
                params = {**params, "content_type__id__exact": str(ct.pk)}
                with self.subTest(params=params):
                    cl = self.changelist(HITS, **params)
                    self.assertIsNotNone(cl.days_hierarchy)
                    self.assertEqual(cl.days_hierarchy, date_hierarchy(cl))
        # Releases: 2025 only, January and March; articles: two years.
        cl = self.changelist(HITS, content_type__id__exact=str(self.release_type.pk))
        titles = [choice["title"] for choice in cl.days_hierarchy["choices"]]
        self.assertEqual(titles, ["January 2025", "March 2025"])
        # Any column second in a date index: the views of the (date, views) index too.
        cl = self.changelist(HITS, views="3")
        self.assertEqual(cl.days_hierarchy, date_hierarchy(cl))
        self.assertEqual(cl.days_hierarchy["choices"][0]["title"], "January 2")

    def test_a_content_type_filter_reads_the_days_without_a_distinct(self) -> None:
        params = {"content_type__id__exact": str(self.release_type.pk)}
        self.client.get(HITS, params)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(HITS, params)
        sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
        self.assertNotIn("DISTINCT", sql)
        self.assertIn("EXISTS (SELECT 1", sql)

    def test_a_bad_content_type_keeps_djangos_own_handling(self) -> None:
        response = self.client.get(HITS, {"content_type__id__exact": "x"})
        self.assertRedirects(response, HITS + "?e=1", fetch_redirect_response=False)

    def test_a_content_type_beyond_the_columns_range_lists_nothing(self) -> None:
        # The database driver refuses such a number; Django's own query finds no rows for it.
        for value in ("99999999999999999999", "-99999999999999999999"):
            with self.subTest(value=value):
                response = self.client.get(HITS, {"content_type__id__exact": value})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(list(response.context["cl"].result_list), [])

    def test_a_search_or_other_filter_gives_djangos_links_and_count_from_one_query(self) -> None:
        ct = ContentType.objects.get_for_model(Article)
        article = Article.objects.get(title="a")
        # PathHits has no index that gives the content type after the date: a type with
        # few paths would make every day's probe walk that day's paths. These read the days
        # of the rows they list, with their count, in one query (Django reads them three
        # times: the count, the first and last day, then the years or months).
        cases = [({"q": str(article.pk)}, HITS), ({"q": "1"}, HITS), ({"q": "/p"}, PATHS),
                 ({"q": "/p4"}, PATHS), ({"q": "nothing"}, PATHS), ({"matched": "no"}, PATHS),
                 ({"content_type__id__exact": str(ct.pk)}, PATHS),
                 ({"q": "/p", "date__year": "2025"}, PATHS),
                 ({"q": "/p", "date__year": "2025", "date__month": "1"}, PATHS)]  # fmt: skip
        for params, url in cases:
            with self.subTest(params=params, url=url):
                self.client.get(url, params)
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(url, params)
                cl = response.context["cl"]
                self.assertEqual(cl.days_hierarchy, date_hierarchy(cl))
                self.assertEqual(cl.result_count, cl.queryset.count())
                self.assertContains(response, 'class="toplinks"')
                sql = [q["sql"].upper() for q in queries.captured_queries]
                grouped = [q for q in sql if "COUNT(*)" in q and "GROUP BY" in q]
                self.assertEqual(len(grouped), 1, sql)
                self.assertFalse([q for q in sql if "COUNT(*)" in q and q not in grouped], sql)
                self.assertFalse([q for q in sql if "MIN(" in q and "MAX(" in q], sql)
                self.assertFalse([q for q in sql if "DISTINCT" in q], sql)

    def test_the_days_are_read_without_a_distinct_over_the_rows(self) -> None:
        self.client.get(HITS)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(HITS, {"date__year": "2025"})
        self.assertContains(response, "?date__month=1&amp;date__year=2025")
        self.assertContains(response, "?date__month=3&amp;date__year=2025")
        sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
        self.assertNotIn("DISTINCT", sql)
        self.assertIn("WITH RECURSIVE", sql)

    def test_distinct_days(self) -> None:
        field = Hits._meta.get_field("date")
        days = changelists.distinct_days
        self.assertEqual(days(field, None, None, using="default"), DAYS)
        within = days(field, datetime.date(2025, 1, 1), datetime.date(2025, 1, 21), using="default")
        self.assertEqual(within, DAYS[1:4])
        self.assertEqual(days(field, datetime.date(2026, 1, 1), None, using="default"), [])
        ct = self.release_type.pk
        self.assertEqual(
            days(field, None, None, using="default", equal={"content_type_id": ct}),
            [DAYS[1], DAYS[4]],
        )
        self.assertEqual(
            days(field, None, DAYS[4], using="default", equal={"content_type_id": ct}), [DAYS[1]]
        )
        self.assertEqual(days(field, None, None, using="default", equal={"content_type_id": 0}), [])


class OneTypeDateHierarchyTests(TestCase):
    """A site whose hits are all of one type: the content type filter is not shown, and
    Django filters nothing by a type given in the URL; nor do the date links."""

    @classmethod
    def setUpTestData(cls) -> None:
        article = Article.objects.create(title="a", slug="a")
        ct = ContentType.objects.get_for_model(Article)
        for day in DAYS:
            Hits.objects.create(date=day, views=1, content_type=ct, object_id=str(article.pk))
        cls.boss = superuser()

    def test_a_type_filter_that_is_not_shown_narrows_nothing(self) -> None:
        self.client.force_login(self.boss)
        release = ContentType.objects.get_for_model(Release)
        response = self.client.get(HITS, {"content_type__id__exact": str(release.pk)})
        cl = response.context["cl"]
        self.assertEqual(cl.result_count, len(DAYS))
        self.assertIsNotNone(cl.days_hierarchy)
        self.assertEqual(cl.days_hierarchy, date_hierarchy(cl))
        self.assertEqual([c["title"] for c in cl.days_hierarchy["choices"]], ["2024", "2025"])


class EstimatedCountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        article = Article.objects.create(title="a", slug="a")
        ct = ContentType.objects.get_for_model(Article)
        Hits.objects.bulk_create(
            Hits(date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n), views=n,
                 content_type=ct, object_id=str(article.pk))
            for n in range(150)
        )  # fmt: skip
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_postgresql_estimates_sqlite_counts(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE admin_hits_hits")
        whole = changelists.planner_estimate(Hits.objects.all())
        filtered = changelists.planner_estimate(Hits.objects.filter(views__lt=10))
        if connection.vendor == "postgresql":
            self.assertEqual(whole, 150)
            self.assertIsInstance(filtered, int)
        else:
            self.assertIsNone(whole)
            self.assertIsNone(filtered)

    def test_a_large_count_is_shown_as_an_estimate(self) -> None:
        with mock.patch.object(changelists, "planner_estimate", return_value=12_345_678):
            response = self.client.get(HITS)
        cl = response.context["cl"]
        self.assertEqual(cl.result_count, 12_345_678)
        self.assertTrue(cl.paginator.estimated)
        self.assertContains(response, "about 12345678</span> hits")

    def test_a_small_count_is_exact(self) -> None:
        with mock.patch.object(changelists, "planner_estimate", return_value=5_000):
            response = self.client.get(HITS, {"views__lt": "10"})
        cl = response.context["cl"]
        self.assertEqual(cl.result_count, 10)
        self.assertFalse(cl.paginator.estimated)
        self.assertNotContains(response, "about ")
        self.assertContains(response, "10 hits")
