"""The "Trending" and "No views in 30 days" changelist filters, at the edges of their rules."""

from __future__ import annotations

import datetime
import uuid

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.admin.factories import add_hits, add_live, days_ago, superuser
from tests.testapp.models import Article, Release

ARTICLES = reverse("admin:testapp_article_changelist")
RELEASES = reverse("admin:testapp_release_changelist")


def spread(first_day: int, days: int, total: int) -> dict[int, int]:
    """``total`` views over ``days`` days from ``first_day`` days ago backwards."""
    views = {first_day + n: total // days for n in range(days)}
    views[first_day] += total - sum(views.values())
    return {n: v for n, v in views.items() if v}


def article(slug: str, week: int, before: int, **extra: int) -> Article:
    """An article with ``week`` views in the last 7 days and ``before`` in the 4 weeks before."""
    obj = Article.objects.create(title=slug, slug=slug)
    views = {**spread(1, 7, week), **spread(8, 28, before)}
    views.update({int(k.removeprefix("d")): v for k, v in extra.items()})
    add_hits(obj, views)
    return obj


@override_settings(ADMIN_HITS_TRENDING_MIN_VIEWS=10)
class TrendingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        article("at-minimum", week=10, before=0)
        article("below-minimum", week=9, before=0)
        article("exactly-twice", week=20, before=40)  # 10 a week before: twice that
        article("just-under-twice", week=20, before=41)
        article("one-to-three", week=3, before=4)  # 1 a week to 3: tripled, but too few
        article("today-only", week=0, before=0, d0=500)  # today is still being counted
        article("old-views-do-not-count", week=12, before=0, d36=1000)
        article("steady", week=100, before=400)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def titles(self, url: str, **params: str) -> list[str]:
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200)
        return sorted(str(obj) for obj in response.context["cl"].result_list)

    def days_written(self, first: datetime.date, last: datetime.date) -> None:
        """What the nightly import does after writing days (nothing to do here)."""

    def test_the_edges(self) -> None:
        self.assertEqual(
            self.titles(ARTICLES, hits="trending"),
            ["at-minimum", "exactly-twice", "old-views-do-not-count"],
        )

    def test_the_minimum_is_a_setting(self) -> None:
        with override_settings(ADMIN_HITS_TRENDING_MIN_VIEWS=3):
            self.assertIn("one-to-three", self.titles(ARTICLES, hits="trending"))
        with override_settings(ADMIN_HITS_TRENDING_MIN_VIEWS=0):  # still at least one view
            self.assertNotIn("today-only", self.titles(ARTICLES, hits="trending"))

    def test_the_filter_is_offered_and_unknown_values_filter_nothing(self) -> None:
        response = self.client.get(ARTICLES)
        self.assertContains(response, "?hits=trending")
        self.assertContains(response, "No views in 30 days")
        self.assertEqual(len(self.titles(ARTICLES, hits="nonsense")), 8)

    def test_uuid_keys(self) -> None:
        release = Release.objects.create(id=uuid.uuid4(), title="v2")
        add_hits(release, spread(1, 7, 50))
        Release.objects.create(id=uuid.uuid4(), title="quiet")
        self.days_written(days_ago(7), days_ago(1))
        self.assertEqual(self.titles(RELEASES, hits="trending"), ["v2"])
        self.assertEqual(self.titles(RELEASES, hits="none-30-days"), ["quiet"])

    def test_no_query_per_row(self) -> None:
        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.client.get(ARTICLES, {"hits": "trending"})
            return len(captured)

        count()
        few = count()
        for n in range(20):
            article(f"more-{n}", week=50, before=0)
        self.assertEqual(count(), few)


class TrendingStoredTests(TrendingTests):
    """The same edges, read from the night's precomputed trend totals."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from admin_hits.nightly import period_totals

        period_totals.refresh()

    def days_written(self, first: datetime.date, last: datetime.date) -> None:
        from admin_hits.nightly import period_totals

        period_totals.refresh(first, last)

    def test_the_stored_totals_are_read(self) -> None:
        self.client.force_login(self.boss)
        with CaptureQueriesContext(connection) as captured:
            self.client.get(ARTICLES, {"hits": "trending"})
        self.assertTrue(any("objectperiodtotals" in q["sql"] for q in captured))

    def test_the_stored_flag_is_the_rule_of_the_trend_rows_only(self) -> None:
        from admin_hits.models import ObjectPeriodTotals

        rows = ObjectPeriodTotals.objects.values_list("preset", "current", "previous", "trending")
        self.assertTrue(any(trending for *_, trending in rows))
        for preset, current, previous, trending in rows:
            # The week at least twice the average of the 4 weeks before it.
            self.assertEqual(trending, preset == "trend" and previous / 4 <= current / 2)


class NoViewsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        add_hits(Article.objects.create(title="viewed-30-days-ago", slug="a"), {30: 1})
        add_hits(Article.objects.create(title="viewed-31-days-ago", slug="b"), {31: 9})
        add_hits(Article.objects.create(title="viewed-today-only", slug="c"), {0: 9})
        Article.objects.create(title="never-viewed", slug="d")

    def test_no_views_in_the_30_days_before_today(self) -> None:
        self.client.force_login(self.boss)
        response = self.client.get(ARTICLES, {"hits": "none-30-days"})
        titles = sorted(str(obj) for obj in response.context["cl"].result_list)
        self.assertEqual(titles, ["never-viewed", "viewed-31-days-ago", "viewed-today-only"])


class SortTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.quiet = Article.objects.create(title="quiet", slug="quiet")
        cls.busy = Article.objects.create(title="busy", slug="busy")
        cls.middle = Article.objects.create(title="middle", slug="middle")
        add_hits(cls.quiet, {3: 100})
        add_hits(cls.busy, {3: 5})

    def order(self, column: str, descending: bool = True) -> list[str]:
        self.client.force_login(self.boss)
        response = self.client.get(ARTICLES)
        columns = list(response.context["cl"].list_display)
        index = columns.index(column)
        response = self.client.get(ARTICLES, {"o": f"{'-' if descending else ''}{index}"})
        return [str(obj) for obj in response.context["cl"].result_list]

    def test_views_today_from_the_live_store(self) -> None:
        add_live(self.busy, 30)
        add_live(self.middle, 7)
        self.assertEqual(self.order("views_today"), ["busy", "middle", "quiet"])
        self.assertEqual(self.order("views_today", descending=False), ["quiet", "middle", "busy"])

    def test_views_last_30_days(self) -> None:
        self.assertEqual(self.order("views_last_30_days"), ["quiet", "busy", "middle"])

    def test_sorting_costs_no_query_per_row(self) -> None:
        add_live(self.busy, 30)
        self.order("views_today")

        def count() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.order("views_today")
            return len(captured)

        few = count()
        for n in range(15):
            obj = Article.objects.create(title=f"more-{n}", slug=f"more-{n}")
            add_live(obj, n + 1)
        self.assertEqual(count(), few)


class NoViewsStoredTests(NoViewsTests):
    """The same, read from the report's precomputed "Last 30 days" totals."""

    def test_the_precomputed_totals_give_the_same_answer(self) -> None:
        from admin_hits.nightly import period_totals

        period_totals.refresh()
        self.client.force_login(self.boss)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(ARTICLES, {"hits": "none-30-days"})
        self.assertTrue(any("objectperiodtotals" in q["sql"] for q in captured))
        titles = sorted(str(obj) for obj in response.context["cl"].result_list)
        self.assertEqual(titles, ["never-viewed", "viewed-31-days-ago", "viewed-today-only"])
