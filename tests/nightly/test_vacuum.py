"""The totals refresh does not leave its tables to autovacuum on PostgreSQL: run on its own
(``parse_log``), it vacuums the tables it rewrote once it has committed (their old rows dead);
inside a caller's transaction it cannot."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.test import TransactionTestCase

from admin_hits.models import ObjectPeriodTotals, PathPeriodTotals
from admin_hits.nightly import period_totals
from admin_hits.nightly.vacuum import vacuum
from tests.admin.factories import days_ago
from tests.report.factories import add_object, add_paths
from tests.testapp.models import Article

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's")


def vacuums(model: type) -> int:
    """How many times ``model``'s table was vacuumed (by hand: not autovacuum's)."""
    with connection.cursor() as cursor:
        # A backend reads the statistics as they were at its first look in a transaction.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = %s::regclass",
            [model._meta.db_table],
        )
        return int(cursor.fetchone()[0])


@postgresql_only
class VacuumTests(TransactionTestCase):
    def setUp(self) -> None:
        for number in range(1, 30):
            article = Article.objects.create(title=f"A{number}", slug=f"a{number}")
            add_object(article, dict.fromkeys(range(1, 9), number))
        add_paths("/gone/", {2: 4})
        period_totals.refresh()

    def test_a_refresh_of_its_own_vacuums_the_tables_it_rewrote(self) -> None:
        assert ObjectPeriodTotals.objects.exists() and PathPeriodTotals.objects.exists()
        before = [vacuums(ObjectPeriodTotals), vacuums(PathPeriodTotals)]
        assert period_totals.refresh(days_ago(2))  # rewrites the periods holding that day
        after = [vacuums(ObjectPeriodTotals), vacuums(PathPeriodTotals)]
        assert after == [before[0] + 1, before[1] + 1]

    def test_nothing_rewritten_nothing_vacuumed(self) -> None:
        before = vacuums(ObjectPeriodTotals)
        assert period_totals.refresh() == []  # every period is already today's
        assert vacuums(ObjectPeriodTotals) == before

    def test_in_the_callers_transaction_autovacuum_is_left_to_it(self) -> None:
        before = vacuums(ObjectPeriodTotals)
        with transaction.atomic():
            assert period_totals.refresh(days_ago(2))
        assert vacuums(ObjectPeriodTotals) == before


@postgresql_only
class VacuumFailureTests(TransactionTestCase):
    def test_a_failed_vacuum_is_a_warning_not_an_error(self) -> None:
        # A table that is not there, described as a model's would be.
        missing: Any = SimpleNamespace(_meta=SimpleNamespace(db_table="admin_hits_no_such_table"))
        with self.assertLogs("admin_hits.nightly.vacuum", "WARNING") as logs:
            assert vacuum(DEFAULT_DB_ALIAS, [missing]) == []
        assert "admin_hits_no_such_table" in logs.output[0]
        assert vacuum(DEFAULT_DB_ALIAS, [ObjectPeriodTotals]) == [ObjectPeriodTotals._meta.db_table]
