"""The JSON endpoint the report pages poll for today's views."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.admin.factories import add_live, superuser, today
from tests.report.factories import LIVE, REPORT, add_live_path, object_url
from tests.testapp.models import Article


class LiveJSONTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.article = Article.objects.create(title="Live", slug="live")
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_site_total_so_far(self) -> None:
        self.assertEqual(self.client.get(LIVE).json()["views"], 0)
        add_live(self.article, 1500)
        add_live_path("/", 2)
        response = self.client.get(LIVE)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(
            response.json(),
            {
                "date": today().isoformat(),
                "views": 1502,
                "text": "1,502",
                "available": True,
                "health": "No pipe has written to this live store (db) today: is the pipe "
                "running, and does it count into this store? Check with admin-hits-pipe --check.",
                "health_warning": True,
            },
        )

    def test_one_object(self) -> None:
        add_live(self.article, 7)
        add_live_path("/elsewhere/", 100)
        data = self.client.get(object_url(self.article, "admin_hits_object_live")).json()
        self.assertEqual((data["views"], data["text"]), (7, "7"))

    def test_unknown_object(self) -> None:
        ct = ContentType.objects.get_for_model(Article)
        for args in ([ct.pk, "424242"], [424242, "1"]):
            url = reverse("admin:admin_hits_object_live", args=args)
            self.assertEqual(self.client.get(url).status_code, 404)

    @override_settings(ADMIN_HITS_STORE="memcached://127.0.0.1:1", ADMIN_HITS_STORE_TIMEOUT=0.2)
    def test_store_down(self) -> None:
        data = self.client.get(LIVE).json()
        self.assertEqual((data["views"], data["text"], data["available"]), (None, None, False))


class SiteTimeZoneTests(TestCase):
    """Stored days and live counts are dates of TIME_ZONE (Europe/Berlin in the tests): the
    pages' "today" is too, whatever zone a site activates for its user."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_today_is_the_sites_in_another_active_time_zone(self) -> None:
        # 04:00 in Berlin on 15 March is still 14 March in Los Angeles.
        at = datetime.datetime(2026, 3, 15, 3, 0, tzinfo=datetime.UTC)
        los_angeles = zoneinfo.ZoneInfo("America/Los_Angeles")
        with time_machine.travel(at), timezone.override(los_angeles):
            live = self.client.get(LIVE).json()
            report = self.client.get(REPORT, {"period": "today"})
        self.assertEqual(live["date"], "2026-03-15")
        period = report.context["scope"].period
        self.assertEqual((period.start, period.end), (datetime.date(2026, 3, 15),) * 2)
