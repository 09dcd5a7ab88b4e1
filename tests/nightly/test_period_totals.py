"""The precomputed totals of the standard periods: the same rows as the report's sums, refreshed
with the days (``parse_log``, ``hits_prune``), used only for exactly their days."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from admin_hits.models import (
    Hits,
    LandingHits,
    LandingPeriodTotals,
    ObjectPeriodTotals,
    PathHits,
    PathPeriodTotals,
    PeriodTotals,
    path_hash,
    periods,
)
from admin_hits.nightly import period_totals
from admin_hits.report import queries
from admin_hits.report import stored as stored_rows
from admin_hits.report.grouped import GroupedRows
from admin_hits.report.scope import Scope
from admin_hits.report.traffic import visit_queries
from tests.admin.factories import days_ago, superuser, today
from tests.helpers import combined, write_log
from tests.report.factories import REPORT, add_object, add_paths, export_url, records
from tests.report.test_export import download
from tests.testapp.models import Article, Release


def scope_of(window: period_totals.Window, **narrow) -> Scope:
    return Scope(window.period, window.previous, **narrow)


def assert_same_as_summed() -> None:
    """Every standard period's stored rows are the rows summed from the days, in order."""
    types = [None, *ContentType.objects.get_for_models(Article, Release).values()]
    for window in period_totals.windows(today()):
        for content_type in types:
            scope = scope_of(window, content_type=content_type)
            stored = stored_rows.object_rows(scope)
            assert stored is not None, window.preset
            assert list(stored) == list(queries.summed_object_rows(scope)), window.preset
        scope = scope_of(window)
        for unmatched in (False, True):
            stored = stored_rows.page_rows(scope, unmatched=unmatched)
            summed = queries.summed_page_rows(scope, unmatched=unmatched)
            assert list(stored) == list(summed), (window.preset, unmatched)
        landings = stored_rows.landing_rows(scope)
        assert landings is not None, window.preset
        assert list(landings) == list(visit_queries.summed_landing_rows(scope)), window.preset


def snapshot() -> dict[str, list[tuple]]:
    """Every stored row."""
    return {
        model.__name__: sorted(tuple(row.values()) for row in model.objects.values())
        for model in (ObjectPeriodTotals, PathPeriodTotals, LandingPeriodTotals)
    }


def add_traffic() -> tuple[Article, ...]:
    """Rows over 70 days: ties, a path that moved between objects, one that stopped showing an
    object, a path only bots viewed, an object viewed only in a previous period."""
    articles = tuple(Article.objects.create(title=f"A{n}", slug=f"a{n}") for n in range(6))
    release = Release.objects.create(title="Version 2")
    add_object(articles[0], {1: 50, 2: 7, 20: 3, 33: 40, 45: 1, 61: 8})
    add_object(articles[1], {1: 10, 2: 10, 6: 2, 9: 5, 35: 20})
    add_object(articles[2], {3: 20, 28: 1, 59: 4})
    add_object(release, {1: 20, 12: 9, 40: 30})
    add_object(articles[3], {45: 9, 70: 2})  # only in previous periods
    add_paths("/", {0: 3, 1: 500, 8: 30, 40: 250, 500: 1})
    add_paths("/search/?q=x", {2: 3, 31: 4})
    add_landings(articles, release)
    add_paths("/moved/", {1: 5, 15: 2}, articles[4])
    add_paths("/moved/", {3: 7, 32: 1})  # unmatched on other days
    add_paths("/reused/", {2: 4}, articles[4])
    add_paths("/reused/", {40: 6, 10: 1}, articles[5])
    ct = ContentType.objects.get_for_model(Article)
    PathHits.objects.create(date=days_ago(1), path="/bots-only/", views=0, bot_views=5,
                            content_type=ct, object_id=str(articles[5].pk))  # fmt: skip
    return articles


