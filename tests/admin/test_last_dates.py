"""A date hierarchy choice at the end of Python's dates (``?date__year=9999``): the changelists
answer with their rows of those days, none in practice, instead of a server error."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.urls import reverse

from admin_hits.admin.changelists import hierarchy_bounds
from admin_hits.models import Hits, PathHits
from tests.admin.factories import superuser
from tests.testapp.models import Article

HITS = reverse("admin:admin_hits_hits_changelist")
PATHS = reverse("admin:admin_hits_pathhits_changelist")
LAST_YEAR = ["date__year=9999", "date__year=9999&date__month=12",
             "date__year=9999&date__month=12&date__day=31"]  # fmt: skip


class LastDatesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        article = Article.objects.create(title="Now", slug="now")
        article_type = ContentType.objects.get_for_model(Article)
        Hits.objects.create(content_type=article_type, object_id=str(article.pk),
                            date=datetime.date(2025, 3, 5), views=2)  # fmt: skip
        PathHits.objects.create(date=datetime.date(2025, 3, 5), path="/now/", views=2)
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_the_last_year_month_and_day_list_no_rows(self) -> None:
        for changelist in (HITS, PATHS):
            for query in LAST_YEAR:
                with self.subTest(changelist=changelist, query=query):
                    response = self.client.get(f"{changelist}?{query}")
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response.context["cl"].result_count, 0)
                    self.assertContains(response, "0 ")

    def test_rows_of_those_days_are_listed(self) -> None:
        PathHits.objects.create(date=datetime.date(9999, 12, 31), path="/far/", views=1)
        for query in LAST_YEAR:
            with self.subTest(query=query):
                response = self.client.get(f"{PATHS}?{query}")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "/far/")
                self.assertNotContains(response, "/now/")

    def test_other_years_are_bounded_as_before(self) -> None:
        response = self.client.get(f"{PATHS}?date__year=2025&date__month=3")
        self.assertContains(response, "/now/")
        self.assertEqual(response.context["cl"].past_last_day, None)
        self.assertEqual(self.client.get(f"{PATHS}?date__year=x").status_code, 302)  # ?e=1


def test_bounds_end_open_past_the_last_day() -> None:
    last = datetime.date(9999, 12, 31)
    assert hierarchy_bounds({"date__year": "9999"}, "date") == (datetime.date(9999, 1, 1), None)
    assert hierarchy_bounds({"date__year": "9999", "date__month": "12", "date__day": "31"},
                            "date") == (last, None)  # fmt: skip
    assert hierarchy_bounds({"date__year": "9998"}, "date") == (
        datetime.date(9998, 1, 1), datetime.date(9999, 1, 1))  # fmt: skip
