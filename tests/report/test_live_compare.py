"""Today (live) is compared with yesterday up to the same hour, from the live store's hour
counters and yesterday's ``HourHits``; an incomplete day never shows as -100%."""

from __future__ import annotations

import datetime

from django.test import TestCase

from admin_hits.live.hours import hour_deltas, hour_key, hours_of, without_hours
from admin_hits.live.stores import get_store
from admin_hits.logs.live_hours import LIVE_HOURS
from admin_hits.models import HourHits
from admin_hits.report.live_compare import yesterday_so_far
from admin_hits.report.views.figures import Figure
from tests.admin.factories import days_ago, superuser, today
from tests.report.factories import REPORT, add_live_path, add_paths

TODAY = datetime.date(2026, 12, 2)


def test_hours_are_kept_beside_the_paths_under_names_no_path_has():
    deltas = hour_deltas({LIVE_HOURS: {(TODAY, 7): 3, (TODAY, 13): 1}})
    assert deltas == {(TODAY, "*hours/07"): 3, (TODAY, "*hours/13"): 1}
    day = {"/a/": 5, hour_key(7): 3, hour_key(13): 1}
    assert without_hours(day) == {"/a/": 5}
    assert hours_of(day) == {7: 3, 13: 1}


def test_a_live_figure_at_zero_shows_no_change():
    assert Figure("Views today", 0, 40, live_url="/live/").change == ""
    assert "−100%" in Figure("Views", 0, 40).change  # a whole period that had none


class YesterdaySoFarTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        yesterday = TODAY - datetime.timedelta(days=1)
        for hour, views in ((6, 10), (9, 40), (10, 60), (20, 300)):
            HourHits.objects.create(date=yesterday, hour=hour, views=views)

    def test_up_to_the_clocks_hour_and_the_part_of_it_past(self) -> None:
        now = datetime.datetime(2026, 12, 2, 10, 30)
        self.assertEqual(yesterday_so_far(TODAY, {6: 3, 10: 2}, now), 10 + 40 + 30)

    def test_up_to_the_last_hour_the_pipe_counted(self) -> None:
        now = datetime.datetime(2026, 12, 2, 10, 30)  # the pipe is behind: 9 o'clock so far
        self.assertEqual(yesterday_so_far(TODAY, {6: 3, 9: 2}, now), 10 + 40)

    def test_without_yesterdays_hours_no_comparison(self) -> None:
        now = datetime.datetime(2026, 12, 5, 10, 30)
        self.assertIsNone(yesterday_so_far(datetime.date(2026, 12, 5), {}, now))


class LiveFigureTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        for hour in range(24):
            HourHits.objects.create(date=days_ago(1), hour=hour, views=100)
        add_paths("/about/", {1: 2400})  # yesterday, whole
        cls.boss = superuser()

    def test_the_report_compares_today_with_yesterday_so_far(self) -> None:
        self.client.force_login(self.boss)
        add_live_path("/about/", 7)
        store = get_store()
        store.add(today(), {hour_key(0): 7})
        store.close()
        figure = self.client.get(REPORT, {"period": "today"}).context["figures"][0]
        self.assertEqual(figure.value, 7)  # the hour counters are no path
        # Whatever the clock: at most yesterday's first hour and the part of it past, not the
        # whole of yesterday (2,400).
        self.assertIsNotNone(figure.previous)
        self.assertLessEqual(figure.previous, 100)
