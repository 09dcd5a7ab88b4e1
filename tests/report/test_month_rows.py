"""Custom ranges read from the stored month totals and their edge days: the same rows, in the
same order and pages, as the days summed; months forgotten when a day of theirs is written."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Sequence
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from admin_hits.models import (
    Hits,
    LandingHits,
    LandingMonthTotals,
    MonthTotals,
    ObjectMonthTotals,
    PathHits,
    PathMonthTotals,
    path_hash,
    periods,
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.nightly import month_totals, period_totals
from admin_hits.report import month_rows, queries
from admin_hits.report.grouped import GroupedRows
from admin_hits.report.owners import owner_for
from admin_hits.report.scope import Scope
from admin_hits.report.traffic import visit_queries
from tests.admin.factories import days_ago, staff, superuser, today
from tests.report.factories import REPORT, export_url, records
from tests.report.test_export import download
from tests.testapp.models import Article, Release

SPAN = 800  # days of rows, up to yesterday: the two years of a longest range and more
rng = random.Random(20261207)


def add_rows(sites: Sequence[int] = (0,)) -> None:
    """Random rows over ``SPAN`` days: ties, zero views, a path that moved between objects,
    unmatched paths, objects of two models, an owner's objects ("acme: ..."); each of
    ``sites`` (``models.sites``) with rows of its own, of the same objects and paths."""
    articles = [Article.objects.create(title=f"{'acme: ' if n % 3 == 0 else ''}A{n}",
                                       slug=f"a{n}") for n in range(9)]  # fmt: skip
    releases = [Release.objects.create(title=f"R{n}") for n in range(2)]
    hits, paths = [], []
    for site in sites:
        for obj in (*articles, *releases):
            ct = ContentType.objects.get_for_model(obj)
            for n in rng.sample(range(1, SPAN), 120):
                views = rng.choice([0, 1, 2, 5, 5, 10, 40])
                hits.append(Hits(content_type=ct, object_id=str(obj.pk), date=days_ago(n),
                                 views=views, site=site))  # fmt: skip
                paths.append(PathHits(date=days_ago(n), path=obj.get_absolute_url(),
                                      views=views, content_type=ct, object_id=str(obj.pk),
                                      site=site))  # fmt: skip
        moved_to = [ContentType.objects.get_for_model(articles[1]), str(articles[1].pk)]
        for n in range(1, SPAN, 3):
            ct, pk = moved_to if n < SPAN // 2 else (None, "")
            paths.append(PathHits(date=days_ago(n), path="/moved/", views=rng.choice([0, 3, 5]),
                                  content_type=ct, object_id=pk, site=site))  # fmt: skip
            paths.append(PathHits(date=days_ago(n), path=f"/search/{n % 7}/", views=n % 4,
                                  site=site))  # fmt: skip
    for row in paths:
        row.path_hash = path_hash(row.path)
    Hits.objects.bulk_create(hits)
    PathHits.objects.bulk_create(paths)
    LandingHits.objects.bulk_create(landings_of(paths))


def landings_of(paths: list[PathHits]) -> list[LandingHits]:
    """A ``LandingHits`` row beside each path's row: visits that started there (up to its
    views, none for some), bounces among them, exits (on rows without landings too)."""
    rows = []
    for row in paths:
        visits = rng.randint(0, row.views)
        rows.append(LandingHits(date=row.date, path=row.path, path_hash=row.path_hash,
                                content_type=row.content_type, object_id=row.object_id,
                                site=row.site, visits=visits, bounces=rng.randint(0, visits),
                                exits=rng.randint(0, 3)))  # fmt: skip
    return rows


def custom(first: datetime.date, last: datetime.date, **narrow) -> Scope:
    period = periods.custom(today(), first, last)
    return Scope(period, periods.previous(period), **narrow)


def truth(scope: Scope) -> list[tuple[int, str, int, int]]:
    """The objects' rows, summed here from every ``Hits`` row (of the scope's site only when
    it has one): (type, id, current, previous)."""
    current: Counter[tuple[int, str]] = Counter()
    previous: Counter[tuple[int, str]] = Counter()
    for row in Hits.objects.values("content_type_id", "object_id", "date", "views", "site"):
        if scope.site is not None and row["site"] != scope.site:
            continue
        key = (row["content_type_id"], row["object_id"])
        if row["date"] in scope.period:
            current[key] += row["views"]
        elif row["date"] in scope.previous:
            previous[key] += row["views"]
    rows = [(*key, n, previous[key]) for key, n in current.items() if n > 0]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def ranges() -> list[tuple[datetime.date, datetime.date]]:
    yesterday = days_ago(1)
    first_of_month = yesterday.replace(day=1)
    year_ago = (first_of_month - datetime.timedelta(days=365)).replace(day=1)
    chosen = [
        (days_ago(730), yesterday),  # the longest range
        (days_ago(730), today()),
        (year_ago, first_of_month - datetime.timedelta(days=1)),  # whole months only
        (year_ago + datetime.timedelta(days=13), days_ago(40)),
        (days_ago(95), days_ago(3)),
    ]
    for _ in range(6):
        start = days_ago(rng.randrange(30, 730))
        end = min(yesterday, start + datetime.timedelta(days=rng.randrange(28, 500)))
        chosen.append((start, end))
    return chosen


class MonthRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        add_rows()
        period_totals.refresh()
        cls.types = [None, *ContentType.objects.get_for_models(Article, Release).values()]

    def test_every_finished_month_of_the_rows_is_stored(self) -> None:
        first = Hits.objects.order_by("date").first().date
        finished = month_totals.months(first, today().replace(day=1) - datetime.timedelta(days=1))
        self.assertEqual(list(MonthTotals.objects.values_list("month", flat=True)), finished)
        self.assertEqual(
            sum(ObjectMonthTotals.objects.values_list("views", flat=True)),
            sum(
                Hits.objects.filter(date__lt=today().replace(day=1)).values_list("views", flat=True)
            ),
        )

    def test_a_range_reads_the_months_and_gives_the_days_sums(self) -> None:
        for first, last in ranges():
            for content_type in self.types:
                scope = custom(first, last, content_type=content_type)
                rows = month_rows.object_rows(scope, queries.object_filter(scope))
                self.assertIsInstance(rows, GroupedRows, (first, last))
                summed = list(queries.summed_object_rows(scope))
                self.assertEqual(list(rows), summed, (first, last, content_type))
                if content_type is None:
                    shown = [tuple(r.values()) for r in summed]
                    self.assertEqual(shown, truth(scope), (first, last))
            scope = custom(first, last)
            for unmatched in (False, True):
                rows = month_rows.page_rows(
                    scope, queries.object_filter(scope), unmatched=unmatched
                )
                summed = list(queries.summed_page_rows(scope, unmatched=unmatched))
                self.assertEqual(list(rows), summed, (first, last, unmatched))
            landings = month_rows.landing_rows(scope, queries.object_filter(scope))
            self.assertIsInstance(landings, GroupedRows, (first, last))
            summed = list(visit_queries.summed_landing_rows(scope))
            self.assertEqual(list(landings), summed, (first, last))

    def test_pages_orders_and_counts_are_the_summed_ones(self) -> None:
        scope = custom(days_ago(730), days_ago(1))
        rows = queries.object_rows(scope)
        summed = queries.summed_object_rows(scope)
        self.assertIsInstance(rows, GroupedRows)
        self.assertEqual(rows.count(), summed.count())
        for start in (0, 3, 10, summed.count() - 1, summed.count() + 5, 10**7):
            self.assertEqual(rows[start : start + 4], list(summed[start : start + 4]), start)
        far, top = queries.object_rows(scope), list(summed[0:11])
        with CaptureQueriesContext(connection) as fetched:
            self.assertEqual(far[10**7 : 10**7 + 11], [])
            self.assertEqual(far[0:11], top)  # what the paginator shows then
        self.assertEqual(len(fetched), 1)
        order = ("previous", "-object_pk", "object_type")
        self.assertEqual(list(rows.order_by(*order)), list(summed.order_by(*order)))
        with self.assertRaises(ValueError):
            rows.order_by("views; DROP TABLE x")

    @override_settings(ADMIN_HITS_OBJECT_SCOPE="tests.report.scopes.by_title")
    def test_a_scoped_user_gets_their_objects_rows(self) -> None:
        owner = owner_for(staff("acme", "testapp.view_article"), lambda: [Article, Release])
        self.assertIsNotNone(owner)
        scope = custom(days_ago(700), days_ago(20), owner=owner)
        rows = queries.object_rows(scope)
        self.assertIsInstance(rows, GroupedRows)
        self.assertEqual(list(rows), list(queries.summed_object_rows(scope)))
        self.assertTrue(rows)
        pages = list(queries.page_rows(scope))
        self.assertEqual(pages, list(queries.summed_page_rows(scope)))
        landings = visit_queries.landing_rows(scope)
        self.assertIsInstance(landings, GroupedRows)
        self.assertEqual(list(landings), list(visit_queries.summed_landing_rows(scope)))

    def test_a_short_range_or_one_object_sums_the_days(self) -> None:
        scope = custom(days_ago(20), days_ago(2))
        self.assertIsNone(month_rows.plan(scope))
        article = Article.objects.first()
        ct = ContentType.objects.get_for_model(article)
        self.assertIsNone(month_rows.plan(custom(days_ago(700), days_ago(1),
                                                 ref=(ct.pk, str(article.pk)))))  # fmt: skip

    def test_a_day_written_again_forgets_its_month_until_the_refresh(self) -> None:
        day = (today().replace(day=1) - datetime.timedelta(days=200)).replace(day=14)
        article = Article.objects.first()
        ct = ContentType.objects.get_for_model(article)
        Hits.objects.update_or_create(content_type=ct, object_id=str(article.pk), date=day,
                                      defaults={"views": 100_000})  # fmt: skip
        period_totals.invalidate(day)
        self.assertFalse(MonthTotals.objects.filter(month=day.replace(day=1)).exists())
        scope = custom(days_ago(730), days_ago(1))
        self.assertEqual(queries.object_rows(scope)[0]["object_pk"], str(article.pk))
        self.assertEqual(list(queries.object_rows(scope)), list(queries.summed_object_rows(scope)))
        self.assertEqual(period_totals.refresh(roll_over=False), [])
        self.assertTrue(MonthTotals.objects.filter(month=day.replace(day=1)).exists())
        self.assertEqual(list(queries.object_rows(scope)), list(queries.summed_object_rows(scope)))

    def test_a_single_site_stores_and_reads_its_months_as_before_sites_had_theirs(self) -> None:
        # Every site's rows only, under one stamp per month.
        for model in (MonthTotals, ObjectMonthTotals, PathMonthTotals, LandingMonthTotals):
            self.assertEqual(set(model.objects.values_list("site", flat=True)), {ALL_SITES})
        day = (today().replace(day=1) - datetime.timedelta(days=100)).replace(day=3)
        period_totals.invalidate(day)
        # The queries a month computed again took before the sites had months of their own:
        # the stamps, the first days, what was pruned, the month's rows and its stamp (and
        # PostgreSQL's advisory lock).
        with self.assertNumQueries(25 if connection.vendor == "postgresql" else 24):
            period_totals.refresh(day, day)
        scope = custom(days_ago(730), days_ago(1))
        self.assertIsNotNone(month_rows.plan(scope))
        with self.assertNumQueries(1):  # the stored months, as before
            month_rows.plan(custom(days_ago(730), days_ago(1)))

    def test_the_report_page_reads_the_months_in_few_queries(self) -> None:
        self.client.force_login(superuser())
        params = {"period": "custom", "start": days_ago(730).isoformat(),
                  "end": days_ago(1).isoformat()}  # fmt: skip
        with CaptureQueriesContext(connection) as months:
            shown = self.client.get(REPORT, params)
        # Read before the next request: Django forgets a request's queries at the next one.
        sql = " ".join(q["sql"] for q in months.captured_queries)
        MonthTotals.objects.all().delete()
        summed = self.client.get(REPORT, params)
        for slug in ("objects", "pages", "unmatched", "landings"):
            self.assertEqual(records(shown, slug), records(summed, slug), slug)
        self.assertIn("admin_hits_objectmonthtotals", sql)
        self.assertIn("admin_hits_landingmonthtotals", sql)
        self.assertIn("admin_hits_pathmonthtotals", sql)
        far = self.client.get(REPORT, {**params, "pages-page": 10**6})
        self.assertEqual(far.status_code, 200)
        self.assertEqual(records(far, "pages"), records(summed, "pages"))  # the first page

    def test_csv_and_json_are_those_of_the_days_summed(self) -> None:
        self.client.force_login(superuser())
        params = {"period": "custom", "start": days_ago(500).isoformat(),
                  "end": days_ago(3).isoformat(), "objects-sort": "previous"}  # fmt: skip
        stamps = list(MonthTotals.objects.all())
        with CaptureQueriesContext(connection) as months:
            as_json = self.client.get(REPORT, {**params, "format": "json"}).json()
        self.assertIn("admin_hits_pathmonthtotals", " ".join(q["sql"] for q in months))
        shown = {slug: download(self.client, export_url(slug), params)[1]
                 for slug in ("objects", "pages", "unmatched", "landings")}  # fmt: skip
        MonthTotals.objects.all().delete()
        for slug, rows in shown.items():
            self.assertEqual(rows, download(self.client, export_url(slug), params)[1], slug)
            self.assertGreater(len(rows), 2, slug)
        self.assertEqual(as_json, self.client.get(REPORT, {**params, "format": "json"}).json())
        MonthTotals.objects.bulk_create(stamps)


@pytest.mark.django_db
def test_hits_prune_drops_the_months_before_the_rows_and_recomputes_the_cut_one() -> None:
    add_rows()
    period_totals.refresh()
    call_command("hits_prune", "--days", "400", "--hits", stdout=StringIO())
    first = Hits.objects.order_by("date").first().date
    assert MonthTotals.objects.order_by("month").first().month == first.replace(day=1)
    assert not ObjectMonthTotals.objects.filter(month__lt=first.replace(day=1)).exists()
    assert not PathMonthTotals.objects.filter(month__lt=first.replace(day=1)).exists()
    assert not LandingMonthTotals.objects.filter(month__lt=first.replace(day=1)).exists()
    assert LandingMonthTotals.objects.filter(month=first.replace(day=1)).exists()
    scope = custom(days_ago(730), days_ago(1))
    assert list(queries.object_rows(scope)) == list(queries.summed_object_rows(scope))
    assert list(queries.page_rows(scope)) == list(queries.summed_page_rows(scope))
    landings = visit_queries.landing_rows(scope)
    assert list(landings) == list(visit_queries.summed_landing_rows(scope))


@pytest.mark.django_db
def test_without_rows_nothing_is_stored() -> None:
    period_totals.refresh()
    assert not MonthTotals.objects.exists()
