"""Month totals per site (``ADMIN_HITS_SITES``): a custom range of one site reads that site's
stored months and edge days and gives the sums of its own days; every site's months are the
sites' added up; each site's months are forgotten, computed again and pruned with the days."""

from __future__ import annotations

import datetime
from collections import Counter
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
)
from admin_hits.models.month_totals import ALL_SITES
from admin_hits.nightly import month_totals, period_totals
from admin_hits.report import month_rows, queries
from admin_hits.report.grouped import GroupedRows
from admin_hits.report.scope import Scope
from admin_hits.report.traffic import visit_queries
from tests.admin.factories import days_ago, superuser, today
from tests.report.factories import REPORT, records
from tests.report.test_month_rows import add_rows, custom, ranges, truth
from tests.testapp.models import Article, Release

SITES = {"example.com": 1, "blog.example.com": 2}
# Site 0: the days counted before the sites were configured (every site's months hold them).
ROW_SITES = (0, 1, 2)
STORED_SITES = (ALL_SITES, 1, 2)
#: Each month table, the daily rows it adds up, and their figures.
MONTHS = ((ObjectMonthTotals, Hits, ("views",)), (PathMonthTotals, PathHits, ("views",)),
          (LandingMonthTotals, LandingHits, ("visits", "bounces", "exits")))  # fmt: skip


def month_sums(model, figures, site: int | None = None) -> Counter:
    """Each month's figures of ``model``'s rows, summed here (of one ``site``'s rows, or of
    every site's for None)."""
    sums: Counter = Counter()
    rows = model.objects.values("date", "site", *figures)
    for row in rows:
        if site is None or row["site"] == site:
            for figure in figures:
                sums[(row["date"].replace(day=1), figure)] += row[figure]
    return sums


def stored_sums(model, figures, site: int) -> Counter:
    sums: Counter = Counter()
    for row in model.objects.filter(site=site).values("month", *figures):
        for figure in figures:
            sums[(row["month"], figure)] += row[figure]
    return sums


def page_truth(scope: Scope) -> dict[str, tuple[int, int]]:
    """Each path's views in the period and the previous one, summed here from the scope's
    site's ``PathHits`` rows: the paths viewed in the period."""
    current: Counter[str] = Counter()
    previous: Counter[str] = Counter()
    for row in PathHits.objects.filter(site=scope.site).values("path", "date", "views"):
        if row["date"] in scope.period:
            current[row["path"]] += row["views"]
        elif row["date"] in scope.previous:
            previous[row["path"]] += row["views"]
    return {path: (n, previous[path]) for path, n in current.items() if n > 0}


def finished_months() -> list[datetime.date]:
    first = Hits.objects.order_by("date").first().date
    return month_totals.months(first, today().replace(day=1) - datetime.timedelta(days=1))


