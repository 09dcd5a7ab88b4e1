"""The "Stale content" table: published objects without a view in ADMIN_HITS_STALE_DAYS days."""

from __future__ import annotations

from django.test import TestCase, override_settings

from admin_hits.models import Hits
from tests.admin.factories import add_hits, days_ago, superuser
from tests.report.factories import REPORT, export_url, records
from tests.report.test_export import download
from tests.report.test_launches import story


@override_settings(
    ADMIN_HITS_MODELS=["testapp.Article", "testapp.Release", "testapp.Story"],
    ADMIN_HITS_STALE_DAYS=30,
)
class StaleContentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.boss = superuser()
        cls.oldest = story("oldest", 400)  # never viewed
        cls.faded = story("faded", 100)
        add_hits(cls.faded, {31: 4, 70: 9})  # last viewed 31 days ago
        cls.read = story("read", 200)
        add_hits(cls.read, {30: 1})  # viewed 30 days ago: within the 30 days
        cls.bots_only = story("bots-only", 50)
        add_hits(cls.bots_only, {2: 0})
        Hits.objects.filter(object_id=str(cls.bots_only.pk)).update(bot_views=40)
        story("too-new", 29)  # published less than 30 days ago: not stale yet
        story("draft", None)

    def setUp(self) -> None:
        self.client.force_login(self.boss)

    def test_oldest_first_with_the_last_view(self) -> None:
        response = self.client.get(REPORT, {"tab": "content"})
        rows = records(response, "stale")
        self.assertEqual(
            [(r["object_pk"], r["last_viewed"]) for r in rows],
            [(str(self.oldest.pk), None), (str(self.faded.pk), days_ago(31)),
             (str(self.bots_only.pk), None)],
        )  # fmt: skip
        self.assertContains(response, "never")

    def test_setting_and_csv(self) -> None:
        with override_settings(ADMIN_HITS_STALE_DAYS=60):
            rows = records(self.client.get(REPORT, {"tab": "content"}), "stale")
        # Faded and read were viewed within 60 days; bots-only is only 50 days old.
        self.assertEqual([r["object_pk"] for r in rows], [str(self.oldest.pk)])
        _body, lines = download(self.client, export_url("stale"))
        self.assertEqual(lines[0], ["object", "type", "published", "last viewed"])
        self.assertEqual(lines[1], ["Oldest", "story", days_ago(400).isoformat(), ""])


class StaleFromStoredTotalsTests(StaleContentTests):
    """The same table, read from the precomputed "Last 30 days" (or "Last 7 days") totals."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from admin_hits.nightly import period_totals

        period_totals.refresh()

    def test_the_stored_totals_are_read(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.client.get(REPORT, {"tab": "content"})
        self.assertTrue(any("objectperiodtotals" in q["sql"] for q in captured))
