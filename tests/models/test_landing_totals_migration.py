"""Upgrading to the stored landings: the periods and months stored before them are forgotten,
so that the report sums their days (landings included) until the next refresh stores them."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.test import TestCase

from admin_hits.models import (
    LandingHits,
    LandingPeriodTotals,
    MonthTotals,
    PeriodTotals,
    path_hash,
    periods,
)
from admin_hits.nightly import period_totals
from admin_hits.report import stored
from admin_hits.report.scope import Scope
from admin_hits.report.traffic import visit_queries
from tests.admin.factories import days_ago, today
from tests.report.factories import add_paths

migration = importlib.import_module("admin_hits.migrations.0018_landing_totals")


class ForgetStoredTotalsTests(TestCase):
    def test_totals_stored_without_landings_are_not_read(self) -> None:
        for n, visits in ((3, 4), (40, 2), (70, 9)):
            LandingHits.objects.create(date=days_ago(n), path="/a/", path_hash=path_hash("/a/"),
                                       visits=visits, bounces=1, exits=1)  # fmt: skip
        add_paths("/a/", {70: 12})  # the months are stored from the first day of views
        period_totals.refresh()
        self.assertTrue(MonthTotals.objects.exists())
        # As a version before the landing totals left them: stamps, and no landing rows.
        LandingPeriodTotals.objects.all().delete()
        editor = SimpleNamespace(connection=connection)
        migration.forget_stored_totals(apps, editor)
        self.assertFalse(PeriodTotals.objects.exists())
        self.assertFalse(MonthTotals.objects.exists())
        period = periods.resolve(periods.LAST_30_DAYS, today())
        scope = Scope(period, periods.previous(period))
        self.assertIsNone(stored.landing_rows(scope))
        self.assertEqual([r["current"] for r in visit_queries.landing_rows(scope)], [4])
        period_totals.refresh()
        scope = Scope(period, periods.previous(period))  # a new request's
        self.assertIsNotNone(stored.landing_rows(scope))
        self.assertEqual([r["current"] for r in visit_queries.landing_rows(scope)], [4])