def add_landings(articles: Sequence[Article], release: Release) -> None:
    """``LandingHits`` over 70 days, drawn at random (seeded): paths landed on with bounces
    and exits, paths only exited from, ties, a path that moved between objects and one that
    stopped showing an object; every day's rows a ``parse_log`` would write."""
    draw = random.Random(7)
    shown: list[tuple[str, Article | Release | None]] = [
        ("/", None), ("/moved/", articles[4]), ("/moved/", None), ("/reused/", articles[4]),
        ("/reused/", articles[5]), ("/release/", release), ("/exit-only/", None),
        *((f"/articles/a{n}/", articles[n]) for n in range(4)),
    ]  # fmt: skip
    rows = []
    for n in range(71):
        for path, obj in draw.sample(shown, 5):
            visits = 0 if path == "/exit-only/" else draw.choice([0, 1, 2, 2, 5, 30])
            bounces = draw.randint(0, visits)
            rows.append(LandingHits(
                date=days_ago(n), path=path, path_hash=path_hash(path), visits=visits,
                bounces=bounces, exits=draw.randint(0, 9),
                content_type=ContentType.objects.get_for_model(obj) if obj else None,
                object_id=str(obj.pk) if obj else "",
            ))  # fmt: skip
    # One (path, day) row per day, as parse_log writes them: the first drawn of a path stays.
    kept = {(r.date, r.path): r for r in reversed(rows)}
    LandingHits.objects.bulk_create(kept.values())


class StoredRowsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.articles = add_traffic()
        cls.boss = superuser()
        period_totals.refresh()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_every_standard_period_is_stored(self) -> None:
        stored = set(PeriodTotals.objects.values_list("preset", flat=True))
        self.assertEqual(stored, set(period_totals.STANDARD))
        self.assertNotIn(periods.TODAY, stored)

    def test_stored_rows_are_the_summed_rows(self) -> None:
        assert_same_as_summed()
        self.assertTrue(PathPeriodTotals.objects.filter(unmatched=True, path="/moved/").exists())

    def test_the_report_reads_the_stored_rows_and_shows_the_same(self) -> None:
        params = {"period": periods.LAST_30_DAYS}
        with CaptureQueriesContext(connection) as stored_queries:
            stored = self.client.get(REPORT, params)
        PeriodTotals.objects.all().delete()
        with CaptureQueriesContext(connection) as summed_queries:
            summed = self.client.get(REPORT, params)
        for slug in ("objects", "pages", "unmatched", "landings"):
            self.assertEqual(records(stored, slug), records(summed, slug), slug)
        self.assertEqual(stored.context["figures"][0].text, summed.context["figures"][0].text)
        sql = " ".join(q["sql"] for q in stored_queries.captured_queries)
        self.assertIn("admin_hits_objectperiodtotals", sql)
        self.assertIn("admin_hits_pathperiodtotals", sql)
        self.assertIn("admin_hits_landingperiodtotals", sql)
        self.assertNotIn('FROM "admin_hits_landinghits"', sql)
        self.assertNotIn('FROM "admin_hits_hits"', sql)
        self.assertLessEqual(len(stored_queries), len(summed_queries) + 1)

    def test_csv_exports_are_the_same(self) -> None:
        stamps = list(PeriodTotals.objects.all())
        for slug in ("objects", "pages", "unmatched", "landings"):
            for params in ({"period": "7d"}, {"period": "month", "objects-sort": "previous"}):
                _, stored = download(self.client, export_url(slug), params)
                PeriodTotals.objects.all().delete()
                _, summed = download(self.client, export_url(slug), params)
                PeriodTotals.objects.bulk_create(stamps)
                self.assertEqual(stored, summed, (slug, params))

    def test_a_custom_range_is_summed(self) -> None:
        custom = periods.custom(today(), days_ago(10), days_ago(2))
        self.assertIsNone(stored_rows.stored_preset(Scope(custom, periods.previous(custom))))
        response = self.client.get(REPORT, {"start": days_ago(10).isoformat(),
                                            "end": days_ago(2).isoformat()})  # fmt: skip
        self.assertEqual(response.status_code, 200)
        scope = response.context["scope"]
        shown = [
            {k: v for k, v in r.items() if k != "object"} for r in records(response, "objects")
        ]
        self.assertEqual(shown, list(queries.summed_object_rows(scope)))

    def test_a_custom_range_of_a_standard_periods_days_reads_its_rows(self) -> None:
        window = next(w for w in period_totals.windows(today()) if w.preset == "30d")
        custom = periods.custom(today(), window.period.start, window.period.end)
        scope = Scope(custom, periods.previous(custom))
        self.assertEqual(stored_rows.stored_preset(scope), "30d")

    def test_rows_stored_for_another_day_are_not_used_for_today(self) -> None:
        period_totals.refresh(today=days_ago(1))
        for window in period_totals.windows(today()):
            same_days = window.preset == periods.LAST_MONTH and today().day != 1
            stored = stored_rows.stored_preset(scope_of(window))
            self.assertEqual(stored, window.preset if same_days else None)
            if not same_days:
                # Summed: from the days, or from the stored months and edge days of a
                # window holding a whole month (the 30 days before March 30th, say).
                rows = queries.object_rows(scope_of(window))
                self.assertIsInstance(rows, (QuerySet, GroupedRows))
                self.assertIsNone(stored_rows.object_rows(scope_of(window)))

    def test_only_the_periods_holding_a_changed_day_are_recomputed(self) -> None:
        def holding(day: datetime.date) -> set[str]:
            return {w.preset for w in period_totals.windows(today()) if w.touches(day, day)}

        self.assertEqual(period_totals.refresh(), [])
        self.assertEqual(period_totals.refresh(days_ago(500)), [])
        recomputed = period_totals.refresh(days_ago(45))
        self.assertEqual(set(recomputed), holding(days_ago(45)))
        self.assertIn(periods.LAST_30_DAYS, recomputed)  # its previous period
        self.assertNotIn(periods.LAST_7_DAYS, recomputed)
        self.assertEqual(set(period_totals.refresh(days_ago(1))), holding(days_ago(1)))
        assert_same_as_summed()

    def test_a_preset_no_longer_offered_is_dropped(self) -> None:
        PeriodTotals.objects.create(preset="90d", start=days_ago(90), end=days_ago(1),
                                    previous_start=days_ago(180), previous_end=days_ago(91),
                                    refreshed=datetime.datetime.now(datetime.UTC))  # fmt: skip
        ObjectPeriodTotals.objects.create(preset="90d", content_type_id=1, object_id="1",
                                          current=1, previous=0)  # fmt: skip
        period_totals.refresh()
        self.assertFalse(PeriodTotals.objects.filter(preset="90d").exists())
        self.assertFalse(ObjectPeriodTotals.objects.filter(preset="90d").exists())