@override_settings(ADMIN_HITS_SITES=SITES)
class SiteMonthRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        add_rows(ROW_SITES)
        period_totals.refresh()
        cls.types = [None, *ContentType.objects.get_for_models(Article, Release).values()]

    def assert_months_are_the_days(self) -> None:
        """Every stored month of each site holds its days' sums, every site's the sum of
        all the days (site 0's too, which has no months of its own)."""
        stamps = set(MonthTotals.objects.values_list("month", "site"))
        self.assertEqual(stamps, {(m, s) for m in finished_months() for s in STORED_SITES})
        for model, days, figures in MONTHS:
            for site in STORED_SITES:
                of_site = None if site == ALL_SITES else site
                expected = month_sums(days, figures, of_site)
                expected = {k: n for k, n in expected.items() if k[0] < today().replace(day=1)}
                stored = stored_sums(model, figures, site)
                self.assertEqual(+stored, +Counter(expected), (model, site))

    def test_each_site_has_its_months_and_every_site_theirs(self) -> None:
        self.assert_months_are_the_days()

    def test_a_range_of_one_site_reads_its_months_and_gives_its_days_sums(self) -> None:
        for first, last in ranges():
            for site in (1, 2):
                for content_type in self.types:
                    scope = custom(first, last, site=site, content_type=content_type)
                    rows = month_rows.object_rows(scope, queries.object_filter(scope))
                    self.assertIsInstance(rows, GroupedRows, (first, last, site))
                    summed = list(queries.summed_object_rows(scope))
                    self.assertEqual(list(rows), summed, (first, last, site, content_type))
                    if content_type is None:
                        shown = [tuple(r.values()) for r in rows]
                        self.assertEqual(shown, truth(scope), (first, last, site))
                scope = custom(first, last, site=site)
                pages = month_rows.page_rows(scope, queries.object_filter(scope))
                self.assertIsInstance(pages, GroupedRows, (first, last, site))
                found = {r["page"]: (r["current"], r["previous"]) for r in pages}
                self.assertEqual(found, page_truth(scope), (first, last, site))
                self.assertEqual(list(pages), list(queries.summed_page_rows(scope)))
                unmatched = month_rows.page_rows(
                    scope, queries.object_filter(scope), unmatched=True
                )
                summed = queries.summed_page_rows(scope, unmatched=True)
                self.assertEqual(list(unmatched), list(summed), (first, last, site))
                landings = month_rows.landing_rows(scope, queries.object_filter(scope))
                self.assertIsInstance(landings, GroupedRows, (first, last, site))
                summed = visit_queries.summed_landing_rows(scope)
                self.assertEqual(list(landings), list(summed), (first, last, site))

    def test_every_site_is_the_sum_of_the_sites(self) -> None:
        for first, last in ranges():
            scope = custom(first, last)
            every = month_rows.object_rows(scope, queries.object_filter(scope))
            self.assertIsInstance(every, GroupedRows, (first, last))
            added: Counter = Counter()
            for site in ROW_SITES:
                # Site 0 is not configured: no months of its own, its days are summed.
                for row in queries.object_rows(custom(first, last, site=site)):
                    added[(row["object_type"], row["object_pk"])] += row["current"]
            found = {(r["object_type"], r["object_pk"]): r["current"] for r in every}
            self.assertEqual(found, +added, (first, last))
            self.assertEqual([tuple(r.values()) for r in every], truth(scope), (first, last))

    def test_a_site_without_months_sums_its_days(self) -> None:
        for site in (0, 3):  # counted before the sites were configured; never counted
            scope = custom(days_ago(730), days_ago(1), site=site)
            self.assertIsNone(month_rows.plan(scope))
            self.assertEqual([tuple(r.values()) for r in queries.object_rows(scope)],
                             truth(scope))  # fmt: skip

    def test_one_sites_report_reads_its_months_in_no_more_queries_than_all(self) -> None:
        self.client.force_login(superuser())
        params = {"period": "custom", "start": days_ago(730).isoformat(),
                  "end": days_ago(1).isoformat()}  # fmt: skip
        self.client.get(REPORT, params)  # what a first request looks up once
        counted = {}
        for site in (None, 1):
            with CaptureQueriesContext(connection) as read:
                shown = self.client.get(REPORT, {**params, **({"site": site} if site else {})})
            counted[site] = len(read)
            sql = " ".join(q["sql"] for q in read.captured_queries)
            self.assertIn("admin_hits_objectmonthtotals", sql, site)
            self.assertIn("admin_hits_pathmonthtotals", sql, site)
        # No query more than every site's page (which reads a little more of its own).
        self.assertLessEqual(counted[1], counted[None])
        MonthTotals.objects.all().delete()
        summed = self.client.get(REPORT, {**params, "site": 1})
        for slug in ("objects", "pages", "unmatched", "landings"):
            self.assertEqual(records(shown, slug), records(summed, slug), slug)

    def test_a_day_written_again_forgets_its_month_of_every_site(self) -> None:
        day = (today().replace(day=1) - datetime.timedelta(days=200)).replace(day=14)
        month = day.replace(day=1)
        article = Article.objects.first()
        ct = ContentType.objects.get_for_model(article)
        Hits.objects.update_or_create(content_type=ct, object_id=str(article.pk), date=day,
                                      site=2, defaults={"views": 100_000})  # fmt: skip
        period_totals.invalidate(day)
        self.assertFalse(MonthTotals.objects.filter(month=month).exists())
        for site in (1, 2):
            scope = custom(days_ago(730), days_ago(1), site=site)
            self.assertEqual([tuple(r.values()) for r in queries.object_rows(scope)],
                             truth(scope))  # fmt: skip
        period_totals.refresh(day, day)
        stored = set(MonthTotals.objects.filter(month=month).values_list("site", flat=True))
        self.assertEqual(stored, set(STORED_SITES))
        self.assert_months_are_the_days()
        for site in (None, 1, 2):
            scope = custom(days_ago(730), days_ago(1), site=site)
            self.assertIsNotNone(month_rows.plan(scope))
            rows = [tuple(r.values()) for r in queries.object_rows(scope)]
            self.assertEqual(rows, truth(scope), site)
        top = queries.object_rows(custom(days_ago(730), days_ago(1), site=2))[0]
        self.assertEqual(top["object_pk"], str(article.pk))

    def test_a_site_no_longer_configured_loses_its_months_and_one_added_gets_them(self) -> None:
        with override_settings(ADMIN_HITS_SITES={"example.com": 1}):
            period_totals.refresh()
            self.assertFalse(MonthTotals.objects.filter(site=2).exists())
            for model, _, _ in MONTHS:
                self.assertFalse(model.objects.filter(site=2).exists(), model)
            self.assertIsNone(month_rows.plan(custom(days_ago(730), days_ago(1), site=2)))
        period_totals.refresh()
        self.assert_months_are_the_days()
        scope = custom(days_ago(700), days_ago(20), site=2)
        self.assertEqual([tuple(r.values()) for r in queries.object_rows(scope)], truth(scope))


@pytest.mark.django_db
def test_hits_prune_keeps_each_sites_months_those_of_its_days(settings) -> None:
    settings.ADMIN_HITS_SITES = SITES
    add_rows(ROW_SITES)
    period_totals.refresh()
    call_command("hits_prune", "--days", "400", "--hits", stdout=StringIO())
    first = Hits.objects.order_by("date").first().date.replace(day=1)
    assert set(MonthTotals.objects.filter(month=first).values_list("site", flat=True)) == set(
        STORED_SITES
    )
    assert not MonthTotals.objects.filter(month__lt=first).exists()
    for model, days, figures in MONTHS:
        assert not model.objects.filter(month__lt=first).exists()
        for site in STORED_SITES:
            expected = month_sums(days, figures, None if site == ALL_SITES else site)
            expected = {k: n for k, n in expected.items() if k[0] < today().replace(day=1)}
            assert +stored_sums(model, figures, site) == +Counter(expected), (model, site)
    for site in (None, 1, 2):
        scope = custom(days_ago(730), days_ago(1), site=site)
        assert month_rows.plan(scope) is not None
        assert [tuple(r.values()) for r in queries.object_rows(scope)] == truth(scope)
        assert list(queries.page_rows(scope)) == list(queries.summed_page_rows(scope))
