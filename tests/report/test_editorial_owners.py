"""Per-owner scope on the editorial figures: a scoped user's launches, peers, stale content
and chart marks are their own objects' only."""

from __future__ import annotations

from django.contrib.admin.models import ADDITION
from django.test import TestCase, override_settings

from tests.admin.factories import add_hits, days_ago, staff, superuser
from tests.report.factories import REPORT, object_url, records
from tests.report.test_publication import log, moment
from tests.testapp.models import Article


def article(title: str, added_days_ago: int, views: dict[int, int], editor: object) -> Article:
    obj = Article.objects.create(title=title, slug=title.replace(": ", "-"))
    log(obj, ADDITION, moment(days_ago(added_days_ago), 9), editor)
    add_hits(obj, views)
    return obj


@override_settings(ADMIN_HITS_OBJECT_SCOPE="tests.report.scopes.by_title")
class ScopedEditorialTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        boss = superuser()
        cls.acme = staff("acme", "admin_hits.view_hits")
        cls.new = article("acme: new", 3, {3: 10, 2: 10}, boss)
        article("acme: old", 50, {50: 5}, boss)
        article("acme: older", 60, {60: 7}, boss)
        article("rival: new", 4, {4: 99}, boss)
        for n in range(3):
            article(f"rival: old {n}", 40 + n, {40 + n: 1000, 39 + n: 1000}, boss)

    def setUp(self) -> None:
        self.client.force_login(self.acme)

    def test_launches_and_stale_content_of_their_own_objects(self) -> None:
        response = self.client.get(REPORT, {"period": "30d", "tab": "content"})
        launches = records(response, "launches")
        self.assertEqual([r["object_pk"] for r in launches], [str(self.new.pk)])
        # Typical: the median of acme's two old articles at day 3 (5 and 7), not the rival's.
        self.assertEqual(launches[0]["typical"], 6)
        stale = {r["object_pk"] for r in records(response, "stale")}
        self.assertEqual(len(stale), 2)
        self.assertNotContains(response, "rival")

    def test_the_band_of_their_own_objects_and_the_chart_marks(self) -> None:
        data = self.client.get(object_url(self.new), {"format": "json"}).json()
        self.assertEqual(data["launch"]["peers"], 2)
        self.assertEqual(data["first_7_days"], 20)
        response = self.client.get(REPORT, {"period": "30d"})
        events = response.context["chart_events"]
        self.assertEqual([e.text for e in events], ["1 object published: acme: new"])