# The refresh in the commands that change days.


def log_day(tmp_path: Path, day: datetime.date, views: dict[str, int], name: str) -> Path:
    when = day.strftime("%d/%b/%Y:12:00:00 +0100")
    lines = [combined(path, when, ip=f"203.0.113.{n % 250}")
             for path, count in views.items() for n in range(count)]  # fmt: skip
    return write_log(tmp_path / name, lines)


@pytest.mark.django_db
def test_parse_log_refreshes_the_days_totals_and_a_rerun_gives_the_same(tmp_path: Path) -> None:
    add_traffic()
    a, b = Article.objects.create(title="P", slug="p"), Article.objects.create(title="Q", slug="q")
    day = days_ago(1)
    first = log_day(tmp_path, day, {"/articles/p/": 5, "/articles/q/": 2, "/x/": 1}, "one.log")
    call_command("parse_log", str(first), "--date", day.isoformat(), stdout=StringIO())
    assert set(PeriodTotals.objects.values_list("preset", flat=True)) == set(period_totals.STANDARD)
    assert_same_as_summed()
    assert ObjectPeriodTotals.objects.filter(preset="yesterday", object_id=str(a.pk)).exists()
    once = snapshot()
    call_command("parse_log", str(first), "--date", day.isoformat(), stdout=StringIO())
    assert snapshot() == once
    second = log_day(tmp_path, day, {"/articles/q/": 9}, "two.log")
    call_command("parse_log", str(second), "--date", day.isoformat(), stdout=StringIO())
    assert_same_as_summed()
    yesterday = ObjectPeriodTotals.objects.filter(preset="yesterday")
    assert list(yesterday.values_list("object_id", "current")) == [(str(b.pk), 9)]


@pytest.mark.django_db
def test_parse_log_of_an_old_day_keeps_the_totals(tmp_path: Path) -> None:
    add_traffic()
    period_totals.refresh()
    before = snapshot()
    old = days_ago(400)
    call_command("parse_log", str(log_day(tmp_path, old, {"/": 3}, "old.log")), "--date",
                 old.isoformat(), stdout=StringIO())  # fmt: skip
    assert snapshot() == before
    assert_same_as_summed()


@pytest.mark.django_db
def test_hits_prune_keeps_the_totals_consistent() -> None:
    add_traffic()
    period_totals.refresh()
    call_command("hits_prune", "--days", "35", "--hits", stdout=StringIO())
    assert not Hits.objects.filter(date__lt=days_ago(35)).exists()
    assert_same_as_summed()
    assert set(PeriodTotals.objects.values_list("preset", flat=True)) == set(period_totals.STANDARD)


@pytest.mark.django_db
def test_hits_prune_dry_run_and_default_retention_recompute_nothing() -> None:
    add_traffic()
    period_totals.refresh()
    refreshed = dict(PeriodTotals.objects.values_list("preset", "refreshed"))
    call_command("hits_prune", "--days", "10", "--hits", "--dry-run", stdout=StringIO())
    call_command("hits_prune", stdout=StringIO())  # 400 days: older than every period
    assert dict(PeriodTotals.objects.values_list("preset", "refreshed")) == refreshed


@pytest.mark.django_db
def test_deleting_a_content_type_deletes_or_unmatches_its_rows() -> None:
    gone = ContentType.objects.create(app_label="gone", model="thing")
    ObjectPeriodTotals.objects.create(preset="7d", content_type=gone, object_id="1", current=3,
                                      previous=0)  # fmt: skip
    PathPeriodTotals.objects.create(preset="7d", path_hash="h", path="/thing/", content_type=gone,
                                    object_id="1", current=3, previous=0)  # fmt: skip
    gone.delete()
    assert not ObjectPeriodTotals.objects.exists()
    assert PathPeriodTotals.objects.get().content_type is None


@pytest.mark.django_db
def test_a_failed_refresh_leaves_the_days_written_and_the_report_summing_them(
    tmp_path: Path,
) -> None:
    add_traffic()
    period_totals.refresh()
    day = days_ago(1)
    log = log_day(tmp_path, day, {"/": 4}, "one.log")
    with (
        mock.patch.object(period_totals, "path_sql", side_effect=DatabaseError("disk full")),
        pytest.raises(CommandError, match="days were written.*disk full"),
    ):
        call_command("parse_log", str(log), "--date", day.isoformat(), stdout=StringIO())
    assert PathHits.objects.get(date=day, path="/").views == 4
    # The totals of yesterday's periods went with the old rows: nothing stale can be read.
    holding = {w.preset for w in period_totals.windows(timezone.localdate()) if w.touches(day, day)}
    assert holding and not PeriodTotals.objects.filter(preset__in=holding).exists()
    call_command("parse_log", str(log), "--date", day.isoformat(), stdout=StringIO())
    assert set(PeriodTotals.objects.values_list("preset", flat=True)) == set(period_totals.STANDARD)
    assert_same_as_summed()


@pytest.mark.django_db
def test_a_backfill_writes_its_days_then_refreshes_once(tmp_path: Path) -> None:
    add_traffic()
    period_totals.refresh()
    first, last = days_ago(3), days_ago(1)
    logs = [log_day(tmp_path, first + datetime.timedelta(days=i), {"/": i + 1}, f"{i}.log")
            for i in range(3)]  # fmt: skip
    with mock.patch.object(period_totals, "refresh", wraps=period_totals.refresh) as refresh:
        call_command("parse_log", *map(str, logs), "--since", first.isoformat(), "--until",
                     last.isoformat(), stdout=StringIO())  # fmt: skip
    refresh.assert_called_once_with(first, last)
    assert_same_as_summed()
